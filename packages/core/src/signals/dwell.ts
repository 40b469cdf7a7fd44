import { now } from '../env'
import type { Detector } from './detector'
import { stampTime } from './eventTime'
import { TRACKED, describeTarget } from './target'

/**
 * `dwell`: engaged time (page visible, input within `activeWindowMs`) during which a
 * `[data-tacit-item]` element is at least `dwellVisibleRatio` (0.5) visible. Emitted when the
 * element leaves view (or is removed from the page) and when the page hides; a measure cut by a
 * hide goes on when the page is visible again. 0-ms dwells are not emitted.
 *
 * Elements added later are picked up by a MutationObserver; removed ones are unobserved. Without
 * IntersectionObserver the detector does nothing.
 */
export const dwell: Detector = (ctx) => {
  const { activity, opts, win } = ctx
  const IO = win.IntersectionObserver
  if (typeof IO !== 'function') return
  const root = ctx.doc.body || ctx.doc.documentElement
  if (!root) return

  const observed = new Set<Element>()
  // Elements in view -> engaged clock when their current measure started.
  const starts = new Map<Element, number>()

  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args)
      } catch (error) {
        ctx.onError(error)
      }
    }

  const flush = (el: Element, t: number, restart: boolean): void => {
    const start = starts.get(el)
    if (start === undefined) return
    const clock = activity.engagedClock(t)
    if (restart) starts.set(el, clock)
    else starts.delete(el)
    const ms = clock - start
    if (ms > 0) ctx.emit({ type: 'dwell', t, ms, ...describeTarget(el) })
  }

  const io = new IO(
    guard((entries: IntersectionObserverEntry[]) => {
      for (const entry of entries) {
        const el = entry.target
        // An entry queued before unobserve can still arrive.
        if (!observed.has(el)) continue
        // When the element crossed the threshold: a busy page delivers entries late. The engaged
        // clock never reads before its last settle, so a late entry errs by less than the delay.
        const t = stampTime(entry.time)
        if (entry.isIntersecting && entry.intersectionRatio >= opts.dwellVisibleRatio) {
          if (!starts.has(el)) starts.set(el, activity.engagedClock(t))
        } else {
          flush(el, t, false)
        }
      }
    }),
    { threshold: opts.dwellVisibleRatio },
  )

  const track = (el: Element): void => {
    if (observed.has(el)) return
    observed.add(el)
    io.observe(el)
  }
  const untrack = (el: Element, t: number): void => {
    if (!observed.has(el)) return
    flush(el, t, false)
    observed.delete(el)
    io.unobserve(el)
  }
  const eachTracked = (node: Node, fn: (el: Element) => void): void => {
    if (node.nodeType !== 1) return
    const el = node as Element
    if (el.matches(TRACKED)) fn(el)
    el.querySelectorAll(TRACKED).forEach(fn)
  }

  eachTracked(root, track)

  const MO = win.MutationObserver
  if (typeof MO === 'function') {
    const mo = new MO(
      guard((records: MutationRecord[]) => {
        // Read once, and only when a tracked item left: most records are text or other nodes.
        let t: number | undefined
        for (const record of records) {
          // A node moved within the page shows up as removed and added: keep observing it.
          record.removedNodes.forEach((n) =>
            eachTracked(n, (el) => {
              if (!ctx.doc.contains(el)) untrack(el, (t ??= now()))
            }),
          )
          record.addedNodes.forEach((n) =>
            eachTracked(n, (el) => {
              if (ctx.doc.contains(el)) track(el)
            }),
          )
        }
      }),
    )
    mo.observe(root, { childList: true, subtree: true })
    ctx.disposer.add(() => mo.disconnect())
  }

  ctx.disposer.add(
    activity.subscribe(
      guard((kind: 'input' | 'visible' | 'hidden') => {
        if (kind !== 'hidden') return
        // The engaged clock stands still while hidden, so restarting now is the same as
        // restarting when the page is visible again.
        const t = now()
        for (const el of [...starts.keys()]) flush(el, t, true)
      }),
    ),
  )
  ctx.disposer.add(() => {
    io.disconnect()
    observed.clear()
    starts.clear()
  })
}
