import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { bindAdaptation } from '../src/declarative/adapt'
import { $, click, fakeTacit, flush, isHiddenByTacit, page } from './fakeTacit'

const bound: (() => void)[] = []
const problems: unknown[] = []
afterEach(() => bound.splice(0).forEach((unbind) => unbind()))
beforeEach(() => {
  problems.length = 0
  vi.useFakeTimers()
})

const bind = (fake: ReturnType<typeof fakeTacit>): (() => void) => {
  const unbind = bindAdaptation(fake.api, document, (p) => problems.push(p))
  bound.push(unbind)
  return unbind
}

const HERO = `
  <div id="hero" data-tacit-slot="hero">
    <template data-tacit-variant="calm"><h1 id="calm">Take your time</h1></template>
    <template data-tacit-variant="bold" data-tacit-tags="Premium, luggage"><h1 id="bold">Go big</h1><button id="cta" data-tacit-reward>Shop</button></template>
  </div>`

/** What the slot shows: its children other than the templates, as tag#id. */
const shown = (selector = '#hero'): string[] =>
  Array.from($(selector).children)
    .filter((c) => c.localName !== 'template')
    .map((c) => `${c.localName}#${c.id}`)
const templates = (selector = '#hero'): string[] =>
  Array.from($(selector).querySelectorAll(':scope > template')).map((t) => t.getAttribute('data-tacit-variant')!)

describe('data-tacit-slot before ready', () => {
  it('renders the first variant at once, hidden without losing its space, and decides nothing yet', () => {
    page(HERO)
    const fake = fakeTacit()
    bind(fake)
    expect(shown()).toEqual(['h1#calm'])
    expect(isHiddenByTacit($('#hero'))).toBe(true)
    expect($('#hero').hasAttribute('data-tacit-ready')).toBe(false)
    // decide() before ready would lock the fallback for the session: not called yet.
    expect(fake.callsOf('decide')).toEqual([])
    expect(templates()).toEqual(['calm', 'bold'])
  })

  it('data-tacit-fallback names the variant shown while waiting and passed as the fallback', async () => {
    page(HERO.replace('data-tacit-slot="hero"', 'data-tacit-slot="hero" data-tacit-fallback="bold"'))
    const fake = fakeTacit()
    bind(fake)
    expect(shown()).toEqual(['h1#bold', 'button#cta'])
    await fake.becomeReady()
    expect(fake.callsOf('decide')).toEqual([['hero', ['calm', { id: 'bold', tags: ['premium', 'luggage'] }], { fallback: 'bold' }]])
  })

  it('a data-tacit-fallback that is not a variant is reported, and the first variant is the fallback', async () => {
    page(HERO.replace('data-tacit-slot="hero"', 'data-tacit-slot="hero" data-tacit-fallback="loud"'))
    const fake = fakeTacit()
    bind(fake)
    expect(shown()).toEqual(['h1#calm'])
    expect(problems).toEqual(['<div#hero> data-tacit-fallback="loud" is not one of its variants (calm, bold); using "calm"'])
    await fake.becomeReady()
    expect(fake.callsOf('decide')[0][2]).toEqual({ fallback: 'calm' })
  })
})

describe('data-tacit-slot once ready', () => {
  it('decides with the variant names and tags, renders the chosen template in place of the fallback and shows the slot', async () => {
    page(HERO)
    const fake = fakeTacit()
    fake.state.choice.hero = 'bold'
    bind(fake)
    await fake.becomeReady()
    expect(fake.callsOf('decide')).toEqual([['hero', ['calm', { id: 'bold', tags: ['premium', 'luggage'] }], { fallback: 'calm' }]])
    expect(shown()).toEqual(['h1#bold', 'button#cta'])
    expect(templates()).toEqual(['calm', 'bold'])
    expect($('#hero').getAttribute('data-tacit-rendered')).toBe('bold')
    expect(isHiddenByTacit($('#hero'))).toBe(false)
    expect($('#hero').getAttribute('style')).toBeNull()
    expect($('#hero').hasAttribute('data-tacit-ready')).toBe(true)
  })

  it('the rendered content is a copy: the template keeps its content for the next render', async () => {
    page(HERO)
    const fake = fakeTacit()
    fake.state.choice.hero = 'bold'
    bind(fake)
    await fake.becomeReady()
    const bold = $<HTMLTemplateElement>('template[data-tacit-variant="bold"]')
    expect(bold.content.querySelector('#bold')).not.toBeNull()
    expect($('#bold')).not.toBe(bold.content.querySelector('#bold'))
  })

  it('replaces other content of the slot (a default for pages without JavaScript), but keeps the templates', async () => {
    page(`<div id="hero" data-tacit-slot="hero"><p id="nojs">Welcome</p>
      <template data-tacit-variant="a"><h1 id="a">A</h1></template><template data-tacit-variant="b"><h1 id="b">B</h1></template>
      <p id="after">tail</p></div>`)
    const fake = fakeTacit()
    fake.state.choice.hero = 'b'
    bind(fake)
    expect(shown()).toEqual(['h1#a'])
    await fake.becomeReady()
    expect(shown()).toEqual(['h1#b'])
    expect(templates()).toEqual(['a', 'b'])
  })

  it('builds nothing from attribute strings: a variant name full of markup stays a name', async () => {
    page(`<div id="hero" data-tacit-slot="hero"><template data-tacit-variant="<img src=x onerror=alert(1)>"><p id="safe">ok</p></template></div>`)
    const fake = fakeTacit()
    bind(fake)
    await fake.becomeReady()
    expect(shown()).toEqual(['p#safe'])
    expect(document.querySelector('img')).toBeNull()
    expect($('#hero').getAttribute('data-tacit-rendered')).toBe('<img src=x onerror=alert(1)>')
  })

  it('when the decision is the fallback, the slot is shown without being rendered again', async () => {
    page(HERO)
    const fake = fakeTacit()
    bind(fake)
    const before = $('#calm')
    await fake.becomeReady()
    expect($('#calm')).toBe(before)
    expect(isHiddenByTacit($('#hero'))).toBe(false)
  })

  it('a slot added after ready is decided at once and never hidden', async () => {
    page('<main id="main"></main>')
    const fake = fakeTacit()
    fake.state.choice.hero = 'bold'
    bind(fake)
    await fake.becomeReady()
    $('#main').innerHTML = HERO
    await flush()
    expect(shown()).toEqual(['h1#bold', 'button#cta'])
    expect($('#hero').hasAttribute('data-tacit-ready')).toBe(true)
    expect($('#hero').getAttribute('style')).toBeNull()
    expect(fake.callsOf('decide')).toHaveLength(1)
  })

  it('two slots are decided independently, each with its own variants', async () => {
    page(HERO + `<div id="promo" data-tacit-slot="promo"><template data-tacit-variant="x"><i id="x"></i></template><template data-tacit-variant="y"><i id="y"></i></template></div>`)
    const fake = fakeTacit()
    fake.state.choice = { hero: 'bold', promo: 'y' }
    bind(fake)
    await fake.becomeReady()
    expect(shown('#hero')).toEqual(['h1#bold', 'button#cta'])
    expect(shown('#promo')).toEqual(['i#y'])
    expect(fake.callsOf('decide').map((c) => c[0])).toEqual(['hero', 'promo'])
  })
})

describe('anti-flicker deadline for slots', () => {
  it('still hidden 1 ms before 300 ms; at 300 ms shown with the fallback, which decide() is asked for (and keeps)', () => {
    page(HERO)
    const fake = fakeTacit()
    bind(fake)
    vi.advanceTimersByTime(299)
    expect(isHiddenByTacit($('#hero'))).toBe(true)
    expect(fake.callsOf('decide')).toEqual([])
    vi.advanceTimersByTime(1)
    expect(isHiddenByTacit($('#hero'))).toBe(false)
    expect($('#hero').hasAttribute('data-tacit-ready')).toBe(true)
    expect(shown()).toEqual(['h1#calm'])
    expect(fake.callsOf('decide')).toEqual([['hero', ['calm', { id: 'bold', tags: ['premium', 'luggage'] }], { fallback: 'calm' }]])
  })

  it('after a late ready, the slot is decided again (so the kept decision is recorded) but what is on screen never changes', async () => {
    page(HERO)
    const fake = fakeTacit()
    fake.state.choice.hero = 'bold' // what a model would now pick, were it free to
    bind(fake)
    vi.advanceTimersByTime(300)
    const calm = $('#calm')
    await fake.becomeReady()
    expect(fake.callsOf('decide')).toHaveLength(2)
    expect(shown()).toEqual(['h1#calm'])
    expect($('#calm')).toBe(calm)
  })

  it('a slot added after the deadline but before ready is shown at once with its fallback', async () => {
    page('<main id="main"></main>')
    const fake = fakeTacit()
    bind(fake)
    vi.advanceTimersByTime(300)
    $('#main').innerHTML = HERO
    await flush()
    expect(shown()).toEqual(['h1#calm'])
    expect(isHiddenByTacit($('#hero'))).toBe(false)
    expect(fake.callsOf('decide')).toHaveLength(1)
    await fake.becomeReady()
    expect(fake.callsOf('decide')).toHaveLength(2)
  })

  it('ready at 299 ms: the decision is shown and no timer is left behind', async () => {
    page(HERO)
    const fake = fakeTacit()
    fake.state.choice.hero = 'bold'
    bind(fake)
    vi.advanceTimersByTime(299)
    await fake.becomeReady()
    expect(shown()).toEqual(['h1#bold', 'button#cta'])
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1000)
    expect(fake.callsOf('decide')).toHaveLength(1)
  })
})

describe('slot markup problems', () => {
  it('a slot with no variant template is reported and left alone', () => {
    page('<div id="hero" data-tacit-slot="hero"><p id="p">static</p></div><div id="noname" data-tacit-slot=""><template data-tacit-variant="a"></template></div>')
    const fake = fakeTacit()
    bind(fake)
    expect(shown()).toEqual(['p#p'])
    expect($('#hero').getAttribute('style')).toBeNull()
    expect(problems).toEqual([
      '<div#hero> data-tacit-slot="hero" needs a name and at least one <template data-tacit-variant="…"> child',
      '<div#noname> data-tacit-slot="" needs a name and at least one <template data-tacit-variant="…"> child',
    ])
  })

  it('a duplicate or empty variant name is reported and that template skipped', async () => {
    page(`<div id="hero" data-tacit-slot="hero"><template data-tacit-variant="a"><b id="a1"></b></template>
      <template data-tacit-variant="a"><b id="a2"></b></template><template data-tacit-variant=" "></template>
      <template data-tacit-variant="b"><b id="b"></b></template></div>`)
    const fake = fakeTacit()
    bind(fake)
    await fake.becomeReady()
    expect(problems).toHaveLength(2)
    expect(fake.callsOf('decide')[0][1]).toEqual(['a', 'b'])
    expect(shown()).toEqual(['b#a1'])
  })

  it('decide() throwing (a development build) is reported, and the slot shows its fallback', async () => {
    page(HERO)
    const fake = fakeTacit()
    fake.api.decide = () => {
      throw new Error('decide(): boom')
    }
    bind(fake)
    await fake.becomeReady()
    expect(problems).toEqual([new Error('decide(): boom')])
    expect(shown()).toEqual(['h1#calm'])
    expect(isHiddenByTacit($('#hero'))).toBe(false)
  })
})

describe('rewards from clicks inside a slot', () => {
  const SLOT = `<div id="offer" data-tacit-slot="offer"><template data-tacit-variant="a">
      <p id="text">Text <b id="bold">bold</b></p>
      <button id="plain-reward" data-tacit-reward><span id="label">Take it</span></button>
      <button id="half" data-tacit-reward="0.5">Maybe</button>
      <button id="empty" data-tacit-reward=" ">Empty</button>
      <button id="bad" data-tacit-reward="lots">Bad</button>
      <a id="buy" href="#" data-tacit-goal="purchase" data-tacit-value="49">Buy</a>
      <div id="inner" data-tacit-slot="inner"><template data-tacit-variant="x"><button id="x" data-tacit-reward>X</button></template></div>
    </template></div>
    <button id="outside" data-tacit-reward>Outside</button><button id="goal-outside" data-tacit-goal="purchase">Buy</button>`

  const setup = async () => {
    page(SLOT)
    const fake = fakeTacit()
    bind(fake)
    await fake.becomeReady()
    return fake
  }

  it('data-tacit-reward with no value rewards the slot with 1, also for a click inside the element', async () => {
    const fake = await setup()
    click('#label')
    click('#plain-reward')
    expect(fake.callsOf('reward')).toEqual([
      ['offer', 1],
      ['offer', 1],
    ])
  })

  it('a number is the reward; an empty value is 1; anything else reaches reward() as NaN, which the API reports', async () => {
    const fake = await setup()
    click('#half')
    click('#empty')
    click('#bad')
    expect(fake.callsOf('reward')).toEqual([
      ['offer', 0.5],
      ['offer', 1],
      ['offer', NaN],
    ])
  })

  it('data-tacit-goal inside a slot rewards it with 1 (the goal value is money, not a reward)', async () => {
    const fake = await setup()
    click('#buy')
    expect(fake.callsOf('reward')).toEqual([['offer', 1]])
  })

  it('the innermost slot is rewarded; clicks elsewhere reward nothing', async () => {
    const fake = await setup()
    click('#x')
    click('#bold')
    click('#outside')
    click('#goal-outside')
    expect(fake.callsOf('reward')).toEqual([['inner', 1]])
  })

  it('unbinding removes the click listener and shows a slot that is still hidden', async () => {
    page(SLOT)
    const fake = fakeTacit()
    const unbind = bind(fake)
    expect(isHiddenByTacit($('#offer'))).toBe(true)
    unbind()
    expect(isHiddenByTacit($('#offer'))).toBe(false)
    click('#plain-reward')
    expect(fake.callsOf('reward')).toEqual([])
    await fake.becomeReady()
    vi.advanceTimersByTime(1000)
    expect(fake.callsOf('decide')).toEqual([])
  })
})
