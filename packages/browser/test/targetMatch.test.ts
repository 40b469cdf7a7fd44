import { describe, expect, it } from 'vitest'
// Core's own rule, from source: the two must describe every element the same way.
import { describeTarget, interactiveAncestor } from '../../core/src/signals/target'
import { signalMatches, targetOf } from '../src/declarative/targetMatch'
import { page } from './fakeTacit'

describe('targetOf mirrors core’s describeTarget', () => {
  it('gives the same string for every element of a varied page', () => {
    page(`
      <div data-tacit-item="sku-1" data-tacit-tags="a"><span id="in-item">x</span><button>b</button></div>
      <div data-tacit-item=""><i id="empty-item"></i></div>
      <button id="buy"><span id="label">Buy</span></button>
      <div role="tab">t</div><input name="email"><a href="#">l</a><span>plain</span>
      <p id="${'x'.repeat(80)}"></p><div role="${'r'.repeat(80)}"></div>
      <div data-tacit-item="${'i'.repeat(80)}"><b></b></div>
      <svg id="icon"><circle id="dot"></circle></svg>`)
    const all = Array.from(document.body.querySelectorAll('*'))
    expect(all.length).toBeGreaterThan(15)
    for (const el of all) expect(targetOf(el)).toBe(describeTarget(el).target)
  })

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
