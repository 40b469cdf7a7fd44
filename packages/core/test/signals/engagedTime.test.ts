import { afterEach, describe, expect, it, vi } from 'vitest'
import { engagedTime } from '../../src/signals/engagedTime'
import { runDetector, setVisibility, useFakeClock } from '../helpers'

const input = (type = 'pointerdown'): void => {
  document.body.dispatchEvent(new Event(type, { bubbles: true }))
}

/** Advances `ms`, with input every `every` ms (the person keeps interacting). */
const activeFor = (ms: number, every = 5000): void => {
  for (let left = ms; left > 0; left -= every) {
    vi.advanceTimersByTime(Math.min(every, left))
    input('wheel')
  }
}

describe('engaged-time', () => {
  let run: ReturnType<typeof runDetector> | undefined
  afterEach(() => {
    run?.destroy()
    run = undefined
  })

  const setup = (opts = {}) => {
    useFakeClock()
    setVisibility('visible')
    run = runDetector(engagedTime, opts)
    return run
  }

  it('emits the engaged ms of the page when it hides', () => {
    const { signals, errors } = setup()
    activeFor(10000)
    expect(signals).toHaveLength(0)
    setVisibility('hidden')
    expect(signals).toEqual([{ type: 'engaged-time', t: Date.now(), target: 'page', ms: 10000 }])
    expect(errors).toEqual([])
  })

  it('stops counting exactly activeWindowMs after the last input', () => {
    const { signals } = setup()
    vi.advanceTimersByTime(29999)
    input()
    vi.advanceTimersByTime(30000)
    vi.advanceTimersByTime(45000) // no input: not engaged
    setVisibility('hidden')
    expect(signals[0]).toMatchObject({ ms: 59999 })
  })

  it('counts at most activeWindowMs without any input (page load counts as input)', () => {
    const { signals } = setup()
    vi.advanceTimersByTime(120000)
    setVisibility('hidden')
    expect(signals[0]).toMatchObject({ ms: 30000 })
  })

  it('follows the activeWindowMs option', () => {
    const { signals } = setup({ activeWindowMs: 5000 })
    vi.advanceTimersByTime(4000)
    input()
    vi.advanceTimersByTime(20000)
    setVisibility('hidden')
    expect(signals[0]).toMatchObject({ ms: 9000 })
  })

  it('does not count hidden time; a second hide emits only the time since the first', () => {
    const { signals } = setup()
    activeFor(4000)
    setVisibility('hidden')
    vi.advanceTimersByTime(600000)
    setVisibility('visible')
    input()
    activeFor(3000, 1000)
    setVisibility('hidden')
    expect(signals.map((s) => s.type === 'engaged-time' && s.ms)).toEqual([4000, 3000])
  })

  it('emits on pagehide, and once only when visibilitychange follows', () => {
    const { signals } = setup()
    activeFor(7000)
    window.dispatchEvent(new Event('pagehide'))
    setVisibility('hidden')
    expect(signals).toEqual([expect.objectContaining({ type: 'engaged-time', ms: 7000 })])
  })

  it('emits nothing when the engaged time is 0', () => {
    const { signals } = setup()
    setVisibility('hidden')
    expect(signals).toHaveLength(0)
    // Back, but the last input is older than the active window: nothing engaged.
    vi.advanceTimersByTime(40000)
    setVisibility('visible')
    vi.advanceTimersByTime(10000)
    setVisibility('hidden')
    expect(signals).toHaveLength(0)
  })

  it('destroy stops it', () => {
    const { signals, destroy } = setup()
    activeFor(5000)
    destroy()
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide'))
    expect(signals).toHaveLength(0)
  })
})
