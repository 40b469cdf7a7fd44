import { afterEach, describe, expect, it, vi } from 'vitest'
import { idle } from '../../src/signals/idle'
import { runDetector, setVisibility, useFakeClock } from '../helpers'

const input = (type = 'pointerdown'): void => {
  document.body.dispatchEvent(new Event(type, { bubbles: true }))
}

describe('idle', () => {
  let run: ReturnType<typeof runDetector> | undefined
  afterEach(() => {
    run?.destroy()
    run = undefined
    vi.restoreAllMocks()
  })

  const setup = (opts = {}, visibility: 'visible' | 'hidden' = 'visible') => {
    useFakeClock()
    setVisibility(visibility)
    run = runDetector(idle, opts)
    return { ...run, start: Date.now() }
  }

  it('fires after exactly idleMs without input: 29999 no, 30000 yes', () => {
    const { signals, start, errors } = setup()
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toEqual([{ type: 'idle', t: start + 30000, target: 'page', ms: 30000 }])
    expect(errors).toEqual([])
  })

  it('fires once per idle period', () => {
    const { signals } = setup()
    vi.advanceTimersByTime(300000)
    expect(signals).toHaveLength(1)
  })

  it('input re-arms it, counting from the last input', () => {
    const { signals, start } = setup()
    vi.advanceTimersByTime(20000)
    input('keydown') // before the deadline: pushes it to 50000
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toHaveLength(1)
    vi.advanceTimersByTime(10000)
    input() // after firing: a new period from 60000
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(signals.map((s) => s.t - start)).toEqual([50000, 90000])
  })

  it('does not touch timers on each input event (one timer, re-armed when it fires)', () => {
    const { signals } = setup()
    const set = vi.spyOn(globalThis, 'setTimeout')
    const clear = vi.spyOn(globalThis, 'clearTimeout')
    // A minute of continuous scrolling: 40 events a second.
    for (let i = 0; i < 2400; i++) {
      vi.advanceTimersByTime(25)
      input(i % 2 ? 'wheel' : 'scroll')
    }
    expect(signals).toHaveLength(0)
    expect(clear).not.toHaveBeenCalled()
    expect(set.mock.calls.length).toBeLessThanOrEqual(2) // one re-arm per idleMs, not per event
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toHaveLength(1)
  })

  it('never fires while hidden; when visible again the period runs from that moment', () => {
    const { signals, start } = setup()
    vi.advanceTimersByTime(10000)
    setVisibility('hidden')
    vi.advanceTimersByTime(100000)
    expect(signals).toHaveLength(0)
    setVisibility('visible') // at 110000, last input at 0
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals.map((s) => s.t - start)).toEqual([140000])
  })

  it('when visible again, a later input still counts: max(lastInput, visible)', () => {
    const { signals, start } = setup()
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    vi.advanceTimersByTime(1000)
    setVisibility('visible') // at 6000
    vi.advanceTimersByTime(14000)
    input() // at 20000
    vi.advanceTimersByTime(29999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals.map((s) => s.t - start)).toEqual([50000])
  })

  it('only input re-arms it: hiding and showing after it fired does not fire again', () => {
    const { signals } = setup()
    vi.advanceTimersByTime(30000)
    setVisibility('hidden')
    setVisibility('visible')
    vi.advanceTimersByTime(100000)
    expect(signals).toHaveLength(1)
    input()
    vi.advanceTimersByTime(30000)
    expect(signals).toHaveLength(2)
  })

  it('input while hidden re-arms, but the period starts when visible', () => {
    const { signals, start } = setup()
    vi.advanceTimersByTime(30000)
    setVisibility('hidden')
    vi.advanceTimersByTime(5000)
    input('keydown')
    vi.advanceTimersByTime(60000)
    expect(signals).toHaveLength(1)
    setVisibility('visible') // at 95000
    vi.advanceTimersByTime(30000)
    expect(signals.map((s) => s.t - start)).toEqual([30000, 125000])
  })

  it('attached while hidden: waits for the page to be visible', () => {
    const { signals, start } = setup({}, 'hidden')
    vi.advanceTimersByTime(60000)
    expect(signals).toHaveLength(0)
    setVisibility('visible')
    vi.advanceTimersByTime(30000)
    expect(signals.map((s) => s.t - start)).toEqual([90000])
  })

  it('follows the idleMs option', () => {
    const { signals } = setup({ idleMs: 5000 })
    vi.advanceTimersByTime(4999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toEqual([expect.objectContaining({ type: 'idle', ms: 5000 })])
  })

  it('destroy clears its timer and stops it', () => {
    const { signals, destroy } = setup()
    vi.advanceTimersByTime(10000)
    destroy()
    expect(vi.getTimerCount()).toBe(0)
    input()
    setVisibility('hidden')
    setVisibility('visible')
    vi.advanceTimersByTime(100000)
    expect(signals).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
