import { describe, expect, it, vi } from 'vitest'
import { rageClick } from '../../src/signals/rageClick'
import { $, clickAt, html, runDetector, useFakeClock } from '../helpers'

describe('rage-click', () => {
  const setup = (opts = {}) => {
    useFakeClock()
    html('<button id="buy">Buy</button><input id="q" type="text"><div data-tacit-ignore><button id="x">x</button></div>')
    return runDetector(rageClick, opts)
  }

  it('fires once on the third click of a run, with the target described without text', () => {
    const { signals } = setup()
    const b = $('#buy')
    clickAt(b, 10, 10)
    vi.advanceTimersByTime(300)
    clickAt(b, 12, 11)
    vi.advanceTimersByTime(300)
    expect(signals).toHaveLength(0)
    clickAt(b, 14, 12)
    expect(signals).toEqual([expect.objectContaining({ type: 'rage-click', target: 'button#buy', clicks: 3 })])
    vi.advanceTimersByTime(300)
    clickAt(b, 14, 12)
    expect(signals).toHaveLength(1)
  })

  it('a gap of exactly the interval starts a new run; just under continues it', () => {
    const { signals } = setup()
    const b = $('#buy')
    clickAt(b, 10, 10)
    vi.advanceTimersByTime(999)
    clickAt(b, 10, 10)
    vi.advanceTimersByTime(1000) // exactly at the limit: not "less than", so a new run
    clickAt(b, 10, 10)
    vi.advanceTimersByTime(999)
    clickAt(b, 10, 10)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(999)
    clickAt(b, 10, 10)
    expect(signals).toHaveLength(1)
  })

  it('a move of exactly the distance starts a new run; just under continues it', () => {
    const { signals } = setup()
    const b = $('#buy')
    clickAt(b, 0, 0)
    clickAt(b, 15, 15) // Manhattan 30: new run
    clickAt(b, 30, 29) // 29 from the previous: continues (run of 2)
    expect(signals).toHaveLength(0)
    clickAt(b, 31, 29)
    expect(signals).toHaveLength(1)
  })

  it('needs rageClickCount clicks (an option)', () => {
    const { signals } = setup({ rageClickCount: 4 })
    const b = $('#buy')
    for (let i = 0; i < 3; i++) clickAt(b, 5, 5)
    expect(signals).toHaveLength(0)
    clickAt(b, 5, 5)
    expect(signals[0]).toMatchObject({ clicks: 4 })
  })

  it('ignores text fields and data-tacit-ignore', () => {
    const { signals } = setup()
    for (let i = 0; i < 5; i++) clickAt($('#q'), 5, 5)
    for (let i = 0; i < 5; i++) clickAt($('#x'), 5, 5)
    expect(signals).toHaveLength(0)
  })

  it('removes its listener on destroy', () => {
    const { signals, destroy } = setup()
    destroy()
    for (let i = 0; i < 5; i++) clickAt($('#buy'), 5, 5)
    expect(signals).toHaveLength(0)
  })
})
