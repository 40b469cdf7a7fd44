import { now } from '../env'
import type { Detector, DetectorContext } from './detector'
import { eventTime } from './eventTime'
import { onPointerLeavesPage } from './leavesPage'
import { asElement, describeTarget, interactiveAncestor, isFormField, isIgnored } from './target'

/**
 * `hesitation`, from `pointerover`, the root's `pointerleave` and `click` only (no `pointermove`):
 *
 * - the pointer rests on an interactive or tracked element for at least `hesitationMs` (1000),
 *   then leaves it without clicking: `outcome: 'abandoned'`, `ms` = how long it rested;
 * - or clicks inside it after such a pause: `outcome: 'clicked'`, `ms` = entering to click.
 *   A click consumes the hover: leaving afterwards emits nothing.
 * - a form field stays focused for `fieldHesitationMs` (3000) with no `input`: `outcome:
 *   'field'`, emitted once at that moment.
 *
 * The pointer "rests on" an element while it is over it or any of its descendants, so moving
 * onto a nested button of a tracked card keeps the card's pause running. Ignored elements
 * (`data-tacit-ignore`, password and payment fields) never start a pause.
 */
export const hesitation: Detector = (ctx) => {
  trackPointerPause(ctx)
  trackFieldPause(ctx)
}

const trackPointerPause = (ctx: DetectorContext): void => {
  const { opts } = ctx
  let hovered: Element | null = null
  let enteredAt = 0
  let consumed = false

  const end = (t: number): void => {
    if (hovered && !consumed && t - enteredAt >= opts.hesitationMs) {
      ctx.emit({ type: 'hesitation', t, outcome: 'abandoned', ms: t - enteredAt, ...describeTarget(hovered) })
    }
    hovered = null
  }

  // `node` is where the pointer now is (a pointerover target, or null: it left the page).
  // Times are when the pointer moved, not when a busy page got round to handling it.
  // The time is read only when a pause ends or starts: moving over plain parts of the page, with
  // nothing hovered, costs one ancestor lookup.
  const moveTo = (node: EventTarget | null, e: Event): void => {
    if (hovered && node && hovered.contains(node as Node)) return
    const found = interactiveAncestor(node)
    const el = found && !isIgnored(found) ? found : null
    if (!hovered && !el) return
    const t = eventTime(e)
    end(t)
    if (el) {
      hovered = el
      enteredAt = t
      consumed = false
    }
  }

  ctx.listen(ctx.doc, 'pointerover', (e: PointerEvent) => moveTo(e.target, e))
  onPointerLeavesPage(ctx, (e) => moveTo(null, e))

  ctx.listen(ctx.doc, 'click', (e: MouseEvent) => {
    const el = asElement(e.target)
    if (!hovered || consumed || !el || !hovered.contains(el)) return
    consumed = true
    const t = eventTime(e)
    const pause = t - enteredAt
    const clicked = interactiveAncestor(el) ?? hovered
    if (pause >= opts.hesitationMs && !isIgnored(clicked)) {
      ctx.emit({ type: 'hesitation', t, outcome: 'clicked', ms: pause, ...describeTarget(clicked) })
    }
  })

  // Time with the page hidden is not a pause; the hover restarts on the next pointer event.
  const drop = (): void => {
    hovered = null
  }
  ctx.listen(ctx.doc, 'visibilitychange', () => {
    if (ctx.doc.visibilityState === 'hidden') drop()
  })
  ctx.listen(ctx.win, 'pagehide', drop)
}

const trackFieldPause = (ctx: DetectorContext): void => {
  const { opts } = ctx
  let field: Element | null = null
  let cancel: (() => void) | undefined

  const stop = (): void => {
    cancel?.()
    cancel = undefined
    field = null
  }

  ctx.listen(ctx.doc, 'focusin', (e: FocusEvent) => {
    stop()
    const el = asElement(e.target)
    if (!isFormField(el) || isIgnored(el)) return
    field = el
    cancel = ctx.timeout(() => {
      cancel = undefined
      field = null
      ctx.emit({ type: 'hesitation', t: now(), outcome: 'field', ms: opts.fieldHesitationMs, ...describeTarget(el) })
    }, opts.fieldHesitationMs)
  })
  ctx.listen(ctx.doc, 'input', (e: Event) => {
    if (field && e.target === field) stop()
  })
  ctx.listen(ctx.doc, 'focusout', (e: FocusEvent) => {
    if (field && e.target === field) stop()
  })
  ctx.listen(ctx.doc, 'visibilitychange', () => {
    if (ctx.doc.visibilityState === 'hidden') stop()
  })
}
