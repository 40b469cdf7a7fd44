import { listenAtTarget } from './atTarget'
import type { DetectorContext } from './detector'

/**
 * Calls `handler` when the pointer leaves the page: out of the window, onto the browser's own
 * UI, or lifted (a touch or pen that cannot hover).
 *
 * From the root element's own `pointerleave`, listened to at the target (see `atTarget.ts`), not
 * in the capture phase. `pointerleave` does not bubble, so that listener runs only when the
 * pointer leaves the whole page, and the browser calls no script while it moves between elements
 * of the page (the element entered announces itself with its `pointerover`, which does the work).
 * A `pointerout` listener would run for every element crossed: 642 calls in the session
 * benchmark for the two that mattered, each call into a page's script costing the browser tens of
 * microseconds before any of Tacit's code runs.
 *
 * The root element, not the document: Chromium also sends `pointerleave` to the document, Firefox
 * only to elements. A page that replaces its root element loses this until Tacit restarts; the
 * hover then ends at the next `pointerover` or when the page hides.
 */
export const onPointerLeavesPage = (ctx: DetectorContext, handler: (e: PointerEvent) => void): void => {
  const root = ctx.doc.documentElement
  if (root) listenAtTarget(ctx, root, 'pointerleave', handler)
}
