import { clearTimer, setTimer } from '../env'
import type { ResolvedOptions } from '../options'
import type { Activity } from './activity'
import type { DetectorContext } from './detector'
import { Disposer, listen } from './listen'
import type { Signal } from './types'

/** Builds the context detectors run in: every listener and timer is guarded and disposable. */
export const createDetectorContext = (init: {
  doc: Document
  win: Window & typeof globalThis
  opts: ResolvedOptions
  activity: Activity
  emit: (signal: Signal) => void
  onError: (error: unknown) => void
  disposer?: Disposer
}): DetectorContext => {
  const disposer = init.disposer ?? new Disposer()
  const { onError } = init
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args)
      } catch (error) {
        onError(error)
      }
    }
  const timers = new Set<ReturnType<typeof setTimer>>()
  disposer.add(() => {
    for (const id of timers) clearTimer(id)
    timers.clear()
  })
  return {
    ...init,
    disposer,
    listen(target, type, handler) {
      const off = listen(target, type, guard(handler))
      disposer.add(off)
      return off
    },
    timeout(cb, ms) {
      const id = setTimer(
        guard(() => {
          timers.delete(id)
          cb()
        }),
        ms,
      )
      timers.add(id)
      return () => {
        timers.delete(id)
        clearTimer(id)
      }
    },
  }
}
