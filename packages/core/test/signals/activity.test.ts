import { afterEach, describe, expect, it, vi } from 'vitest'
import { Activity } from '../../src/signals/activity'
import { Disposer } from '../../src/signals/listen'
import { setVisibility, useFakeClock } from '../helpers'

const input = (type = 'pointerdown'): void => {
  document.body.dispatchEvent(new Event(type, { bubbles: true }))
}

describe('Activity', () => {
  let disposer: Disposer | undefined
  afterEach(() => {
    disposer?.run()
    disposer = undefined
  })

  const setup = (activeWindowMs = 30000) => {
    useFakeClock()
    setVisibility('visible')
    const activity = new Activity(document, { activeWindowMs })
    disposer = new Disposer()
    activity.attach(disposer)
    const kinds: string[] = []
    activity.subscribe((k) => kinds.push(k))
    return { activity, kinds, start: Date.now() }
  }

  it('counts visible time up to activeWindowMs after the last input, exactly', () => {
    const { activity, start } = setup()
    vi.advanceTimersByTime(29999)
    expect(activity.engagedClock()).toBe(29999)
    expect(activity.isActive()).toBe(true)
    vi.advanceTimersByTime(1)
    expect(activity.engagedClock()).toBe(30000)
    expect(activity.isActive()).toBe(false)
    vi.advanceTimersByTime(50000)
    expect(activity.engagedClock()).toBe(30000)
    expect(activity.engagedClock(start + 12345)).toBe(12345)
  })

  it('coalesces trusted input in quick succession without changing the engaged clock or lastInput', () => {
    const { activity, kinds } = setup()
    // The reference: the same inputs, each handled in full.
    const reference = new Activity(document, { activeWindowMs: 30000 })
    const base = performance.now()
    let simulated = 0
    const gaps = [0, 100, 100, 200, 300, 50, 31_000, 100, 249, 250, 10, 5, 40_000, 1]
    let inputs = 0
    for (const gap of gaps) {
      vi.advanceTimersByTime(gap)
      simulated += gap
      // A browser's input event: trusted, stamped on the performance clock (the stamps run ahead
      // of the real clock here, so the handling lag reads as none).
      const e = new Event('pointerover', { bubbles: true })
      Object.defineProperty(e, 'isTrusted', { value: true })
      Object.defineProperty(e, 'timeStamp', { value: base + simulated })
      document.body.dispatchEvent(e)
      reference.input()
      inputs++
      expect(activity.lastInput).toBe(reference.lastInput)
      expect(activity.engagedClock()).toBe(reference.engagedClock())
    }
    vi.advanceTimersByTime(45_000)
    expect(activity.engagedClock()).toBe(reference.engagedClock())
    expect(activity.isActive()).toBe(reference.isActive())
    // Handled in full (and notified): the first, and those after a gap of 250 ms or more.
    expect(kinds.filter((k) => k === 'input')).toHaveLength(gaps.filter((g, i) => i === 0 || g >= 250).length)
    expect(inputs).toBe(gaps.length)
  })

  it('input while inactive restarts counting from the input, not retroactively', () => {
    const { activity, kinds } = setup(10000)
    vi.advanceTimersByTime(25000)
    input('keydown')
    expect(activity.engagedClock()).toBe(10000)
    vi.advanceTimersByTime(4000)
    input('wheel')
    vi.advanceTimersByTime(4000)
    expect(activity.engagedClock()).toBe(18000)
    expect(activity.interacted).toBe(true)
    expect(kinds).toEqual(['input', 'input'])
  })

  it('does not count hidden time, and notifies hidden and visible once each', () => {
    const { activity, kinds } = setup()
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide'))
    vi.advanceTimersByTime(10000)
    expect(activity.engagedClock()).toBe(5000)
    setVisibility('visible')
    input()
    vi.advanceTimersByTime(2000)
    expect(activity.engagedClock()).toBe(7000)
    expect(kinds).toEqual(['hidden', 'visible', 'input'])
  })

  it('pagehide without visibilitychange hides; pageshow from the back/forward cache shows again', () => {
    const { activity, kinds } = setup()
    vi.advanceTimersByTime(1000)
    window.dispatchEvent(new Event('pagehide'))
    expect(activity.visible).toBe(false)
    vi.advanceTimersByTime(60000)
    window.dispatchEvent(new Event('pageshow'))
    expect(activity.visible).toBe(true)
    input()
    vi.advanceTimersByTime(1000)
    expect(activity.engagedClock()).toBe(2000)
    expect(kinds).toEqual(['hidden', 'visible', 'input'])
  })

  it('pageshow while the document is hidden keeps it hidden', () => {
    const { activity, kinds } = setup()
    setVisibility('hidden')
    window.dispatchEvent(new Event('pageshow'))
    expect(activity.visible).toBe(false)
    expect(kinds).toEqual(['hidden'])
  })

  it('starts hidden when the document is hidden', () => {
    useFakeClock()
    setVisibility('hidden')
    const activity = new Activity(document, { activeWindowMs: 30000 })
    vi.advanceTimersByTime(5000)
    expect(activity.visible).toBe(false)
    expect(activity.engagedClock()).toBe(0)
  })

  it('unsubscribe and dispose stop notifications and listeners', () => {
    const { activity, kinds } = setup()
    const other: string[] = []
    const off = activity.subscribe((k) => other.push(k))
    off()
    disposer!.run()
    const before = activity.lastInput
    vi.advanceTimersByTime(1000)
    input()
    setVisibility('hidden')
    expect(kinds).toEqual([])
    expect(other).toEqual([])
    expect(activity.lastInput).toBe(before)
    expect(activity.visible).toBe(true)
  })
})
