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
