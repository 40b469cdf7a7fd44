import type { Detector } from './detector'
import { eventTime } from './eventTime'
import { asElement, describeTarget, isIgnored, isTextLike } from './target'

/**
 * `rage-click`: `rageClickCount` clicks (3), each less than `rageClickIntervalMs` (1000) after
 * the previous and less than `rageClickDistancePx` (30, Manhattan) from it. Fires once, on the
 * click that reaches the count; a gap or a move over a limit starts a new run with that click.
 * Text fields, steppers and `data-tacit-ignore` are excluded. Reads only the event's coordinates.
 */
export const rageClick: Detector = (ctx) => {
  const { opts } = ctx
  let run = 0
  let lastT = 0
  let lastX = 0
  let lastY = 0
  let fired = false

  ctx.listen(ctx.doc, 'click', (e: MouseEvent) => {
    const el = asElement(e.target)
    if (!el || isIgnored(el) || isTextLike(el)) {
      run = 0
      return
    }
    // Clicks made during a long task are handled back to back: their own times tell a burst
    // from clicks that were merely queued together.
    const t = eventTime(e)
    const near = Math.abs(e.clientX - lastX) + Math.abs(e.clientY - lastY) < opts.rageClickDistancePx
    if (run > 0 && t - lastT < opts.rageClickIntervalMs && near) {
      run++
    } else {
      run = 1
      fired = false
    }
    lastT = t
    lastX = e.clientX
    lastY = e.clientY
    if (run >= opts.rageClickCount && !fired) {
      fired = true
      ctx.emit({ type: 'rage-click', t, clicks: run, ...describeTarget(el) })
    }
  })
}
