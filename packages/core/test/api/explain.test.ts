import { afterEach, describe, expect, it } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import type { TacitOptions } from '../../src/options'

const instances: Tacit[] = []
let n = 0
const make = (o: TacitOptions = {}) => {
  const t = createTacit({ dbName: `tacit-explain-${++n}`, onError: () => {}, ...o })
  instances.push(t)
  return t
}
afterEach(() => {
  for (const t of instances.splice(0)) t.destroy()
  document.body.innerHTML = ''
})

/** A prior in the training tool's format: conversion rises a lot for returning visitors. */
const returningPrior = {
  version: 1,
  inputs: ['returning'],
  layers: [{ weights: [[3]], bias: [-1], activation: 'sigmoid' }],
}

const hoverAndClick = async (el: Element) => {
  el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }))
  await new Promise((r) => setTimeout(r, 150))
  el.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: document.body }))
  el.dispatchEvent(new MouseEvent('click', { bubbles: true }))
}

describe('explain({ item }): why rank put an item where it is', () => {
  it('names the tag that moved the item up, the item itself, or that nothing relates to it', async () => {
    document.body.innerHTML = '<div data-tacit-item="p1" data-tacit-tags="Premium">x</div>'
    const t = make()
    expect(t.explain({ item: { id: 'p9', tags: ['premium'] } })).toBe("In the site's usual order while your preferences load.")
    await t.ready
    await hoverAndClick(document.querySelector('[data-tacit-item]')!)

    const items = [{ id: 'b1', tags: ['budget'] }, { id: 'p9', tags: ['premium', 'budget'] }, { id: 'p1' }]
    expect(t.rank(items).map((i) => i.id)).toEqual(['p9', 'p1', 'b1'])
    expect(t.explain({ item: items[1] })).toBe('Shown early because you often look at premium items.')
    expect(t.explain({ item: items[2] })).toBe('Shown early because you have looked at it before.')
    expect(t.explain({ item: items[0] })).toBe("In the site's usual order: nothing you have looked at relates to it yet.")
  })

  it('says personalisation is off when consent is denied, and rejects what is not an item', async () => {
    const t = make()
    await t.ready
    expect(() => t.explain({ item: { id: 3 } } as never)).toThrow('rank(): items[0] must be an object with a string id')
    expect(() => t.explain(42 as never)).toThrow("explain(): pass a decision slot name, { item: { id, tags? } } or { predict: 'convert' | 'dropOff' }, got 42")
    t.setConsent('denied')
    expect(t.explain({ item: { id: 'p1' } })).toBe('Personalisation is off, so everyone sees the same.')
    expect(t.explain({ predict: 'convert' })).toBe('Personalisation is off, so everyone sees the same.')
  })
})

describe('explain({ predict }): what the prediction is and what moved it', () => {
  it('on a first visit, the base rate; on a return visit, the fact that raised it, with the same figure as predict()', async () => {
    const dbName = `tacit-explain-predict-${++n}`
    const first = make({ dbName, consent: 'granted', sessionTimeoutMs: 20, model: { prior: returningPrior } })
    expect(first.explain({ predict: 'convert' })).toBe('Too early to tell: your preferences are still loading (50%).')
    await first.ready
    const p1 = first.predict().convert
    expect(p1).toBeCloseTo(1 / (1 + Math.exp(1)), 2)
    expect(first.explain({ predict: 'convert' })).toBe(`A ${Math.round(p1 * 100)}% chance you buy or sign up, from what this site usually sees.`)
    first.destroy()
    await new Promise((r) => setTimeout(r, 50))

    const second = make({ dbName, consent: 'granted', sessionTimeoutMs: 20, model: { prior: returningPrior } })
    await second.ready
    const p2 = second.predict().convert
    expect(p2).toBeGreaterThan(0.8)
    expect(second.explain({ predict: 'convert' })).toBe(`A ${Math.round(p2 * 100)}% chance you buy or sign up, higher because you have been here before.`)
    // The drop-off head has no prior: neutral, and said so.
    expect(second.predict().dropOff).toBe(0.5)
    expect(second.explain({ predict: 'dropOff' })).toBe('Too early to tell whether you will leave before finishing (50%).')
  })
})

describe('explain after erase()', () => {
  it('knows no earlier decision once the profile is erased', async () => {
    const t = make({ consent: 'granted' })
    await t.ready
    t.decide('hero', ['a', 'b'])
    expect(t.explain('hero')).not.toContain('No decision')
    await t.erase()
    expect(t.explain('hero')).toBe('No decision has been made for "hero" yet.')
  })
})
