import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TacitOptions } from '../../src/options'
import { hesitation } from '../../src/signals/hesitation'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'
import { click, movePointer } from './pointer'

const PAGE = `
  <p id="text">Plain text</p>
  <button id="buy"><span id="label">Buy</span></button>
  <button id="other">Other</button>
  <ul>
    <li data-tacit-item="sku-1" data-tacit-tags="luggage, Premium"><span id="pic">pic</span><button id="add">Add</button></li>
  </ul>
  <div data-tacit-ignore><button id="secret">x</button></div>
  <form>
    <input id="email" name="email" type="email">
    <input id="pw" name="pw" type="password">
    <input id="card" name="card" autocomplete="cc-number">
  </form>`

const focus = (el: Element): void => {
  el.dispatchEvent(new FocusEvent('focusin', { bubbles: true }))
}
const blur = (el: Element): void => {
  el.dispatchEvent(new FocusEvent('focusout', { bubbles: true }))
}
const type = (el: Element): void => {
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup) fn()
  cleanup = []
  setVisibility('visible')
})

const setup = (opts: TacitOptions = {}) => {
  useFakeClock()
  html(PAGE)
  const run = runDetector(hesitation, opts)
  cleanup.push(run.destroy)
  return run
}

describe('hesitation (pointer)', () => {
  it('a rest of exactly hesitationMs then leaving emits abandoned with the rest length', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(1000)
    expect(signals).toHaveLength(0) // nothing until the pointer leaves
    movePointer($('#buy'), $('#text'))
    expect(signals).toEqual([
      { type: 'hesitation', t: Date.now(), outcome: 'abandoned', ms: 1000, target: 'button#buy' },
    ])
  })

  it('a rest of 999 ms then leaving emits nothing', () => {
    const { signals } = setup()
    movePointer(null, $('#buy'))
    vi.advanceTimersByTime(999)
    movePointer($('#buy'), null)
    expect(signals).toHaveLength(0)
  })

  it('leaving the window (no relatedTarget) ends the rest', () => {
    const { signals } = setup()
    movePointer(null, $('#buy'))
    vi.advanceTimersByTime(1500)
    movePointer($('#buy'), null)
    expect(signals).toEqual([expect.objectContaining({ outcome: 'abandoned', ms: 1500 })])
  })

  it('a click after the pause emits clicked with the pause, and consumes the hover', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(1500)
    click($('#label'))
    expect(signals).toEqual([expect.objectContaining({ outcome: 'clicked', ms: 1500, target: 'button#buy' })])
    vi.advanceTimersByTime(5000)
    click($('#buy'))
    movePointer($('#buy'), $('#text'))
    expect(signals).toHaveLength(1)
  })

  it('a click before hesitationMs emits nothing, and leaving later emits nothing either', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(999)
    click($('#buy'))
    vi.advanceTimersByTime(5000)
    movePointer($('#buy'), $('#text'))
    expect(signals).toHaveLength(0)
  })

  it('moving between children of the same element keeps one rest running', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(600)
    movePointer($('#buy'), $('#label'))
    vi.advanceTimersByTime(600)
    movePointer($('#label'), $('#buy'))
    movePointer($('#buy'), $('#text'))
    expect(signals).toEqual([expect.objectContaining({ outcome: 'abandoned', ms: 1200 })])
  })

  it('moving to another element starts a new rest (two short rests are no hesitation)', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(600)
    movePointer($('#buy'), $('#other'))
    vi.advanceTimersByTime(600)
    movePointer($('#other'), $('#text'))
    expect(signals).toHaveLength(0)
    movePointer($('#text'), $('#other'))
    vi.advanceTimersByTime(1001)
    movePointer($('#other'), $('#buy'))
    expect(signals).toEqual([expect.objectContaining({ target: 'button#other', ms: 1001 })])
  })

  it('a tracked item carries its id and tags; a pause on the card continues onto its button', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#pic'))
    vi.advanceTimersByTime(800)
    movePointer($('#pic'), $('#add'))
    vi.advanceTimersByTime(400)
    click($('#add'))
    expect(signals).toEqual([
      expect.objectContaining({ outcome: 'clicked', ms: 1200, target: 'sku-1', item: 'sku-1', tags: ['luggage', 'premium'] }),
    ])
  })

  it('ignores data-tacit-ignore, password and payment fields, and non-interactive elements', () => {
    const { signals } = setup()
    for (const id of ['#secret', '#pw', '#card', '#text']) {
      movePointer(null, $(id))
      vi.advanceTimersByTime(2000)
      click($(id))
      movePointer($(id), null)
    }
    expect(signals).toHaveLength(0)
  })

  it('hesitationMs is an option', () => {
    const { signals } = setup({ hesitationMs: 2000 })
    movePointer(null, $('#buy'))
    vi.advanceTimersByTime(1999)
    movePointer($('#buy'), null)
    expect(signals).toHaveLength(0)
    movePointer(null, $('#buy'))
    vi.advanceTimersByTime(2000)
    movePointer($('#buy'), null)
    expect(signals).toEqual([expect.objectContaining({ ms: 2000 })])
  })

  it('time with the page hidden does not count as a pause', () => {
    const { signals } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(500)
    setVisibility('hidden')
    vi.advanceTimersByTime(60_000)
    setVisibility('visible')
    movePointer($('#buy'), $('#text'))
    expect(signals).toHaveLength(0)
    movePointer($('#text'), $('#other'))
    vi.advanceTimersByTime(500)
    window.dispatchEvent(new Event('pagehide'))
    vi.advanceTimersByTime(60_000)
    movePointer($('#other'), $('#text'))
    expect(signals).toHaveLength(0)
  })

  it('a click that the pointer did not rest on first is no hesitation', () => {
    const { signals } = setup()
    vi.advanceTimersByTime(5000)
    click($('#buy'))
    movePointer($('#text'), $('#other'))
    vi.advanceTimersByTime(1500)
    click($('#buy')) // keyboard or programmatic click elsewhere: the hover on #other goes on
    movePointer($('#other'), null)
    expect(signals).toEqual([expect.objectContaining({ outcome: 'abandoned', target: 'button#other', ms: 1500 })])
  })

  it('never listens to pointermove', () => {
    const spy = vi.spyOn(document, 'addEventListener')
    const spyWin = vi.spyOn(window, 'addEventListener')
    setup()
    const types = [...spy.mock.calls, ...spyWin.mock.calls].map((c) => c[0])
    spy.mockRestore()
    spyWin.mockRestore()
    expect(types).toContain('pointerover')
    expect(types).not.toContain('pointermove')
  })

  it('destroy removes its listeners', () => {
    const { signals, destroy } = setup()
    movePointer($('#text'), $('#buy'))
    vi.advanceTimersByTime(1500)
    destroy()
    movePointer($('#buy'), $('#text'))
    expect(signals).toHaveLength(0)
  })
})

describe('hesitation (form field)', () => {
  it('a field focused for fieldHesitationMs without input emits once, at that moment', () => {
    const { signals } = setup()
    focus($('#email'))
    vi.advanceTimersByTime(2999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toEqual([
      { type: 'hesitation', t: Date.now(), outcome: 'field', ms: 3000, target: 'input#email' },
    ])
    vi.advanceTimersByTime(10_000)
    expect(signals).toHaveLength(1)
  })

  it('input before the threshold cancels it', () => {
    const { signals } = setup()
    focus($('#email'))
    vi.advanceTimersByTime(2999)
    type($('#email'))
    vi.advanceTimersByTime(5000)
    expect(signals).toHaveLength(0)
  })

  it('leaving the field before the threshold cancels it; focusing again starts over', () => {
    const { signals } = setup()
    focus($('#email'))
    vi.advanceTimersByTime(2000)
    blur($('#email'))
    vi.advanceTimersByTime(2000)
    expect(signals).toHaveLength(0)
    focus($('#email'))
    vi.advanceTimersByTime(2999)
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(signals).toHaveLength(1)
  })

  it('hiding the page cancels it', () => {
    const { signals } = setup()
    focus($('#email'))
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    vi.advanceTimersByTime(5000)
    expect(signals).toHaveLength(0)
  })

  it('password and payment fields never emit', () => {
    const { signals } = setup()
    focus($('#pw'))
    vi.advanceTimersByTime(5000)
    focus($('#card'))
    vi.advanceTimersByTime(5000)
    expect(signals).toHaveLength(0)
  })

  it('fieldHesitationMs is an option, and the field value is never read', () => {
    const { signals } = setup({ fieldHesitationMs: 500 })
    const email = $<HTMLInputElement>('#email')
    const read = vi.fn(() => 'someone@example.com')
    Object.defineProperty(email, 'value', { get: read, configurable: true })
    focus(email)
    vi.advanceTimersByTime(500)
    expect(signals).toEqual([expect.objectContaining({ outcome: 'field', ms: 500 })])
    expect(read).not.toHaveBeenCalled()
  })

  it('destroy clears the pending timer', () => {
    const { signals, destroy } = setup()
    focus($('#email'))
    vi.advanceTimersByTime(1000)
    destroy()
    vi.advanceTimersByTime(5000)
    expect(signals).toHaveLength(0)
  })
})
