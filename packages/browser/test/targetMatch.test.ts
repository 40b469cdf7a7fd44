import { describe, expect, it } from 'vitest'
import { describeTarget, interactiveAncestor } from '@tacit/core'
import { signalMatches } from '../src/declarative/targetMatch'
import { page } from './fakeTacit'

describe('matching a selector against signal targets', () => {
  it('uses the same list of interactive elements (the element a hesitation is reported for)', () => {
    page(`<button id="b"><span id="s1"></span></button><a href="#" id="a"><i id="s2"></i></a><div role="switch" id="sw"><i id="s3"></i></div>
      <label id="l"><b id="s4"></b></label><div tabindex="0" id="t"><b id="s5"></b></div><div data-tacit-goal="g" id="g"><b id="s6"></b></div><p><b id="s7"></b></p>`)
    for (const id of ['s1', 's2', 's3', 's4', 's5', 's6', 's7']) {
      const el = document.getElementById(id)!
      const around = interactiveAncestor(el)
      // A selector for the inner element matches exactly the signals core reports for the element around it.
      expect(signalMatches(document, `#${id}`, around ? describeTarget(around).target : 'nothing')).toBe(!!around)
    }
  })
})

describe('signalMatches', () => {
  it('matches a selected element, an element inside it, or the interactive element around it; nothing else', () => {
    page('<section id="box"><button id="buy"><span id="label">Buy</span></button></section><button id="other">x</button>')
    expect(signalMatches(document, '#buy', 'button#buy')).toBe(true)
    expect(signalMatches(document, '#buy', 'span#label')).toBe(true)
    expect(signalMatches(document, '#label', 'button#buy')).toBe(true)
    expect(signalMatches(document, '#box', 'button#buy')).toBe(true)
    expect(signalMatches(document, '#buy', 'button#other')).toBe(false)
    expect(signalMatches(document, '#buy', 'section#box')).toBe(false)
    expect(signalMatches(document, '.missing', 'button#buy')).toBe(false)
  })

  it('any of several selected elements can match', () => {
    page('<button class="buy" id="b1"></button><button class="buy" id="b2"></button>')
    expect(signalMatches(document, '.buy', 'button#b2')).toBe(true)
  })
})
