import { afterEach, describe, expect, it, vi } from 'vitest'
import { formAbandon } from '../../src/signals/formAbandon'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'

const PAGE = `
  <form id="signup">
    <input id="email" name="email" type="email">
    <input id="nick" type="text">
    <input name="plan" type="radio" id="plan-a"><input name="plan" type="radio" id="plan-b">
    <select name="country" id="country"><option>a</option><option>b</option></select>
    <input id="pw" name="pw" type="password">
    <input id="cc" name="cc" autocomplete="cc-number">
    <div data-tacit-ignore><input id="muted" name="muted"></div>
  </form>
  <div data-tacit-item="newsletter-box"><form id="news"><textarea name="note"></textarea></form></div>
  <form id="private" data-tacit-ignore><input name="private-field"></form>
  <input id="loose" name="loose">
  <input id="linked" name="linked" form="signup">
  <input id="linked-private" name="lp" form="private">`

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup) fn()
  cleanup = []
  setVisibility('visible')
})

const setup = () => {
  useFakeClock()
  html(PAGE)
  const run = runDetector(formAbandon)
  cleanup.push(run.destroy)
  return run
}

const touch = (selector: string, type: 'input' | 'change' = 'input'): void => {
  $(selector).dispatchEvent(new Event(type, { bubbles: true }))
}
const submit = (selector: string): void => {
  $(selector).dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
}
const pagehide = (): void => {
  window.dispatchEvent(new Event('pagehide'))
}

describe('form-abandon', () => {
  it('a touched, unsubmitted form emits when the page hides, with the last field name', () => {
    const { signals } = setup()
    touch('#email')
    expect(signals).toHaveLength(0)
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    expect(signals).toEqual([
      { type: 'form-abandon', t: Date.now(), target: 'form#signup', field: 'email', fields: 1 },
    ])
  })

  it('an untouched form emits nothing; a submitted form emits nothing', () => {
    const { signals } = setup()
    setVisibility('hidden')
    setVisibility('visible')
    touch('#email')
    submit('#signup')
    setVisibility('hidden')
    pagehide()
    expect(signals).toHaveLength(0)
  })

  it('counts distinct fields (a radio group once) and reports the last one touched', () => {
    const { signals } = setup()
    touch('#email')
    touch('#email')
    touch('#plan-a', 'change')
    touch('#plan-b', 'change')
    touch('#country', 'change')
    touch('#nick')
    pagehide()
    expect(signals).toEqual([expect.objectContaining({ field: 'nick', fields: 4 })])
  })

  it('emits once when both visibilitychange and pagehide arrive', () => {
    const { signals } = setup()
    touch('#email')
    setVisibility('hidden')
    pagehide()
    expect(signals).toHaveLength(1)
  })

  it('after the page shows again, a new hide emits only if the form was touched since', () => {
    const { signals } = setup()
    touch('#email')
    setVisibility('hidden')
    setVisibility('visible')
    setVisibility('hidden')
    expect(signals).toHaveLength(1)
    setVisibility('visible')
    touch('#country', 'change')
    setVisibility('hidden')
    expect(signals).toHaveLength(2)
    expect(signals[1]).toMatchObject({ field: 'country', fields: 2 })
  })

  it('a submit clears the form; touching it again starts a new count', () => {
    const { signals } = setup()
    touch('#email')
    touch('#nick')
    submit('#signup')
    touch('#country', 'change')
    setVisibility('hidden')
    expect(signals).toEqual([expect.objectContaining({ field: 'country', fields: 1 })])
  })

  it('password, payment and ignored fields do not count, nor ignored forms or loose fields', () => {
    const { signals } = setup()
    touch('#pw')
    touch('#cc')
    touch('#muted')
    touch('#private input')
    touch('#loose')
    touch('#linked-private')
    setVisibility('hidden')
    expect(signals).toHaveLength(0)
    setVisibility('visible')
    touch('#email')
    touch('#pw')
    setVisibility('hidden')
    expect(signals).toEqual([expect.objectContaining({ field: 'email', fields: 1 })])
  })

  it('reports each abandoned form, a form inside a tracked item with its item id', () => {
    const { signals } = setup()
    touch('#news textarea')
    touch('#email')
    pagehide()
    expect(signals).toEqual([
      expect.objectContaining({ target: 'newsletter-box', item: 'newsletter-box', field: 'note', fields: 1 }),
      expect.objectContaining({ target: 'form#signup', field: 'email', fields: 1 }),
    ])
  })

  it('a field unnamed but with an id reports its id, and values are never read', () => {
    const { signals } = setup()
    const nick = $<HTMLInputElement>('#nick')
    const read = vi.fn(() => 'my secret')
    Object.defineProperty(nick, 'value', { get: read, configurable: true })
    touch('#nick')
    setVisibility('hidden')
    expect(signals).toEqual([expect.objectContaining({ field: 'nick' })])
    expect(read).not.toHaveBeenCalled()
    expect(JSON.stringify(signals)).not.toContain('secret')
  })

  it('a field outside the form but linked by its form attribute counts for that form', () => {
    const { signals } = setup()
    touch('#linked')
    pagehide()
    expect(signals).toEqual([expect.objectContaining({ target: 'form#signup', field: 'linked', fields: 1 })])
  })

  it('destroy removes its listeners and forgets touched forms', () => {
    const { signals, destroy } = setup()
    touch('#email')
    destroy()
    touch('#nick')
    setVisibility('hidden')
    pagehide()
    expect(signals).toHaveLength(0)
  })
})
