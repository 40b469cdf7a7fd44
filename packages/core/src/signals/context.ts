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
  // One argument (the event), not a rest parameter: this wraps every handler of every event, and
  // a rest parameter allocates an array per call.
  const guard = <F extends (arg?: any) => void>(fn: F): F =>
    ((arg?: unknown): void => {
      try {
        fn(arg)
      } catch (error) {
        onError(error)
      }
    }) as F
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
