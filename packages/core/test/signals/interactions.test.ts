import { afterEach, describe, expect, it, vi } from 'vitest'
import { trackInteractions, type InteractionReport } from '../../src/signals/interactions'
import { $, html, runDetector, setVisibility, useFakeClock } from '../helpers'
import { click, movePointer } from './pointer'

const PAGE = `
  <p id="text">Plain text</p>
  <ul>
    <li data-tacit-item="sku-1" data-tacit-tags="luggage,premium"><img id="pic"><button id="add">Add</button>
      <div data-tacit-item="sku-1-case" id="inner"><span id="innerText">case</span></div>
    </li>
    <li data-tacit-item="sku-2" id="two"><span id="twoText">two</span><input id="pw" type="password"><span data-tacit-ignore id="mute">m</span></li>
    <li data-tacit-item="" id="blank">no id</li>
  </ul>
  <div data-tacit-ignore><div data-tacit-item="hidden-sku" id="ignored">x</div></div>`

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup) fn()
  cleanup = []
  setVisibility('visible')
})

const setup = (report: InteractionReport = vi.fn()) => {
  useFakeClock()
  html(PAGE)
  const calls: Array<[string, unknown]> = []
  const run = runDetector((ctx) =>
    trackInteractions(ctx, (kind, info) => {
      calls.push([kind, info])
      report(kind, info)
    }),
  )
  cleanup.push(run.destroy)
  return { ...run, calls }
}

describe('trackInteractions', () => {
  it('reports a hover with item, tags and ms when the pointer leaves the item', () => {
    const { calls } = setup()
    movePointer($('#text'), $('#pic'))
    vi.advanceTimersByTime(750)
    expect(calls).toHaveLength(0)
    movePointer($('#pic'), $('#text'))
    expect(calls).toEqual([['hover', { item: 'sku-1', tags: ['luggage', 'premium'], ms: 750 }]])
  })

  it('needs at least 100 ms: 99 is passing by, exactly 100 counts', () => {
    const { calls } = setup()
    movePointer($('#text'), $('#two'))
    vi.advanceTimersByTime(99)
    movePointer($('#two'), $('#text'))
    expect(calls).toHaveLength(0)
    movePointer($('#text'), $('#two'))
    vi.advanceTimersByTime(100)
    movePointer($('#two'), $('#text'))
    expect(calls).toEqual([['hover', { item: 'sku-2', ms: 100 }]])
  })

  it('moving between descendants of one item is one hover', () => {
    const { calls } = setup()
    movePointer($('#text'), $('#pic'))
    vi.advanceTimersByTime(300)
    movePointer($('#pic'), $('#add'))
    vi.advanceTimersByTime(300)
    movePointer($('#add'), $('#pic'))
    vi.advanceTimersByTime(300)
    movePointer($('#pic'), null)
    expect(calls).toEqual([['hover', { item: 'sku-1', tags: ['luggage', 'premium'], ms: 900 }]])
  })

  it('a nested item counts for itself: entering it ends the outer hover', () => {
    const { calls } = setup()
    movePointer($('#text'), $('#pic'))
    vi.advanceTimersByTime(200)
    movePointer($('#pic'), $('#innerText'))
    vi.advanceTimersByTime(400)
    movePointer($('#innerText'), $('#twoText'))
    vi.advanceTimersByTime(150)
    movePointer($('#twoText'), $('#text'))
    expect(calls).toEqual([
      ['hover', { item: 'sku-1', tags: ['luggage', 'premium'], ms: 200 }],
      ['hover', { item: 'sku-1-case', ms: 400 }],
      ['hover', { item: 'sku-2', ms: 150 }],
    ])
  })

  it('reports clicks inside a tracked item, and nothing for other clicks', () => {
    const { calls } = setup()
    click($('#add'))
    click($('#innerText'))
    click($('#text'))
    click($('#ignored'))
    click($('#blank'))
    click($('#pw'))
    click($('#mute'))
    expect(calls).toEqual([
      ['click', { item: 'sku-1', tags: ['luggage', 'premium'] }],
      ['click', { item: 'sku-1-case' }],
    ])
  })

  it('ignores items inside data-tacit-ignore and items without an id', () => {
    const { calls } = setup()
    movePointer(null, $('#ignored'))
    vi.advanceTimersByTime(500)
    movePointer($('#ignored'), $('#blank'))
    vi.advanceTimersByTime(500)
    movePointer($('#blank'), null)
    expect(calls).toHaveLength(0)
  })

  it('hiding the page ends the hover, and hidden time never counts', () => {
    const { calls } = setup()
    movePointer($('#text'), $('#two'))
    vi.advanceTimersByTime(400)
    setVisibility('hidden')
    vi.advanceTimersByTime(60_000)
    setVisibility('visible')
    movePointer($('#two'), $('#text'))
    expect(calls).toEqual([['hover', { item: 'sku-2', ms: 400 }]])
  })

  it('a failing report goes to onError, not to the page', () => {
    const { errors } = setup(() => {
      throw new Error('boom')
    })
    expect(() => click($('#add'))).not.toThrow()
    expect(errors).toEqual([new Error('boom')])
  })

  it('destroy removes its listeners', () => {
    const { calls, destroy } = setup()
    movePointer($('#text'), $('#two'))
    vi.advanceTimersByTime(400)
    destroy()
    movePointer($('#two'), $('#text'))
    click($('#add'))
    expect(calls).toHaveLength(0)
  })
})
