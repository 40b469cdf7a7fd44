import { now } from '../env'
import type { Detector } from './detector'

/**
 * `idle`: no input for `idleMs` (30000) while the page is visible. Emitted once per idle period,
 * with `ms` = `idleMs`; only new input re-arms it. Time hidden does not count: after the page
 * becomes visible again the period runs from the later of the last input and that moment.
 *
 * Input can arrive hundreds of times a second (scroll, wheel), so input never touches the timer:
 * one timer is set for `lastInput + idleMs` and, when it fires after newer input, it is set again
 * for the new deadline.
 */
export const idle: Detector = (ctx) => {
  const { activity, opts } = ctx
  // When the page last became visible; 0 until then, so the period runs from the last input.
  let visibleSince = 0
  let fired = false
  let cancel: (() => void) | undefined

  const periodStart = (): number => Math.max(activity.lastInput, visibleSince)

  const stop = (): void => {
    cancel?.()
    cancel = undefined
  }

  const schedule = (): void => {
    stop()
    if (fired || !activity.visible) return
    cancel = ctx.timeout(check, Math.max(0, periodStart() + opts.idleMs - now()))
  }

  const check = (): void => {
    cancel = undefined
    if (fired || !activity.visible) return
    const t = now()
    if (t - periodStart() >= opts.idleMs) {
      fired = true
      ctx.emit({ type: 'idle', t, target: 'page', ms: opts.idleMs })
    } else {
      schedule()
    }
  }

  ctx.disposer.add(
    activity.subscribe((kind) => {
      try {
        if (kind === 'input') {
          // Hot path: while a timer is pending it re-checks lastInput itself when it fires.
          if (fired || !cancel) {
            fired = false
            schedule()
          }
        } else if (kind === 'hidden') {
          stop()
        } else {
          visibleSince = now()
          schedule()
        }
      } catch (error) {
        ctx.onError(error)
      }
    }),
  )
  ctx.disposer.add(stop)
  schedule()
}
