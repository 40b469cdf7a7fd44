import { now } from '../env'

/**
 * Lags longer than this are not believed. The main thread of a working page is never blocked
 * that long (the browser reports it unresponsive first), so a stamp that far back is more likely on
 * another clock (an old engine, a faked clock in a test) than late: it counts as no lag, which
 * is what Tacit measured before it read stamps at all.
 */
export const MAX_LAG_MS = 10_000

/**
 * How long the difference of the two clocks read here is trusted, in ms of the performance clock.
 *
 * Reading a clock costs more than it seems: in Chromium 150, the first read of `Date.now()` in a
 * task cost about 9 µs and the first touch of `performance` about 18 µs (measured with a bare
 * `pointerover` listener, 600 trusted moves), against some 25 µs for the whole call into script.
 * Every `pointerover` that moves the pointer to another element is a task of its own that times
 * itself: they now read the clocks once a second at most.
 */
export const REREAD_MS = 1000

/** `now()` minus `performance.now()` as last read, and when (performance clock; none yet: Infinity). */
let offset = 0
let readAt = Infinity

/**
 * Forget the clocks' difference: the next stamp reads them again. Called when the page is hidden
 * or shown: a computer that sleeps stops the performance clock but not the wall clock, and a
 * wall clock set back or forward moves one and not the other.
 */
export const rereadClocks = (): void => {
  readAt = Infinity
}

/**
 * The `now()` time of a moment stamped on the `performance.now()` clock, such as an
 * IntersectionObserver entry's `time`: `t` minus how long ago the stamp was taken.
 *
 * Only the lag is taken from `performance`; the result stays on the `now()` clock that every
 * other Tacit time (timers, storage, tests with a fake `Date`) uses. A missing, zero or
 * implausible stamp (negative or over `MAX_LAG_MS` old), or no `performance`, means no lag.
 * Rounded, so that times stay whole milliseconds like `Date.now()`.
 *
 * Without `t`, a stamp taken less than `REREAD_MS` before or after the last read of the clocks is
 * placed by their difference as read then, without reading them again: the same time, as long as
 * neither clock jumped in between (see `rereadClocks`).
 */
export const stampTime = (stamp: number | undefined, t?: number): number => {
  if (!stamp || !isFinite(stamp)) return t ?? now()
  if (t === undefined && Math.abs(stamp - readAt) < REREAD_MS) return Math.round(offset + stamp)
  const at = t ?? now()
  const perf = typeof performance === 'undefined' ? undefined : performance
  if (!perf || typeof perf.now !== 'function') return at
  const p = perf.now()
  const lag = p - stamp
  if (!(lag > 0 && lag <= MAX_LAG_MS)) return at
  if (t === undefined) {
    offset = at - p
    readAt = p
  }
  return Math.round(at - lag)
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
 * Several detectors time the same event: the first reads the clocks (once a second at most, see
 * `stampTime`), the others place it by what that read.
 *
 * Only trusted events are corrected. A script's event is dispatched by that script, at the
 * moment it means: its "lag" would only be the time earlier listeners took, and in tests, where
 * `Date` is faked and `performance` is not, that real time would leak into fake times.
 */
export const eventTime = (event: Event, t?: number): number =>
  event.isTrusted === true ? stampTime(event.timeStamp, t) : (t ?? now())
