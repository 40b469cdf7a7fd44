import { afterEach, describe, expect, it, vi } from 'vitest'
import { SETTLE_MS, dwell } from '../../src/signals/dwell'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'
import { FakeIntersectionObserver } from '../fakes'

const FakeIO = FakeIntersectionObserver
type FakeIO = FakeIntersectionObserver

const io = (): FakeIO => {
  expect(FakeIO.all).toHaveLength(1)
  return FakeIO.all[0]
}

const input = (): void => {
  document.body.dispatchEvent(new Event('keydown', { bubbles: true }))
}
const activeFor = (ms: number, every = 5000): void => {
  for (let left = ms; left > 0; left -= every) {
    vi.advanceTimersByTime(Math.min(every, left))
    input()
  }
}
/**
 * The browser reports a change of view after something moved the layout: here a resize (a scroll
 * would also count as the person's input).
 */
const view = (el: Element, ratio: number): void => {
  window.dispatchEvent(new Event('resize'))
  io().reportRatio(el, ratio)
}
const mutations = async (): Promise<void> => {
  await Promise.resolve()
  await Promise.resolve()
}

describe('dwell', () => {
  let run: ReturnType<typeof runDetector> | undefined
  afterEach(() => {
    run?.destroy()
    run = undefined
    FakeIO.all = []
    vi.unstubAllGlobals()
  })

  const setup = (opts = {}) => {
    useFakeClock()
    setVisibility('visible')
    vi.stubGlobal('IntersectionObserver', FakeIO)
    html(`
      <ul>
        <li data-tacit-item="sku-1" data-tacit-tags="Luggage, premium">A</li>
        <li data-tacit-item="sku-2">B</li>
        <li id="plain">C</li>
      </ul>`)
    run = runDetector(dwell, opts)
    return run
  }

  it('observes every tracked element at the dwellVisibleRatio threshold', () => {
    setup()
    expect([...io().observed]).toEqual([$('[data-tacit-item=sku-1]'), $('[data-tacit-item=sku-2]')])
    expect(io().options).toEqual({ threshold: 0.5 })
  })

  it('emits the engaged ms between entering and leaving view, described by its item', () => {
    const { signals, errors } = setup()
    const a = $('[data-tacit-item=sku-1]')
    view(a, 1)
    activeFor(12000, 3000)
    view(a, 0)
    expect(signals).toEqual([
      { type: 'dwell', t: Date.now(), ms: 12000, target: 'sku-1', item: 'sku-1', tags: ['luggage', 'premium'] },
    ])
    expect(errors).toEqual([])
  })

  it('needs at least the ratio: 0.49 does not start, 0.5 does, falling under it ends', () => {
    const { signals } = setup()
    const a = $('[data-tacit-item=sku-1]')
    view(a, 0.49)
    activeFor(4000, 1000)
    view(a, 0.2)
    expect(signals).toHaveLength(0)
    view(a, 0.5)
    activeFor(3000, 1000)
    view(a, 0.49) // still intersecting, but under the ratio
    expect(signals).toEqual([expect.objectContaining({ item: 'sku-1', ms: 3000 })])
  })

  it('follows the dwellVisibleRatio option', () => {
    const { signals } = setup({ dwellVisibleRatio: 0.8 })
    const a = $('[data-tacit-item=sku-1]')
    expect(io().options).toEqual({ threshold: 0.8 })
    view(a, 0.7)
    activeFor(2000, 1000)
    view(a, 0.8)
    activeFor(2000, 1000)
    view(a, 0)
    expect(signals).toEqual([expect.objectContaining({ ms: 2000 })])
  })

  it('counts engaged time only: stops activeWindowMs after the last input', () => {
    const { signals } = setup()
    const a = $('[data-tacit-item=sku-1]')
    vi.advanceTimersByTime(10000)
    view(a, 1) // 10 s into the page, 20 s of the active window left
    vi.advanceTimersByTime(120000)
    view(a, 0)
    expect(signals).toEqual([expect.objectContaining({ ms: 20000 })])
  })

  it('does not emit 0-ms dwells (left at once, or seen while inactive)', () => {
    const { signals } = setup()
    const a = $('[data-tacit-item=sku-1]')
    view(a, 1)
    view(a, 0)
    vi.advanceTimersByTime(60000) // inactive
    view(a, 1)
    vi.advanceTimersByTime(5000)
    view(a, 0)
    expect(signals).toHaveLength(0)
  })

  it('emits when the page hides, then measures again once visible; hidden time is not counted', () => {
    const { signals } = setup()
    const a = $('[data-tacit-item=sku-1]')
    const b = $('[data-tacit-item=sku-2]')
    view(a, 1)
    activeFor(4000, 1000)
    view(b, 1)
    activeFor(1000, 1000)
    setVisibility('hidden')
    expect(signals.map((s) => [s.target, s.type === 'dwell' && s.ms])).toEqual([
      ['sku-1', 5000],
      ['sku-2', 1000],
    ])
    vi.advanceTimersByTime(300000)
    setVisibility('visible')
    input()
    activeFor(2000, 1000)
    view(a, 0)
    window.dispatchEvent(new Event('pagehide'))
    expect(signals.slice(2).map((s) => [s.target, s.type === 'dwell' && s.ms])).toEqual([
      ['sku-1', 2000],
      ['sku-2', 2000],
    ])
  })

  it('observes tracked elements added later (nested too) and unobserves removed ones, emitting their dwell', async () => {
    const { signals } = setup()
    const list = $('ul')
    const box = document.createElement('div')
    box.innerHTML = '<section><p data-tacit-item="late">late</p></section>'
    list.after(box)
    const li = document.createElement('li')
    li.setAttribute('data-tacit-item', 'sku-3')
    list.appendChild(li)
    await mutations()
    const late = $('[data-tacit-item=late]')
    expect(io().observed.has(late)).toBe(true)
    expect(io().observed.has(li)).toBe(true)
    expect(io().observed.size).toBe(4)

    view(late, 1)
    activeFor(3000, 1000)
    box.remove()
    $('[data-tacit-item=sku-2]').remove()
    await mutations()
    expect(io().observed.has(late)).toBe(false)
    expect([...io().observed].map((el) => el.getAttribute('data-tacit-item'))).toEqual(['sku-1', 'sku-3'])
    expect(signals).toEqual([expect.objectContaining({ target: 'late', ms: 3000 })])
  })

  it('keeps measuring an element moved within the page', async () => {
    const { signals } = setup()
    const a = $('[data-tacit-item=sku-1]')
    view(a, 1)
    activeFor(2000, 1000)
    document.body.appendChild(a) // a move: removed then added in the same batch
    await mutations()
    expect(io().observed.has(a)).toBe(true)
    expect(signals).toHaveLength(0)
    activeFor(1000, 1000)
    view(a, 0)
    expect(signals).toEqual([expect.objectContaining({ ms: 3000 })])
  })

  it('observes only the elements in view once the layout settles, and every tracked one again after what may move it', async () => {
    const { signals, errors } = setup()
    const [a, b] = [$('[data-tacit-item=sku-1]'), $('[data-tacit-item=sku-2]')]
    const items = () => [...io().observed].map((el) => el.getAttribute('data-tacit-item'))
    view(a, 1)
    vi.advanceTimersByTime(SETTLE_MS - 1)
    expect(items()).toEqual(['sku-1', 'sku-2'])
    vi.advanceTimersByTime(SETTLE_MS + 1) // the resize of `view` woke it: one more quiet period
    expect(items()).toEqual(['sku-1'])

    const wakes: Array<[string, () => void | Promise<void>]> = [
      ['a scroll of an inner scroller', () => void $('ul').dispatchEvent(new Event('scroll'))],
      ['a resize', () => void window.dispatchEvent(new Event('resize'))],
      ['an image loaded', () => void $('ul').dispatchEvent(new Event('load'))],
      ['a class changed', () => { $('#plain').className = 'open'; return mutations() }],
      ['an element added', () => { $('ul').append(document.createElement('li')); return mutations() }],
      ['the page shown again', () => { setVisibility('hidden'); setVisibility('visible') }],
    ]
    for (const [what, wake] of wakes) {
      await wake()
      expect(items(), what).toEqual(['sku-1', 'sku-2'])
      vi.advanceTimersByTime(2 * SETTLE_MS)
      expect(items(), what).toEqual(['sku-1'])
    }
    // A text change does not wake it; a change of another attribute neither.
    $('#plain').textContent = 'changed'
    $('#plain').setAttribute('data-x', '1')
    await mutations()
    expect(items()).toEqual(['sku-1'])

    // Asleep, the element in view is still watched: leaving view ends its dwell.
    input()
    vi.advanceTimersByTime(1000)
    io().reportRatio(a, 0)
    expect(signals.filter((s) => s.type === 'dwell' && s.item === 'sku-1')).toHaveLength(2) // the hide above, and now
    expect(items()).toEqual([])
    // Brought back into view by a scroll: measured again.
    view(b, 1)
    input()
    vi.advanceTimersByTime(3000)
    view(b, 0)
    expect(signals.at(-1)).toEqual(expect.objectContaining({ item: 'sku-2', ms: 3000 }))
    expect(errors).toEqual([])
  })

  it('does nothing, and never throws, without IntersectionObserver', async () => {
    useFakeClock()
    setVisibility('visible')
    vi.stubGlobal('IntersectionObserver', undefined)
    html('<div data-tacit-item="x"></div>')
    run = runDetector(dwell)
    document.body.appendChild(document.createElement('div'))
    await mutations()
    activeFor(5000)
    setVisibility('hidden')
    expect(run.signals).toHaveLength(0)
    expect(run.errors).toHaveLength(0)
  })

  it('destroy disconnects both observers and stops emitting', async () => {
    const { signals, destroy } = setup()
    const a = $('[data-tacit-item=sku-1]')
    view(a, 1)
    activeFor(2000, 1000)
    destroy()
    expect(io().disconnected).toBe(true)
    expect(io().observed.size).toBe(0)
    const li = document.createElement('li')
    li.setAttribute('data-tacit-item', 'sku-9')
    document.body.appendChild(li)
    await mutations()
    expect(io().observed.size).toBe(0)
    setVisibility('hidden')
    a.remove()
    await mutations()
    io().cb([{ target: a, isIntersecting: false, intersectionRatio: 0 } as unknown as IntersectionObserverEntry], io() as never)
    expect(signals).toHaveLength(0)
  })
})
