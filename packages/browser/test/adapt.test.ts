import { createTacit, type Tacit } from '@tacit/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bindAdaptation } from '../src/declarative/adapt'
import { $, click, fakeTacit, flush, isHiddenByTacit, page } from './fakeTacit'

const cleanup: (() => void)[] = []
afterEach(() => cleanup.splice(0).forEach((fn) => fn()))

const PAGE = `
  <div id="hero" data-tacit-slot="hero">
    <template data-tacit-variant="a"><h1 id="ha">A</h1><button id="cta-a" data-tacit-reward>Go</button></template>
    <template data-tacit-variant="b"><h1 id="hb">B</h1><button id="cta-b" data-tacit-reward>Go</button></template>
  </div>
  <ul id="grid" data-tacit-rank><li id="i1" data-tacit-item="one">1</li><li id="i2" data-tacit-item="two">2</li></ul>
  <p id="help" data-tacit-show-on="hesitation" hidden>Help</p>
  <main id="main"></main>`

describe('bindAdaptation with a fake API', () => {
  it('binds slots, ranked containers and show-on elements found in the page and added later', async () => {
    page(PAGE)
    const fake = fakeTacit()
    fake.state.choice.hero = 'b'
    fake.state.order = ['two', 'one']
    cleanup.push(bindAdaptation(fake.api, document, () => {}))
    expect([isHiddenByTacit($('#hero')), isHiddenByTacit($('#grid'))]).toEqual([true, true])
    await fake.becomeReady()
    expect($('#hero').getAttribute('data-tacit-rendered')).toBe('b')
    expect(Array.from($('#grid').children, (c) => c.id)).toEqual(['i2', 'i1'])

    // Markup added later, nested inside a wrapper: found by the mutation observer.
    $('#main').innerHTML = `<section><div id="late" data-tacit-slot="late"><template data-tacit-variant="x"><p id="late-help" data-tacit-show-on="rage-click" hidden></p></template></div></section>`
    await flush()
    expect($('#late').getAttribute('data-tacit-rendered')).toBe('x')
    fake.emit({ type: 'rage-click', target: 'button#whatever' })
    expect($('#late-help').hidden).toBe(false)
  })

  it('after unbinding, nothing added later is touched and no observer is left', async () => {
    page(PAGE)
    const fake = fakeTacit()
    const unbind = bindAdaptation(fake.api, document, () => {})
    unbind()
    $('#main').innerHTML = `<div id="late" data-tacit-slot="late"><template data-tacit-variant="x"><p>x</p></template></div>`
    await fake.becomeReady()
    await flush()
    expect($('#late').hasAttribute('data-tacit-rendered')).toBe(false)
    expect($('#late').children).toHaveLength(1)
    expect(fake.callsOf('decide')).toEqual([])
  })

  it('a problem in one element is reported and does not stop the others', async () => {
    page(`<div data-tacit-slot="broken"></div>` + PAGE)
    const fake = fakeTacit()
    const problems: unknown[] = []
    cleanup.push(bindAdaptation(fake.api, document, (p) => problems.push(p)))
    await fake.becomeReady()
    expect(problems).toHaveLength(1)
    expect($('#hero').hasAttribute('data-tacit-rendered')).toBe(true)
    await vi.waitFor(() => expect($('#grid').hasAttribute('data-tacit-ready')).toBe(true))
  })
})

describe('bindAdaptation with the real API (consent pending: in memory)', () => {
  const make = (): Tacit => {
    const tacit = createTacit({ dbName: `adapt-${Math.random()}`, onError: () => {} })
    cleanup.push(() => tacit.destroy())
    return tacit
  }
  type Decision = { slot: string; variant: string; policy: string; rewarded: boolean }
  const decisions = async (tacit: Tacit) => (await tacit.profile()).decisions as Decision[]

  it('the slot is decided once ready, and a click on data-tacit-reward rewards that decision', async () => {
    page(PAGE)
    const tacit = make()
    cleanup.push(bindAdaptation(tacit, document, () => {}))
    await tacit.ready
    await flush()
    const variant = $('#hero').getAttribute('data-tacit-rendered')!
    expect(['a', 'b']).toContain(variant)
    expect(isHiddenByTacit($('#hero'))).toBe(false)
    expect(await decisions(tacit)).toEqual([expect.objectContaining({ slot: 'hero', variant, rewarded: false })])
    click(`#cta-${variant}`)
    expect(await decisions(tacit)).toEqual([expect.objectContaining({ slot: 'hero', variant, rewarded: true })])
  })

  it('ready after the deadline: the fallback shown at 300 ms is the decision recorded (policy "fallback"), and can be rewarded', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    page(PAGE.replace('data-tacit-slot="hero"', 'data-tacit-slot="hero" data-tacit-fallback="b"'))
    const tacit = make()
    cleanup.push(bindAdaptation(tacit, document, () => {}))
    vi.advanceTimersByTime(300) // before the profile and models have loaded
    expect(isHiddenByTacit($('#hero'))).toBe(false)
    expect($('#hero').getAttribute('data-tacit-rendered')).toBe('b')
    vi.useRealTimers()
    await tacit.ready
    await flush()
    expect($('#hero').getAttribute('data-tacit-rendered')).toBe('b')
    expect(await decisions(tacit)).toEqual([expect.objectContaining({ slot: 'hero', variant: 'b', policy: 'fallback' })])
    click('#cta-b')
    expect(await decisions(tacit)).toEqual([expect.objectContaining({ slot: 'hero', variant: 'b', rewarded: true })])
  })
})
