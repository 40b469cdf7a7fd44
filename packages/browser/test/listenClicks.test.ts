import { afterEach, describe, expect, it, vi } from 'vitest'
import { bindGoalsAndSteps } from '../src/declarative/goals'
import { bindSlotRewards } from '../src/declarative/rewards'
import { listenClicks } from '../src/declarative/listenClicks'
import type { Tacit } from '@tacit/core'

// The script tag's declarative click handlers share one real listener: every listener the browser
// calls costs a crossing into script, on every click of the page.

const spies: Array<{ mockRestore(): void }> = []
afterEach(() => spies.splice(0).forEach((s) => s.mockRestore()))

/** Counts the click listeners added to and removed from the document. */
const countClickListeners = () => {
  const added = vi.spyOn(document, 'addEventListener')
  const removed = vi.spyOn(document, 'removeEventListener')
  spies.push(added, removed)
  return {
    added: () => added.mock.calls.filter(([type]) => type === 'click').length,
    removed: () => removed.mock.calls.filter(([type]) => type === 'click').length,
  }
}

/** A stand-in for the API that records the calls the click handlers make. */
const recorder = () => {
  const calls: unknown[][] = []
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args])
  const api = { track: record('track'), step: record('step'), reward: record('reward') }
  return { api: api as unknown as Tacit, calls }
}

const click = (selector: string): void => {
  document.querySelector(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
}

describe('the declarative click handlers', () => {
  it('goals, steps and slot rewards share one click listener, and all still run, in the order bound', () => {
    document.body.innerHTML = `<div data-tacit-slot="hero"><button id="buy" data-tacit-goal="purchase" data-tacit-step="checkout:pay">Buy</button></div>`
    const listeners = countClickListeners()
    const { api, calls } = recorder()
    const unbindGoals = bindGoalsAndSteps(api, document)
    const unbindRewards = bindSlotRewards(api, document, () => {})
    expect(listeners.added()).toBe(1)

    click('#buy')
    expect(calls).toEqual([
      ['track', 'purchase', undefined],
      ['step', 'checkout', 'pay'],
      ['reward', 'hero', 1],
    ])

    unbindGoals()
    expect(listeners.removed()).toBe(0)
    calls.length = 0
    click('#buy')
    expect(calls).toEqual([['reward', 'hero', 1]])
    unbindRewards()
    expect(listeners.removed()).toBe(1)
    calls.length = 0
    click('#buy')
    expect(calls).toEqual([])
  })

  it('a handler that throws does not stop the next one, nor reach the page', () => {
    document.body.innerHTML = '<button id="b">B</button>'
    const ran: string[] = []
    const offs = [
      listenClicks(document, () => {
        throw new Error('broken')
      }),
      listenClicks(document, () => void ran.push('second')),
    ]
    const pageErrors: unknown[] = []
    const onError = (e: ErrorEvent) => pageErrors.push(e.error)
    window.addEventListener('error', onError)
    try {
      click('#b')
    } finally {
      window.removeEventListener('error', onError)
      offs.forEach((off) => off())
    }
    expect(ran).toEqual(['second'])
    expect(pageErrors).toEqual([])
  })

  it('the same function added twice runs twice, and each removal removes one', () => {
    document.body.innerHTML = '<button id="b">B</button>'
    let runs = 0
    const fn = () => void runs++
    const first = listenClicks(document, fn)
    const second = listenClicks(document, fn)
    click('#b')
    expect(runs).toBe(2)
    first()
    first()
    click('#b')
    expect(runs).toBe(3)
    second()
    click('#b')
    expect(runs).toBe(3)
  })
})
