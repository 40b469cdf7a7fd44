import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit, type Tacit } from '@tacit/core'
import { bindGoalsAndSteps } from '../src/declarative/goals'
import { bindSlotRewards } from '../src/declarative/rewards'

// Every listener the browser calls is a crossing into script, on every click of the page: the
// script tag's goals, steps and slot rewards, and core's click detectors, share one real listener
// (core's signals/listen.ts, through @tacit/core/internal).

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).reverse().forEach((fn) => fn()))

/** Counts the click listeners added to and removed from the document. */
const countClickListeners = () => {
  const added = vi.spyOn(document, 'addEventListener')
  const removed = vi.spyOn(document, 'removeEventListener')
  cleanups.push(() => added.mockRestore(), () => removed.mockRestore())
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

describe('the click listener of the page', () => {
  it('goals, steps and slot rewards share one, and all still run, in the order bound', () => {
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

  it("is also core's: with the detectors attached, a goal click is tracked, and the rage-click detector sees the clicks", async () => {
    document.body.innerHTML = `<div data-tacit-slot="hero"><button id="buy" data-tacit-goal="purchase">Buy</button></div>`
    const listeners = countClickListeners()
    const errors: unknown[] = []
    const tacit = createTacit({ onError: (e) => errors.push(e) })
    cleanups.push(() => tacit.destroy())
    const unbind = [bindGoalsAndSteps(tacit, document), bindSlotRewards(tacit, document, (e) => errors.push(e))]
    cleanups.push(() => unbind.forEach((off) => off()))
    await tacit.ready
    const rage: unknown[] = []
    tacit.on('rage-click', (s) => rage.push(s))
    for (let i = 0; i < 3; i++) click('#buy')

    expect(listeners.added()).toBe(1)
    expect((await tacit.profile()).outcomes.find((o) => o.goal === 'purchase')?.count).toBe(3)
    expect(rage).toHaveLength(1)
    expect(errors).toEqual([])
  })
})
