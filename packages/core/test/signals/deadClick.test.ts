import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TacitOptions } from '../../src/options'
import { deadClick } from '../../src/signals/deadClick'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'
import { click } from './pointer'

const PAGE = `
  <button id="dead">Nothing</button>
  <button id="other">Other</button>
  <div id="out"></div>
  <div data-tacit-item="sku-1" data-tacit-tags="shoes"><button id="add">Add</button></div>
  <div data-tacit-ignore><button id="secret">x</button></div>
  <input id="q" type="text">
  <input id="box" type="checkbox">`

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup) fn()
  cleanup = []
  setVisibility('visible')
})

const setup = (opts: TacitOptions = {}) => {
  useFakeClock()
  html(PAGE)
  const run = runDetector(deadClick, opts)
  cleanup.push(run.destroy)
  return run
}

/** Schedules something the page does `ms` after now, as a page script would. */
const at = (ms: number, fn: () => void): void => {
  setTimeout(fn, ms)
}
const mutate = (): void => {
  $('#out').setAttribute('data-state', String(Math.random()))
}
const fire = (target: EventTarget, type: string): void => {
  target.dispatchEvent(new Event(type, { bubbles: true }))
}

describe('dead-click', () => {
  it('a click with no reaction fires at the end of the mutation window, not before', async () => {
    const { signals } = setup()
    const clickedAt = Date.now()
    click($('#dead'))
    await vi.advanceTimersByTimeAsync(2499)
    expect(signals).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(signals).toEqual([{ type: 'dead-click', t: clickedAt, target: 'button#dead' }])
    await vi.advanceTimersByTimeAsync(10_000)
    expect(signals).toHaveLength(1)
  })

  it('a DOM mutation at 2499 ms cancels it', async () => {
    const { signals } = setup()
    click($('#dead'))
    at(2499, mutate)
    await vi.advanceTimersByTimeAsync(5000)
    expect(signals).toHaveLength(0)
  })

  it('a mutation whose record is not delivered yet when the window ends still cancels', () => {
    const { signals } = setup()
    click($('#dead'))
    at(2499, mutate)
    vi.advanceTimersByTime(2500) // synchronous: the observer's microtask has not run
    expect(signals).toHaveLength(0)
  })

  it('a mutation made by the page in its own click handler cancels it', async () => {
    const { signals } = setup()
    $('#dead').addEventListener('click', () => $('#out').append(document.createElement('p')))
    click($('#dead'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
  })

  it('a text node change (characterData) cancels it', async () => {
    const { signals } = setup()
    const text = document.createTextNode('a')
    $('#out').append(text)
    await vi.advanceTimersByTimeAsync(0)
    click($('#dead'))
    at(1000, () => {
      text.data = 'b'
    })
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
  })

  it('a scroll at 99 or 100 ms cancels it; at 101 ms it does not', async () => {
    const { signals } = setup()
    click($('#dead'))
    at(99, () => fire(document, 'scroll'))
    await vi.advanceTimersByTimeAsync(3000)
    click($('#dead'))
    at(100, () => fire($('#out'), 'scroll'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
    click($('#dead'))
    at(101, () => fire(document, 'scroll'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(1)
  })

  it('a selection change within the scroll window cancels it', async () => {
    const { signals } = setup()
    click($('#dead'))
    at(50, () => fire(document, 'selectionchange'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
  })

  it('a focus change at 999 ms cancels it; at 1001 ms it does not', async () => {
    const { signals } = setup()
    click($('#dead'))
    at(999, () => $('#other').dispatchEvent(new FocusEvent('focusin', { bubbles: true })))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
    click($('#dead'))
    at(1001, () => $('#other').dispatchEvent(new FocusEvent('focusout', { bubbles: true })))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(1)
  })

  it.each(['pagehide', 'beforeunload', 'popstate', 'hashchange', 'blur'])(
    'window %s within the navigation window cancels it',
    async (type) => {
      const { signals } = setup()
      click($('#dead'))
      at(500, () => window.dispatchEvent(new Event(type)))
      await vi.advanceTimersByTimeAsync(3000)
      expect(signals).toHaveLength(0)
    },
  )

  it('a visibility change within the navigation window cancels it', async () => {
    const { signals } = setup()
    click($('#dead'))
    at(1000, () => setVisibility('hidden'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
  })

  it('keeps several clicks pending, each with its own windows', async () => {
    const { signals } = setup()
    click($('#dead')) // t=0
    await vi.advanceTimersByTimeAsync(1000)
    click($('#other')) // t=1000
    at(50, () => fire(document, 'scroll')) // t=1050: cancels only #other (50 ms old)
    await vi.advanceTimersByTimeAsync(1500) // t=2500: #dead fires
    expect(signals).toEqual([expect.objectContaining({ target: 'button#dead' })])
    click($('#dead')) // t=2500
    at(500, mutate) // t=3000: cancels the new #dead click
    await vi.advanceTimersByTimeAsync(5000)
    expect(signals).toHaveLength(1)
  })

  it('two dead clicks fire each at the end of its own windows, also when the first was answered', async () => {
    const { signals } = setup()
    click($('#dead')) // t=0
    await vi.advanceTimersByTimeAsync(1000)
    click($('#other')) // t=1000
    await vi.advanceTimersByTimeAsync(1499)
    expect(signals).toEqual([])
    await vi.advanceTimersByTimeAsync(1) // t=2500
    expect(signals).toEqual([expect.objectContaining({ target: 'button#dead' })])
    await vi.advanceTimersByTimeAsync(999)
    expect(signals).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1) // t=3500
    expect(signals.map((s) => s.target)).toEqual(['button#dead', 'button#other'])

    click($('#dead')) // t=3500, answered by a scroll 50 ms later
    at(50, () => fire(document, 'scroll'))
    await vi.advanceTimersByTimeAsync(1000)
    click($('#other')) // t=4500: its windows end at 7000, not at the answered click's 6000
    await vi.advanceTimersByTimeAsync(2499)
    expect(signals).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(signals.map((s) => s.target)).toEqual(['button#dead', 'button#other', 'button#other'])
  })

  it('one mutation cancels every pending click', async () => {
    const { signals } = setup()
    click($('#dead'))
    await vi.advanceTimersByTimeAsync(1000)
    click($('#other'))
    at(1200, mutate)
    await vi.advanceTimersByTimeAsync(5000)
    expect(signals).toHaveLength(0)
  })

  it('observes the document only while a click is pending', async () => {
    const observe = vi.spyOn(window.MutationObserver.prototype, 'observe')
    const disconnect = vi.spyOn(window.MutationObserver.prototype, 'disconnect')
    const { signals } = setup()
    mutate()
    expect(observe).not.toHaveBeenCalled()
    click($('#dead'))
    click($('#other'))
    expect(observe).toHaveBeenCalledTimes(1)
    expect(observe).toHaveBeenCalledWith(document, { subtree: true, childList: true, attributes: true, characterData: true })
    await vi.advanceTimersByTimeAsync(2500)
    expect(signals).toHaveLength(2)
    expect(disconnect).toHaveBeenCalledTimes(1)
    click($('#dead'))
    expect(observe).toHaveBeenCalledTimes(2)
    observe.mockRestore()
    disconnect.mockRestore()
  })

  it('a page clicked again and again, each click answered: one observer made, no timer set per click', async () => {
    const made: MutationObserver[] = []
    const Real = window.MutationObserver
    window.MutationObserver = class extends Real {
      constructor(cb: MutationCallback) {
        super(cb)
        made.push(this)
      }
    }
    cleanup.push(() => {
      window.MutationObserver = Real
    })
    const { signals } = setup()
    const timers = vi.spyOn(globalThis, 'setTimeout')
    for (let i = 0; i < 10; i++) {
      click($(i % 2 ? '#dead' : '#other'))
      mutate() // the page answers each click
      await vi.advanceTimersByTimeAsync(300)
    }
    // 10 clicks over 3 s: a timer at the first click, and one after it ran out at 2.5 s.
    expect(timers).toHaveBeenCalledTimes(2)
    expect(made).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(signals).toEqual([])
    timers.mockRestore()
  })

  it('a mutation before the click does not cancel it', async () => {
    const { signals } = setup()
    click($('#other'))
    await vi.advanceTimersByTimeAsync(100)
    mutate() // cancels #other; its record is still queued when #dead is clicked
    click($('#dead'))
    await vi.advanceTimersByTimeAsync(2500)
    expect(signals).toEqual([expect.objectContaining({ target: 'button#dead' })])
  })

  it('a checkbox toggle (input/change, no mutation) is a reaction', async () => {
    const { signals } = setup()
    $('#box').addEventListener('click', () => {
      fire($('#box'), 'input')
      fire($('#box'), 'change')
    })
    click($('#box'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toHaveLength(0)
  })

  it('carries the tracked item; skips ignored elements and text fields', async () => {
    const { signals } = setup()
    click($('#add'))
    click($('#secret'))
    click($('#q'))
    await vi.advanceTimersByTimeAsync(3000)
    expect(signals).toEqual([expect.objectContaining({ type: 'dead-click', target: 'sku-1', item: 'sku-1', tags: ['shoes'] })])
  })

  it('the windows are options', async () => {
    const { signals } = setup({ deadClickMutationMs: 500, deadClickScrollMs: 20, deadClickNavigationMs: 300 })
    click($('#dead'))
    at(21, () => fire(document, 'scroll'))
    at(301, () => fire(window, 'hashchange'))
    await vi.advanceTimersByTimeAsync(499)
    expect(signals).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(signals).toHaveLength(1)
    click($('#dead'))
    at(450, mutate)
    await vi.advanceTimersByTimeAsync(1000)
    expect(signals).toHaveLength(1)
  })

  it('destroy drops pending clicks, disconnects the observer and removes listeners', async () => {
    const disconnect = vi.spyOn(window.MutationObserver.prototype, 'disconnect')
    const { signals, destroy } = setup()
    click($('#dead'))
    destroy()
    expect(disconnect).toHaveBeenCalled()
    disconnect.mockRestore()
    await vi.advanceTimersByTimeAsync(5000)
    click($('#dead'))
    await vi.advanceTimersByTimeAsync(5000)
    expect(signals).toHaveLength(0)
  })
})
