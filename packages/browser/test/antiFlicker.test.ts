import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hide, isHidden, reveal } from '../src/declarative/antiFlicker'
import { createGate, type Phase } from '../src/declarative/gate'
import { $, page } from './fakeTacit'

describe('hide and reveal', () => {
  it('hide sets visibility: hidden !important through the CSSOM; reveal removes it and marks the element ready', () => {
    page('<div id="slot"></div>')
    hide($('#slot'))
    expect(isHidden($('#slot'))).toBe(true)
    expect($('#slot').style.getPropertyValue('visibility')).toBe('hidden')
    expect($('#slot').style.getPropertyPriority('visibility')).toBe('important')
    reveal($('#slot'))
    expect(isHidden($('#slot'))).toBe(false)
    expect($('#slot').hasAttribute('style')).toBe(false)
    expect($('#slot').getAttribute('data-tacit-ready')).toBe('')
  })

  it('the element’s own inline styles are kept, and its own visibility restored with its priority', () => {
    page('<div id="a" style="color: red; visibility: collapse !important"></div><div id="b" style="margin: 2px"></div>')
    hide($('#a'))
    hide($('#b'))
    hide($('#a')) // twice: the first saved value wins
    reveal($('#a'))
    reveal($('#b'))
    expect($('#a').style.getPropertyValue('visibility')).toBe('collapse')
    expect($('#a').style.getPropertyPriority('visibility')).toBe('important')
    expect($('#a').style.getPropertyValue('color')).toBe('red')
    expect($('#b').getAttribute('style')).toBe('margin: 2px;')
  })
})

describe('the gate', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  const open = (ms = 300) => {
    let resolve!: () => void
    const ready = new Promise<void>((r) => (resolve = r))
    const phases: Phase[] = []
    const errors: unknown[] = []
    const gate = createGate(ready, ms, (e) => errors.push(e))
    gate.onChange((p) => phases.push(p))
    return { gate, phases, errors, resolve: async () => (resolve(), await vi.advanceTimersByTimeAsync(0)) }
  }

  it('ready first: waiting, then ready; the timer is gone', async () => {
    const { gate, phases, resolve } = open()
    expect(gate.phase).toBe('waiting')
    await vi.advanceTimersByTimeAsync(299)
    await resolve()
    expect(phases).toEqual(['ready'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('deadline first: timed-out at exactly the deadline, then ready', async () => {
    const { gate, phases, resolve } = open(300)
    vi.advanceTimersByTime(299)
    expect(gate.phase).toBe('waiting')
    vi.advanceTimersByTime(1)
    expect(phases).toEqual(['timed-out'])
    await resolve()
    expect(phases).toEqual(['timed-out', 'ready'])
    expect(gate.phase).toBe('ready')
  })

  it('a listener that throws is reported and does not stop the next', async () => {
    const { gate, phases, errors } = open()
    gate.onChange(() => {
      throw new Error('boom')
    })
    const after: Phase[] = []
    gate.onChange((p) => after.push(p))
    vi.advanceTimersByTime(300)
    expect(phases).toEqual(['timed-out'])
    expect(after).toEqual(['timed-out'])
    expect(errors).toEqual([new Error('boom')])
  })

  it('closed: no change of phase, no timer', async () => {
    const { gate, phases, resolve } = open()
    gate.close()
    expect(vi.getTimerCount()).toBe(0)
    await resolve()
    expect(phases).toEqual([])
    expect(gate.phase).toBe('waiting')
  })
})
