import { now } from '../env'
import type { DetectorContext } from './detector'
import { eventTime } from './eventTime'
import { onPointerLeavesPage } from './leavesPage'
import { TRACKED, asElement, describeTarget, isIgnored } from './target'

/** Hovers shorter than this are the pointer passing over an item on its way elsewhere. */
export const MIN_HOVER_MS = 100

/** One interaction with a tracked item (`data-tacit-item`). Never text or values. */
export interface InteractionInfo {
  /** The `data-tacit-item` id. */
  item: string
  /** Its `data-tacit-tags`, if any. */
  tags?: string[]
  /** For `'hover'`: how long the pointer stayed over the item. */
  ms?: number
}

/** Receives the per-item hovers and clicks the profile totals up. */
export type InteractionReport = (kind: 'hover' | 'click', info: InteractionInfo) => void

/**
 * Per-item hover time and clicks for the profile; not a public signal. A hover is reported when
 * the pointer leaves a tracked element (or the page hides) after at least `MIN_HOVER_MS` over it
 * or its descendants; a click is reported for any click inside a tracked element. The nearest
 * tracked ancestor counts. From `pointerover`, the root's `pointerleave` (see `leavesPage.ts`) and
 * `click` only: no `pointermove`.
 * Listeners are registered on `ctx` and removed with it.
 */
export const trackInteractions = (ctx: DetectorContext, report: InteractionReport): void => {
  let hovered: Element | null = null
  let enteredAt = 0

  const end = (t: number): void => {
    const el = hovered
    hovered = null
    const ms = t - enteredAt
    // Most hovers are the pointer passing by: they end before the item is described.
    if (!el || ms < MIN_HOVER_MS) return
    const info = itemInfo(el)
    if (info) report('hover', { ...info, ms })
  }

  // Timed when the pointer moved, not when a busy page got round to handling it.
  const moveTo = (node: EventTarget | null, e: Event): void => {
    const found = asElement(node)?.closest(TRACKED) ?? null
    // Still within the hovered item (checked for `data-tacit-ignore` when entered): the common
    // case, settled without a second lookup.
    if (found === hovered) return
    const tracked = found && !isIgnored(found) ? found : null
    if (tracked === hovered) return
    const t = eventTime(e)
    end(t)
    hovered = tracked
    enteredAt = t
  }

  ctx.listen(ctx.doc, 'pointerover', (e: PointerEvent) => moveTo(e.target, e))
  onPointerLeavesPage(ctx, (e) => moveTo(null, e))

  ctx.listen(ctx.doc, 'click', (e: MouseEvent) => {
    const el = asElement(e.target)
    if (!el || isIgnored(el)) return
    const tracked = el.closest(TRACKED)
    const info = tracked && !isIgnored(tracked) && itemInfo(tracked)
    if (info) report('click', info)
  })

  ctx.listen(ctx.doc, 'visibilitychange', () => {
    if (ctx.doc.visibilityState === 'hidden') end(now())
  })
  ctx.listen(ctx.win, 'pagehide', () => end(now()))
}

const itemInfo = (tracked: Element): InteractionInfo | null => {
  const { item, tags } = describeTarget(tracked)
  if (!item) return null
  return tags ? { item, tags } : { item }
}
