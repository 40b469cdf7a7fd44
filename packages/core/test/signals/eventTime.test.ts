import { afterEach, describe, expect, it, vi } from 'vitest'
import { deadClick } from '../../src/signals/deadClick'
import { dwell } from '../../src/signals/dwell'
import { eventTime, MAX_LAG_MS, REREAD_MS, rereadClocks, stampTime } from '../../src/signals/eventTime'
import { Activity } from '../../src/signals/activity'
import { Disposer } from '../../src/signals/listen'
import { resolveOptions } from '../../src/options'
import { hesitation } from '../../src/signals/hesitation'
import { idle } from '../../src/signals/idle'
import { trackInteractions } from '../../src/signals/interactions'
import { rageClick } from '../../src/signals/rageClick'
import { scrollDepth } from '../../src/signals/scrollDepth'
import { FakeIntersectionObserver } from '../fakes'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'

/*
 * A busy main thread handles input late. Each event here is made to look like browser input
 * that waited `lag` ms before the handler ran: trusted, and stamped `lag` ms before now on the
 * performance clock (useFakeClock fakes `performance` along with `Date`, so the lag is exact).
 */
const late = <E extends Event>(event: E, lag: number, trusted = true): E => {
  Object.defineProperty(event, 'isTrusted', { value: trusted })
  Object.defineProperty(event, 'timeStamp', { value: performance.now() - lag })
  return event
}
const over = (to: Element, from: Element | null, lag = 0) =>
  to.dispatchEvent(late(new PointerEvent('pointerover', { bubbles: true, relatedTarget: from }), lag))
/** The pointer moves from `from` to `to` as a browser reports it: pointerout, then `to`'s pointerover. */
const out = (from: Element, to: Element | null, lag = 0) => {
  from.dispatchEvent(late(new PointerEvent('pointerout', { bubbles: true, relatedTarget: to }), lag))
  if (to) over(to, from, lag)
}
const clickLate = (el: Element, lag: number, x = 10, y = 10) =>
  el.dispatchEvent(late(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }), lag))

const PAGE = `
  <p id="text">Plain text</p>
  <button id="buy">Buy</button>
  <button id="dead">Nothing</button>
  <div id="out"></div>
  <ul><li data-tacit-item="sku-1" id="card"><span id="pic">pic</span></li></ul>`

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup) fn()
  cleanup = []
  FakeIntersectionObserver.all = []
  vi.unstubAllGlobals()
  setVisibility('visible')
  vi.useRealTimers()
})

const setup = (detector: Parameters<typeof runDetector>[0]) => {
  useFakeClock()
  setVisibility('visible')
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver)
  html(PAGE)
  const run = runDetector(detector)
  cleanup.push(run.destroy)
  return run
}

describe('eventTime', () => {
  it('is now minus the time a trusted event waited for its handler', () => {
    useFakeClock()
    const t = Date.now()
    expect(eventTime(late(new Event('x'), 400))).toBe(t - 400)
    expect(eventTime(late(new Event('x'), 400), t + 50)).toBe(t + 50 - 400)
    expect(eventTime(late(new Event('x'), 0))).toBe(t)
  })

  it('leaves script events alone: they happen when the script dispatches them', () => {
    useFakeClock()
    expect(eventTime(late(new Event('x'), 400, false))).toBe(Date.now())
    // happy-dom has no isTrusted at all: its events are script events too.
    expect(eventTime(new Event('x'))).toBe(Date.now())
  })

  it('believes no stamp that is missing, in the future, too old or not a number', () => {
    useFakeClock()
    const t = Date.now()
    vi.advanceTimersByTime(60_000) // the performance clock is well past 0
    const stamped = (timeStamp: number) => {
      const e = new Event('x')
      Object.defineProperty(e, 'isTrusted', { value: true })
      Object.defineProperty(e, 'timeStamp', { value: timeStamp })
      return eventTime(e, t)
    }
    expect(stamped(0)).toBe(t)
    expect(stamped(NaN)).toBe(t)
    expect(stamped(Infinity)).toBe(t)
    expect(stamped(performance.now() + 500)).toBe(t) // another clock, ahead
    expect(stamped(Date.now())).toBe(t) // an epoch stamp, as old engines gave
    expect(stamped(performance.now() - MAX_LAG_MS)).toBe(t - MAX_LAG_MS)
    expect(stamped(performance.now() - MAX_LAG_MS - 1)).toBe(t)
  })

  it('a stream of trusted events reads the clocks once a second at most, and gets the same times', () => {
    useFakeClock()
    rereadClocks()
    const dateNow = vi.spyOn(Date, 'now')
    const perfNow = vi.spyOn(performance, 'now')
    const reads = () => dateNow.mock.calls.length + perfNow.mock.calls.length
    const seen: number[] = []
    const expected: number[] = []
    let clockReads = 0
    for (let i = 0; i < 150; i++) {
      vi.advanceTimersByTime(9)
      const lag = (i % 5) * 3 + 1
      const event = late(new Event('x'), lag)
      const wanted = Date.now() - lag
      const before = reads()
      seen.push(eventTime(event))
      clockReads += reads() - before
      expected.push(wanted)
    }
    expect(seen).toEqual(expected)
    // 150 events over 1,350 ms: a read (of both clocks) for the first, and one once REREAD_MS had passed.
    expect(REREAD_MS).toBe(1000)
    expect(clockReads).toBe(4)
  })

  it('a wall clock that jumps while the page is hidden: stamps are placed by the new clock once it is shown', () => {
    useFakeClock()
    setVisibility('visible')
    const activity = new Activity(document, resolveOptions({}))
    const disposer = new Disposer()
    activity.attach(disposer)
    cleanup.push(() => disposer.run())
    const t = Date.now()
    const before = performance.now()
    expect(eventTime(late(new Event('x'), 5))).toBe(t - 5)
    setVisibility('hidden')
    // An hour on the wall clock; the performance clock stopped (a computer asleep).
    vi.setSystemTime(t + 3_600_000)
    expect(performance.now() - before).toBe(0)
    setVisibility('visible')
    vi.advanceTimersByTime(100)
    expect(eventTime(late(new Event('x'), 5))).toBe(t + 3_600_000 + 100 - 5)
  })

  it('works without performance, and rounds to whole milliseconds', () => {
    useFakeClock()
    const t = Date.now()
    expect(stampTime(performance.now() - 12.4, t)).toBe(t - 12)
    expect(stampTime(undefined, t)).toBe(t)
    const event = late(new Event('x'), 400)
    vi.stubGlobal('performance', undefined)
    expect(stampTime(1234, t)).toBe(t)
    expect(eventTime(event, t)).toBe(t)
  })
})

describe('detectors time input from when it happened', () => {
  it('hesitation: a pointerover handled 400 ms late, then 700 ms of rest, is an 1100 ms pause', () => {
    const { signals } = setup(hesitation)
    over($('#buy'), $('#text'), 400)
    vi.advanceTimersByTime(700)
    out($('#buy'), $('#text'))
    expect(signals).toEqual([
      { type: 'hesitation', t: Date.now(), outcome: 'abandoned', ms: 1100, target: 'button#buy' },
    ])
  })

  it('hesitation: the same rest timed from a script event is 700 ms, no pause', () => {
    const { signals } = setup(hesitation)
    $('#buy').dispatchEvent(late(new PointerEvent('pointerover', { bubbles: true }), 400, false))
    vi.advanceTimersByTime(700)
    out($('#buy'), $('#text'))
    expect(signals).toEqual([])
  })

  it('hesitation: a click made 900 ms after arriving but handled at 1200 ms is no clicked pause', () => {
    const { signals } = setup(hesitation)
    over($('#buy'), $('#text'))
    vi.advanceTimersByTime(1200)
    clickLate($('#buy'), 300)
    expect(signals).toEqual([])
  })

  it('rage-click: clicks 1.5 s apart, queued by a long task and handled together, are no rage', () => {
    const { signals } = setup(rageClick)
    vi.advanceTimersByTime(3000)
    clickLate($('#buy'), 3000)
    clickLate($('#buy'), 1500)
    clickLate($('#buy'), 0)
    expect(signals).toEqual([])
  })

  it('rage-click: quick clicks handled late still count, at the time of the third click', () => {
    const { signals } = setup(rageClick)
    vi.advanceTimersByTime(2000)
    clickLate($('#buy'), 600)
    // Made 600 and 1100 ms after the first, handled together 1400 ms after it.
    vi.advanceTimersByTime(1400)
    clickLate($('#buy'), 1400)
    clickLate($('#buy'), 900)
    expect(signals).toEqual([{ type: 'rage-click', t: Date.now() - 900, clicks: 3, target: 'button#buy' }])
  })

  it('dead-click: carries the time of the click; its windows run from the handling', async () => {
    const { signals } = setup(deadClick)
    const handledAt = Date.now()
    clickLate($('#dead'), 500)
    await vi.advanceTimersByTimeAsync(2500)
    expect(signals).toEqual([{ type: 'dead-click', t: handledAt - 500, target: 'button#dead' }])

    // The page answers a late click late too: a scroll 80 ms after the handling is an answer,
    // though 580 ms after the click.
    $('#buy').addEventListener('click', () => setTimeout(() => document.dispatchEvent(new Event('scroll')), 80), {
      once: true,
    })
    clickLate($('#buy'), 500)
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(1)
  })

  it('interactions: a hover is timed from the real arrival on the item', () => {
    const hovers: unknown[] = []
    setup((ctx) => trackInteractions(ctx, (kind, info) => kind === 'hover' && hovers.push(info)))
    over($('#pic'), $('#text'), 250)
    vi.advanceTimersByTime(100)
    out($('#pic'), $('#text'))
    expect(hovers).toEqual([{ item: 'sku-1', ms: 350 }])
  })

  it('activity and idle: an input handled 5 s late starts the idle period 5 s earlier', () => {
    const { signals, activity } = setup(idle)
    vi.advanceTimersByTime(20_000)
    document.body.dispatchEvent(late(new PointerEvent('pointerdown', { bubbles: true }), 5000))
    expect(activity.lastInput).toBe(Date.now() - 5000)
    vi.advanceTimersByTime(24_999)
    expect(signals).toEqual([])
    vi.advanceTimersByTime(1)
    expect(signals).toEqual([{ type: 'idle', t: Date.now(), target: 'page', ms: 30_000 }])
  })

  it('activity: input stamped before a visibility change handled first does not wind the engaged clock back', () => {
    const { activity } = setup(() => {})
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    vi.advanceTimersByTime(10_000)
    setVisibility('visible')
    const engaged = activity.engagedClock()
    expect(engaged).toBe(1000)
    // Input from 2 s ago, while hidden, reaches the handler only now.
    document.body.dispatchEvent(late(new PointerEvent('pointerdown', { bubbles: true }), 2000))
    expect(activity.lastInput).toBe(Date.now())
    vi.advanceTimersByTime(1000)
    expect(activity.engagedClock()).toBe(engaged + 1000)
  })

  it('dwell: an item entering view is timed by the entry, not by its late delivery', () => {
    const { signals } = setup(dwell)
    const io = FakeIntersectionObserver.all[0]
    const card = $('#card')
    vi.advanceTimersByTime(1000)
    const entry = (visible: boolean, lag: number) =>
      ({ target: card, isIntersecting: visible, intersectionRatio: visible ? 1 : 0, time: performance.now() - lag }) as unknown as IntersectionObserverEntry
    io.cb([entry(true, 300)], io as unknown as IntersectionObserver)
    vi.advanceTimersByTime(1000)
    io.cb([entry(false, 0)], io as unknown as IntersectionObserver)
    expect(signals).toEqual([{ type: 'dwell', t: Date.now(), ms: 1300, target: 'sku-1', item: 'sku-1' }])
  })
})

describe('scroll-depth times a mark by its entry', () => {
  it('a mark delivered 200 ms late carries the time it came into view', () => {
    useFakeClock()
    setVisibility('visible')
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver)
    vi.stubGlobal('ResizeObserver', undefined)
    Object.defineProperty(document.documentElement, 'scrollHeight', { value: 4000, configurable: true })
    cleanup.push(() => delete (document.documentElement as { scrollHeight?: number }).scrollHeight)
    document.body.innerHTML = '<main>page</main>'
    const run = runDetector(scrollDepth)
    cleanup.push(run.destroy)
    const io = FakeIntersectionObserver.all[0]
    const fifty = [...io.observed][1]
    io.cb(
      [{ target: fifty, isIntersecting: true, intersectionRatio: 1, time: performance.now() - 200 }] as unknown as IntersectionObserverEntry[],
      io as unknown as IntersectionObserver,
    )
    expect(run.signals).toEqual([
      { type: 'scroll-depth', t: Date.now() - 200, target: 'page', percent: 25 },
      { type: 'scroll-depth', t: Date.now() - 200, target: 'page', percent: 50 },
    ])
  })
})
