import { now } from '../env'
import type { Detector } from './detector'
import { stampTime } from './eventTime'

/** The marks at or below `reached` that are not in `done`, in ascending order. */
export const marksToEmit = (marks: readonly number[], reached: number, done: ReadonlySet<number>): number[] =>
  marks.filter((m) => m <= reached && !done.has(m)).sort((a, b) => a - b)

/** The block size (height) a ResizeObserver entry reports, from borderBoxSize where available. */
export const entryHeight = (entry: ResizeObserverEntry): number => {
  // Older Firefox gives a single object instead of an array.
  const box = entry.borderBoxSize as unknown as ResizeObserverSize | readonly ResizeObserverSize[] | undefined
  const size = Array.isArray(box) ? box[0] : (box as ResizeObserverSize | undefined)
  return size && typeof size.blockSize === 'number' ? size.blockSize : entry.contentRect.height
}

/**
 * `scroll-depth`: each mark of `scrollMarks` (25, 50, 75, 90, 100) once, when the deepest point
 * seen reaches it; a jump emits every lower mark not yet emitted first, in ascending order.
 *
 * No scroll handler and no layout read: an invisible wrapper as tall as the document holds one
 * 1-px sentinel per mark, and an IntersectionObserver reports when one enters the viewport. The
 * wrapper's height follows a ResizeObserver on `<html>`; sentinels are observed only once that
 * height is known, else all of them would sit at the top and report 100% at load.
 */
export const scrollDepth: Detector = (ctx) => {
  const { doc, win } = ctx
  const IO = win.IntersectionObserver
  const html = doc.documentElement
  const parent = doc.body || html
  if (typeof IO !== 'function' || !parent) return
  const marks = [...new Set(ctx.opts.scrollMarks)].sort((a, b) => a - b)
  if (!marks.length) return

  const done = new Set<number>()
  const sentinels = new Map<Element, number>()
  const wrapper = doc.createElement('div')
  wrapper.setAttribute('data-tacit-sentinels', '')
  wrapper.setAttribute('aria-hidden', 'true')
  wrapper.style.cssText =
    'position:absolute;top:0;left:0;width:1px;height:0;pointer-events:none;visibility:hidden;'
  for (const mark of marks) {
    const s = doc.createElement('div')
    s.style.cssText = `position:absolute;left:0;width:1px;height:1px;top:calc(${mark}% - 1px);`
    wrapper.appendChild(s)
    sentinels.set(s, mark)
  }
  parent.appendChild(wrapper)
  ctx.disposer.add(() => {
    wrapper.remove()
    // A callback already queued when destroy runs finds no sentinel to report.
    sentinels.clear()
  })

  const stops: Array<() => void> = []
  const stopAll = (): void => {
    for (const stop of stops.splice(0)) stop()
  }
  ctx.disposer.add(stopAll)

  const io = new IO((entries) => {
    try {
      let reached = 0
      let stamp: number | undefined
      for (const entry of entries) {
        const mark = sentinels.get(entry.target)
        if (entry.isIntersecting && mark !== undefined && mark > reached) {
          reached = mark
          stamp = entry.time
        }
      }
      if (!reached) return
      // When the deepest mark came into view: a busy page delivers entries late.
      const t = stampTime(stamp, now())
      for (const mark of marksToEmit(marks, reached, done)) {
        done.add(mark)
        ctx.emit({ type: 'scroll-depth', t, target: 'page', percent: mark })
      }
      for (const [s, mark] of sentinels) if (done.has(mark)) io.unobserve(s)
      // Every mark seen: nothing left to watch (the wrapper stays until destroy).
      if (done.size === marks.length) stopAll()
    } catch (error) {
      ctx.onError(error)
    }
  })
  stops.push(() => io.disconnect())

  let height = 0
  let started = false
  const setHeight = (h: number): void => {
    if (!(h > 0) || h === height) return
    height = h
    wrapper.style.height = `${h}px`
    if (started) return
    started = true
    for (const s of sentinels.keys()) io.observe(s)
  }

  const RO = win.ResizeObserver
  if (typeof RO === 'function') {
    const ro = new RO((entries) => {
      try {
        const last = entries[entries.length - 1]
        if (last) setHeight(entryHeight(last))
      } catch (error) {
        ctx.onError(error)
      }
    })
    ro.observe(html)
    stops.push(() => ro.disconnect())
  } else {
    // One read at attach, outside any event handler; the page's later growth is not followed.
    setHeight(html.scrollHeight)
  }
}
