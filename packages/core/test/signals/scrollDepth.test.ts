import { afterEach, describe, expect, it, vi } from 'vitest'
import { entryHeight, marksToEmit, scrollDepth } from '../../src/signals/scrollDepth'
import { runDetector, setVisibility, useFakeClock } from '../helpers'
import { FakeIntersectionObserver } from '../fakes'

const FakeIO = FakeIntersectionObserver
type FakeIO = FakeIntersectionObserver

/** A ResizeObserver the test drives. */
class FakeRO {
  static all: FakeRO[] = []
  observed: Element[] = []
  disconnected = false
  constructor(readonly cb: ResizeObserverCallback) {
    FakeRO.all.push(this)
  }
  observe(el: Element): void {
    this.observed.push(el)
  }
  unobserve(): void {}
  disconnect(): void {
    this.observed = []
    this.disconnected = true
  }
  resize(height: number): void {
    const entry = {
      target: document.documentElement,
      borderBoxSize: [{ blockSize: height, inlineSize: 1024 }],
      contentBoxSize: [{ blockSize: height, inlineSize: 1024 }],
      contentRect: { height, width: 1024 },
    }
    this.cb([entry as unknown as ResizeObserverEntry], this as unknown as ResizeObserver)
  }
}

const wrapper = (): HTMLElement | null => document.querySelector<HTMLElement>('[data-tacit-sentinels]')
const sentinels = (): HTMLElement[] => [...(wrapper()?.children ?? [])] as HTMLElement[]
/** The sentinel of a mark, found by the position it was given. */
const sentinel = (mark: number): HTMLElement => {
  const s = sentinels().find((el) => el.style.top === `calc(${mark}% - 1px)`)
  if (!s) throw new Error(`no sentinel for ${mark}%`)
  return s
}
const io = (): FakeIO => FakeIO.all[0]
const ro = (): FakeRO => FakeRO.all[0]
const percents = (signals: ReturnType<typeof runDetector>['signals']) =>
  signals.map((s) => (s.type === 'scroll-depth' ? s.percent : s.type))

describe('scroll-depth', () => {
  let run: ReturnType<typeof runDetector> | undefined
  afterEach(() => {
    run?.destroy()
    run = undefined
    FakeIO.all = []
    FakeRO.all = []
    vi.unstubAllGlobals()
  })

  const setup = (opts = {}, { resizeObserver = true } = {}) => {
    useFakeClock()
    setVisibility('visible')
    vi.stubGlobal('IntersectionObserver', FakeIO)
    vi.stubGlobal('ResizeObserver', resizeObserver ? FakeRO : undefined)
    document.body.innerHTML = '<main>page</main>'
    run = runDetector(scrollDepth, opts)
    return run
  }

  it('adds one hidden wrapper with a 1-px sentinel per mark, sized by a ResizeObserver on <html>', () => {
    setup()
    const w = wrapper()!
    expect(w.parentElement).toBe(document.body)
    expect(w.getAttribute('aria-hidden')).toBe('true')
    expect(w.style.position).toBe('absolute')
    expect(w.style.visibility).toBe('hidden')
    expect(w.style.pointerEvents).toBe('none')
    expect(w.style.width).toBe('1px')
    expect(sentinels().map((s) => s.style.top)).toEqual(
      [25, 50, 75, 90, 100].map((m) => `calc(${m}% - 1px)`),
    )
    expect(sentinels().every((s) => s.style.position === 'absolute' && s.style.height === '1px')).toBe(true)
    expect(ro().observed).toEqual([document.documentElement])
    expect(io().options?.root ?? null).toBeNull()
  })

  it('observes the sentinels only once the document height is known', () => {
    setup()
    expect(io().observed.size).toBe(0)
    ro().resize(0)
    expect(io().observed.size).toBe(0)
    ro().resize(4800)
    expect(wrapper()!.style.height).toBe('4800px')
    expect(io().observed.size).toBe(5)
    ro().resize(6000) // the page grew: the wrapper follows
    expect(wrapper()!.style.height).toBe('6000px')
    expect(io().observed.size).toBe(5)
  })

  it('emits each mark once, when its sentinel enters the viewport', () => {
    const { signals, errors } = setup()
    ro().resize(4000)
    // The first report after observe says which sentinels are in view at load.
    io().report([
      [sentinel(25), true],
      [sentinel(50), false],
      [sentinel(75), false],
    ])
    expect(signals).toEqual([{ type: 'scroll-depth', t: Date.now(), target: 'page', percent: 25 }])
    expect(io().observed.has(sentinel(25))).toBe(false)
    io().report([[sentinel(50), false]])
    expect(signals).toHaveLength(1)
    io().report([[sentinel(50), true]])
    expect(percents(signals)).toEqual([25, 50])
    io().report([[sentinel(50), true]])
    expect(percents(signals)).toEqual([25, 50])
    expect(errors).toEqual([])
  })

  it('a jump emits every lower mark not yet emitted first, in ascending order', () => {
    const { signals } = setup()
    ro().resize(4000)
    io().report([[sentinel(25), true]])
    io().report([[sentinel(90), true]])
    expect(percents(signals)).toEqual([25, 50, 75, 90])
    // Passed sentinels are no longer watched.
    expect([...io().observed]).toEqual([sentinel(100)])
  })

  it('a page shorter than the viewport reports every mark at load', () => {
    const { signals } = setup()
    ro().resize(600)
    io().report(sentinels().map((s) => [s, true] as [Element, boolean]))
    expect(percents(signals)).toEqual([25, 50, 75, 90, 100])
  })

  it('stops observing when every mark is emitted; the wrapper stays until destroy', () => {
    const { signals } = setup()
    ro().resize(4000)
    io().report([[sentinel(100), true]])
    expect(percents(signals)).toEqual([25, 50, 75, 90, 100])
    expect(io().disconnected).toBe(true)
    expect(ro().disconnected).toBe(true)
    expect(wrapper()).not.toBeNull()
  })

  it('follows the scrollMarks option', () => {
    const { signals } = setup({ scrollMarks: [60, 10] })
    expect(sentinels().map((s) => s.style.top)).toEqual(['calc(10% - 1px)', 'calc(60% - 1px)'])
    ro().resize(3000)
    io().report([[sentinel(60), true]])
    expect(percents(signals)).toEqual([10, 60])
  })

  it('without ResizeObserver, reads documentElement.scrollHeight once at attach', () => {
    const spy = vi.spyOn(document.documentElement, 'scrollHeight', 'get').mockReturnValue(3200)
    const { signals } = setup({}, { resizeObserver: false })
    expect(spy).toHaveBeenCalledTimes(1)
    expect(wrapper()!.style.height).toBe('3200px')
    expect(io().observed.size).toBe(5)
    io().report([[sentinel(50), true]])
    expect(percents(signals)).toEqual([25, 50])
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('without IntersectionObserver, adds nothing and never throws', () => {
    useFakeClock()
    vi.stubGlobal('IntersectionObserver', undefined)
    vi.stubGlobal('ResizeObserver', FakeRO)
    run = runDetector(scrollDepth)
    expect(wrapper()).toBeNull()
    expect(FakeRO.all).toHaveLength(0)
    expect(run.errors).toEqual([])
  })

  it('destroy removes the wrapper and disconnects both observers', () => {
    const { signals, destroy } = setup()
    ro().resize(4000)
    const s50 = sentinel(50)
    destroy()
    expect(wrapper()).toBeNull()
    expect(io().disconnected).toBe(true)
    expect(ro().disconnected).toBe(true)
    io().cb([{ target: s50, isIntersecting: true } as unknown as IntersectionObserverEntry], io() as never)
    // A late callback after destroy must not emit either.
    expect(signals).toEqual([])
  })
})

describe('marksToEmit', () => {
  it('returns the marks reached and not yet done, ascending', () => {
    expect(marksToEmit([25, 50, 75, 90, 100], 75, new Set([25]))).toEqual([50, 75])
    expect(marksToEmit([100, 25, 50], 100, new Set())).toEqual([25, 50, 100])
    expect(marksToEmit([25, 50], 24, new Set())).toEqual([])
    expect(marksToEmit([25, 50], 50, new Set([25, 50]))).toEqual([])
  })
})

describe('entryHeight', () => {
  const entry = (e: object) => e as unknown as ResizeObserverEntry
  it('reads borderBoxSize (array or, in older Firefox, one object), else contentRect', () => {
    expect(entryHeight(entry({ borderBoxSize: [{ blockSize: 900 }], contentRect: { height: 1 } }))).toBe(900)
    expect(entryHeight(entry({ borderBoxSize: { blockSize: 800 }, contentRect: { height: 1 } }))).toBe(800)
    expect(entryHeight(entry({ contentRect: { height: 700 } }))).toBe(700)
  })
})
