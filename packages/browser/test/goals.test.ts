import type { Tacit } from '@tacit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { bindGoalsAndSteps } from '../src/declarative/goals'

/** A stand-in for the API that records the track and step calls it receives. */
const fakeTacit = () => {
  const calls: unknown[][] = []
  const api = {
    track: (...args: unknown[]) => void calls.push(['track', ...args]),
    step: (...args: unknown[]) => void calls.push(['step', ...args]),
  }
  return { api: api as unknown as Tacit, calls }
}

const bound: (() => void)[] = []
afterEach(() => bound.splice(0).forEach((unbind) => unbind()))
/** Binds like the script tag does; unbound after each test so listeners do not pile up. */
const bind = (api: Tacit): (() => void) => {
  const unbind = bindGoalsAndSteps(api, document)
  bound.push(unbind)
  return unbind
}

const page = (markup: string): void => {
  document.body.innerHTML = markup
}
const click = (selector: string): void => {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no element matches ${selector}`)
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }))
}

describe('data-tacit-goal', () => {
  it('a click on the element is track(goal) with no value', () => {
    page('<button id="buy" data-tacit-goal="purchase">Buy</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#buy')
    expect(calls).toEqual([['track', 'purchase', undefined]])
  })

  it('a click inside the element counts too, and data-tacit-value is parsed as a number', () => {
    page('<a href="#" data-tacit-goal="purchase" data-tacit-value="49.5"><span><b id="inner">Buy</b></span></a>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#inner')
    expect(calls).toEqual([['track', 'purchase', 49.5]])
  })

  it('an empty data-tacit-value means no value, not 0', () => {
    page('<button id="buy" data-tacit-goal="purchase" data-tacit-value=" ">Buy</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#buy')
    expect(calls).toEqual([['track', 'purchase', undefined]])
  })

  it('a value that is not a number reaches track() as NaN, which the API reports and ignores', () => {
    page('<button id="buy" data-tacit-goal="purchase" data-tacit-value="€49">Buy</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#buy')
    expect(calls).toEqual([['track', 'purchase', NaN]])
  })

  it('each click is one track; a click elsewhere is none', () => {
    page('<p id="text">Read me</p><button id="buy" data-tacit-goal="purchase" data-tacit-value="10">Buy</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#text')
    click('#buy')
    click('#buy')
    expect(calls).toEqual([
      ['track', 'purchase', 10],
      ['track', 'purchase', 10],
    ])
  })

  it('nested goals: only the innermost one is tracked', () => {
    page('<div data-tacit-goal="card-open"><button id="add" data-tacit-goal="add-to-cart">Add</button></div>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#add')
    expect(calls).toEqual([['track', 'add-to-cart', undefined]])
  })

  it('works for elements added after binding, and when the page stops the click from bubbling', () => {
    page('<div id="host"></div>')
    const { api, calls } = fakeTacit()
    bind(api)
    const button = document.createElement('button')
    button.id = 'late'
    button.setAttribute('data-tacit-goal', 'signup')
    button.addEventListener('click', (e) => e.stopPropagation())
    document.getElementById('host')!.append(button)
    click('#late')
    expect(calls).toEqual([['track', 'signup', undefined]])
  })
})

describe('data-tacit-step', () => {
  it('on a button: the step is recorded on click, not when binding', () => {
    page('<button id="cart" data-tacit-step="checkout:cart">Add to cart</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    expect(calls).toEqual([])
    click('#cart')
    expect(calls).toEqual([['step', 'checkout', 'cart']])
  })

  it('on a link or a role=button element, and for a click inside it', () => {
    page(
      '<a id="pay" href="/pay" data-tacit-step="checkout:pay"><span id="pay-label">Pay</span></a>' +
        '<div id="done" role="button" data-tacit-step="checkout:done">Done</div>',
    )
    const { api, calls } = fakeTacit()
    bind(api)
    expect(calls).toEqual([])
    click('#pay-label')
    click('#done')
    expect(calls).toEqual([
      ['step', 'checkout', 'pay'],
      ['step', 'checkout', 'done'],
    ])
  })

  it('on a non-interactive element: recorded once when binding (the page was shown), not on click', () => {
    page('<form id="details" data-tacit-step="checkout:details"><input id="email"></form><section data-tacit-step="signup:intro"></section>')
    const { api, calls } = fakeTacit()
    bind(api)
    expect(calls).toEqual([
      ['step', 'checkout', 'details'],
      ['step', 'signup', 'intro'],
    ])
    click('#details')
    click('#email')
    expect(calls).toHaveLength(2)
  })

  it('a button inside a non-interactive step element records nothing more on click', () => {
    page('<div data-tacit-step="checkout:details"><button id="save">Save</button></div>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#save')
    expect(calls).toEqual([['step', 'checkout', 'details']])
  })

  it('splits on the first colon only', () => {
    page('<button id="b" data-tacit-step="checkout:step:2">Next</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#b')
    expect(calls).toEqual([['step', 'checkout', 'step:2']])
  })

  it('a button that is both a goal and a step records both', () => {
    page('<button id="buy" data-tacit-goal="purchase" data-tacit-value="49" data-tacit-step="checkout:done">Buy</button>')
    const { api, calls } = fakeTacit()
    bind(api)
    click('#buy')
    expect(calls).toEqual([
      ['track', 'purchase', 49],
      ['step', 'checkout', 'done'],
    ])
  })
})

describe('unbinding', () => {
  it('the returned function removes the click listener', () => {
    page('<button id="buy" data-tacit-goal="purchase" data-tacit-step="checkout:done">Buy</button>')
    const { api, calls } = fakeTacit()
    const unbind = bind(api)
    click('#buy')
    expect(calls).toHaveLength(2)
    unbind()
    click('#buy')
    click('#buy')
    expect(calls).toHaveLength(2)
  })
})
