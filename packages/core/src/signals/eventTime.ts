import { now } from '../env'

/**
 * Lags longer than this are not believed. The main thread of a working page is never blocked
 * that long (the browser reports it unresponsive first), so a stamp that far back is more likely on
 * another clock (an old engine, a faked clock in a test) than late: it counts as no lag, which
 * is what Tacit measured before it read stamps at all.
 */
export const MAX_LAG_MS = 10_000

/**
 * The `now()` time of a moment stamped on the `performance.now()` clock, such as an
 * IntersectionObserver entry's `time`: `t` minus how long ago the stamp was taken.
 *
 * Only the lag is taken from `performance`; the result stays on the `now()` clock that every
 * other Tacit time (timers, storage, tests with a fake `Date`) uses. A missing, zero or
 * implausible stamp (negative or over `MAX_LAG_MS` old), or no `performance`, means no lag.
 * Rounded, so that times stay whole milliseconds like `Date.now()`.
 */
export const stampTime = (stamp: number | undefined, t: number = now()): number => {
  if (!stamp || !isFinite(stamp)) return t
  const perf = typeof performance === 'undefined' ? undefined : performance
  if (!perf || typeof perf.now !== 'function') return t
  const lag = perf.now() - stamp
  return lag > 0 && lag <= MAX_LAG_MS ? Math.round(t - lag) : t
}

/**
 * When `event` happened, on the `now()` clock: `t` minus the time the event waited before this
 * handler ran.
 *
 * A busy main thread runs handlers late (a 300 ms task delays a `pointerover` by up to 300 ms),
 * and timing the handler would cut that much off a pointer rest or stretch the gap between two
 * clicks. `event.timeStamp` is when the browser created the event, on the `performance.now()`
 * clock (Chromium stamps input with the time the OS reported it).
 *
 * Only trusted events are corrected. A script's event is dispatched by that script, at the
 * moment it means: its "lag" would only be the time earlier listeners took, and in tests, where
 * `Date` is faked and `performance` is not, that real time would leak into fake times.
 */
export const eventTime = (event: Event, t?: number): number => {
  // Several detectors handle the same pointer event: the first computes, the others reuse it.
  if (t === undefined && event === last) return lastTime
  const at = event.isTrusted === true ? stampTime(event.timeStamp, t) : (t ?? now())
  if (t === undefined) {
    last = event
    lastTime = at
  }
  return at
}

let last: Event | undefined
let lastTime = 0
