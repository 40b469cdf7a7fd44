import type { DetectorContext } from './detector'

/**
 * A passive listener that is not capture-phase, guarded like `ctx.listen`'s and removed with the
 * context. For an event that does not bubble (`pointerleave`, `blur`) it runs for `target`'s own
 * event only: a capture-phase listener would also run for the same event of every descendant on
 * its way down, and every call into script costs the browser tens of microseconds first.
 */
export const listenAtTarget = (ctx: DetectorContext, target: EventTarget, type: string, handler: (event: any) => void): void => {
  const fn = (event: Event): void => {
    try {
      handler(event)
    } catch (error) {
      ctx.onError(error)
    }
  }
  target.addEventListener(type, fn, { capture: false, passive: true })
  ctx.disposer.add(() => target.removeEventListener(type, fn, { capture: false }))
}
