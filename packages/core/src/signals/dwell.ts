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
 * Elements added later are picked up by a MutationObserver; removed ones are dropped. Without
 * IntersectionObserver the detector does nothing.
 *
 * The browser checks every observed element at every frame the page paints (a pointer moving over
 * a shop of 200 cards paints at each move): about a third of a microsecond per element and frame
 * in Chromium, which came to more main-thread time than all of Tacit's scripts in the session
 * benchmark. Yet what is in view changes only when something moves the layout. So every tracked
 * element is observed only while the layout may be moving: after a scroll (of any scroller), a
 * resize, a load (an image), the page shown again, elements added or removed, or a `class`,
 * `style`, `hidden` or `open` attribute changed, until `SETTLE_MS` pass with none of these. Then
 * only the elements in view stay observed, to see them leave. An element brought into view by
 * anything else (a CSS animation or hover style that moves the layout, a longer text) is seen at
 * the next of those.
 */
export const SETTLE_MS = 300

export const dwell: Detector = (ctx) => {
  const { activity, opts, win } = ctx
  const IO = win.IntersectionObserver
  if (typeof IO !== 'function') return
  const root = ctx.doc.body || ctx.doc.documentElement
  if (!root) return

  const tracked = new Set<Element>()
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

  // Whether every tracked element is observed (awake) or only those in view; `poked`: something
  // that may move the layout happened since the last check.
  let awake = true
  let poked = true

  const onEntries = (entries: IntersectionObserverEntry[]): void => {
    for (const entry of entries) {
      const el = entry.target
      // An entry queued before untrack can still arrive.
      if (!tracked.has(el)) continue
      // When the element crossed the threshold: a busy page delivers entries late. The engaged
      // clock never reads before its last settle, so a late entry errs by less than the delay.
      const t = stampTime(entry.time)
      if (entry.isIntersecting && entry.intersectionRatio >= opts.dwellVisibleRatio) {
        if (!starts.has(el)) starts.set(el, activity.engagedClock(t))
      } else {
        flush(el, t, false)
        if (!awake) io.unobserve(el)
      }
    }
  }
  const io = new IO(guard(onEntries), { threshold: opts.dwellVisibleRatio })
  // Those in view stay observed; the others, observed again, get a first entry at the next frame.
  const observeAll = (on: boolean): void => {
    awake = on
    for (const el of tracked) if (!starts.has(el)) on ? io.observe(el) : io.unobserve(el)
  }
  const wake = (): void => {
    poked = true
    if (!awake) {
      observeAll(true)
      ctx.timeout(settle, SETTLE_MS)
    }
  }
  const settle = (): void => {
    if (poked) {
      poked = false
      ctx.timeout(settle, SETTLE_MS)
    } else {
      // Entries the browser computed but has not delivered yet come first.
      onEntries(io.takeRecords())
      observeAll(false)
    }
  }

  const track = (el: Element): void => {
    if (tracked.has(el)) return
    tracked.add(el)
    io.observe(el)
  }
  const untrack = (el: Element, t: number): void => {
    if (!tracked.has(el)) return
    flush(el, t, false)
    tracked.delete(el)
    io.unobserve(el)
  }
  const eachTracked = (node: Node, fn: (el: Element) => void): void => {
    if (node.nodeType !== 1) return
    // An element added or removed (not a text change) may move the layout.
    wake()
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
          if (record.type === 'attributes') wake()
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
    // Attributes whose change commonly moves, shows or hides content.
    mo.observe(root, { childList: true, subtree: true, attributeFilter: ['class', 'style', 'hidden', 'open'] })
    ctx.disposer.add(() => mo.disconnect())
  }
  for (const type of ['scroll', 'load']) ctx.listen(ctx.doc, type, wake)
  ctx.listen(win, 'resize', wake)
  ctx.timeout(settle, SETTLE_MS)

  ctx.disposer.add(
    activity.subscribe(
      guard((kind: 'input' | 'visible' | 'hidden') => {
        if (kind === 'visible') wake()
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
    tracked.clear()
    starts.clear()
  })
}
