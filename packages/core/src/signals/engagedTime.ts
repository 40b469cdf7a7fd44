import { now } from '../env'
import type { Detector } from './detector'

/**
 * `engaged-time` (GA4-style): engaged milliseconds of the page (visible, and input within
 * `activeWindowMs`), not wall-clock time. Emitted each time the page hides (`visibilitychange`
 * or `pagehide`), with the engaged time since the previous emission of this page (the first one
 * counts from when the detector attached, page start in practice). Nothing is emitted for 0 ms.
 */
export const engagedTime: Detector = (ctx) => {
  const { activity } = ctx
  let since = activity.engagedClock()

  ctx.disposer.add(
    activity.subscribe((kind) => {
      if (kind !== 'hidden') return
      try {
        const t = now()
        const clock = activity.engagedClock(t)
        const ms = clock - since
        since = clock
        if (ms > 0) ctx.emit({ type: 'engaged-time', t, target: 'page', ms })
      } catch (error) {
        ctx.onError(error)
      }
    }),
  )
}
