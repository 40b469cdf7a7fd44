import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { bindAdaptation } from '../src/declarative/adapt'
import { $, fakeTacit, flush, isHiddenByTacit, nextFrame, page } from './fakeTacit'

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

const GRID = `<ul id="grid" data-tacit-rank>
  <li id="b1" data-tacit-item="budget-1" data-tacit-tags="budget, Bags">Budget bag</li>
  <li id="p1" data-tacit-item="premium-1" data-tacit-tags="premium,bags">Premium bag</li>
  <li id="b2" data-tacit-item="budget-2">Budget suitcase</li>
  <li id="p2" data-tacit-item="premium-2" data-tacit-tags="premium">Premium suitcase</li>
</ul>`

/** The container's element children by id, in the order the page shows them. */
const order = (selector = '#grid'): string[] => Array.from($(selector).children, (c) => c.id)

describe('data-tacit-rank', () => {
  it('hidden before ready and still in page order; rank() not asked before ready', () => {
    page(GRID)
    const fake = fakeTacit()
    bind(fake)
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    expect(order()).toEqual(['b1', 'p1', 'b2', 'p2'])
    expect(fake.callsOf('rank')).toEqual([])
  })

  it('once ready: the items, with their ids and tags, are put in the order rank() returns, and the container is shown', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-2', 'premium-1', 'budget-1', 'budget-2']
    bind(fake)
    await fake.becomeReady()
    await nextFrame()
    expect(fake.callsOf('rank')).toEqual([
      [
        [
          { id: 'budget-1', tags: ['budget', 'bags'] },
          { id: 'premium-1', tags: ['premium', 'bags'] },
          { id: 'budget-2', tags: [] },
          { id: 'premium-2', tags: ['premium'] },
        ],
      ],
    ])
    expect(order()).toEqual(['p2', 'p1', 'b1', 'b2'])
    expect(isHiddenByTacit($('#grid'))).toBe(false)
    expect($('#grid').hasAttribute('data-tacit-ready')).toBe(true)
  })

  it('reordered while hidden, and shown only after the next frame is painted (moving and showing in one frame is a layout shift)', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-2']
    bind(fake)
    await fake.becomeReady()
    expect(order()).toEqual(['p2', 'b1', 'p1', 'b2'])
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    await vi.advanceTimersByTimeAsync(16) // the frame's callbacks run; its paint has not happened yet
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    await nextFrame()
    expect(isHiddenByTacit($('#grid'))).toBe(false)
  })

  it('without animation frames (a background tab) it is shown 1 s after ready', async () => {
    page(GRID)
    const fake = fakeTacit()
    const raf = globalThis.requestAnimationFrame
    ;(globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = () => 0
    try {
      bind(fake)
      await fake.becomeReady()
      await vi.advanceTimersByTimeAsync(999)
      expect(isHiddenByTacit($('#grid'))).toBe(true)
      await vi.advanceTimersByTimeAsync(1)
      expect(isHiddenByTacit($('#grid'))).toBe(false)
    } finally {
      globalThis.requestAnimationFrame = raf
    }
  })

  it('moves the page’s own nodes (no copies), so their listeners and state survive', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-2']
    bind(fake)
    const p2 = $('#p2')
    await fake.becomeReady()
    expect($('#grid').firstElementChild).toBe(p2)
    expect(document.querySelectorAll('[data-tacit-item]')).toHaveLength(4)
  })

  it('other children keep their places: items fill the positions items held, in ranked order', async () => {
    page(`<div id="grid" data-tacit-rank>
      <h2 id="title">Picks</h2>
      <div id="a" data-tacit-item="a"></div>
      <div id="ad">Advert</div>
      <div id="b" data-tacit-item="b"></div>
      <div id="c" data-tacit-item="c"></div>
      <div id="empty" data-tacit-item=" "></div>
      <footer id="more">More</footer>
    </div>`)
    const fake = fakeTacit()
    fake.state.order = ['c', 'b', 'a']
    bind(fake)
    const moved: string[] = []
    const watch = new MutationObserver((records) => records.forEach((r) => r.removedNodes.forEach((n) => moved.push((n as Element).id ?? '#text'))))
    watch.observe($('#grid'), { childList: true })
    await fake.becomeReady()
    expect(order()).toEqual(['title', 'c', 'ad', 'b', 'a', 'empty', 'more'])
    // Only items were taken out and put back: the advert (it could be an iframe) never left.
    await flush()
    watch.disconnect()
    expect(moved.length).toBeGreaterThan(0)
    expect(moved.every((id) => ['a', 'b', 'c'].includes(id))).toBe(true)
  })

  it('any permutation comes out right, including neighbours and the last position', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e']
    const permutations = [['b', 'a', 'c', 'd', 'e'], ['e', 'd', 'c', 'b', 'a'], ['a', 'b', 'c', 'e', 'd'], ['c', 'e', 'a', 'd', 'b'], ['e', 'a', 'b', 'c', 'd'], ids]
    for (const want of permutations) {
      page(`<div id="grid" data-tacit-rank><i id="x"></i>${ids.map((id) => `<b id="${id}" data-tacit-item="${id}"></b>`).join('<i></i>')}</div>`)
      const fake = fakeTacit()
      fake.state.order = want
      const unbind = bind(fake)
      await fake.becomeReady()
      expect(Array.from($('#grid').querySelectorAll('b'), (b) => b.id)).toEqual(want)
      expect($('#grid').children).toHaveLength(2 * ids.length)
      expect(Array.from($('#grid').children, (c) => c.localName).join('')).toBe('ib' + 'ib'.repeat(ids.length - 1))
      unbind()
    }
  })

  it('only direct children are items; nested items stay where they are', async () => {
    page(`<div id="grid" data-tacit-rank><div id="a" data-tacit-item="a"><span id="inner-z" data-tacit-item="z"></span><span id="inner-y" data-tacit-item="y"></span></div><div id="b" data-tacit-item="b"></div></div>`)
    const fake = fakeTacit()
    fake.state.order = ['y', 'b', 'a']
    bind(fake)
    await fake.becomeReady()
    expect(order()).toEqual(['b', 'a'])
    expect(order('#a')).toEqual(['inner-z', 'inner-y'])
    expect(fake.callsOf('rank')[0][0]).toEqual([
      { id: 'a', tags: [] },
      { id: 'b', tags: [] },
    ])
  })

  it('an item that had the focus keeps it after moving', async () => {
    page(`<div id="grid" data-tacit-rank><button id="a" data-tacit-item="a">A</button><button id="b" data-tacit-item="b">B</button></div>`)
    const fake = fakeTacit()
    fake.state.order = ['b', 'a']
    bind(fake)
    $('#b').focus() // the item that moves
    expect(document.activeElement).toBe($('#b'))
    // As browsers do (happy-dom does not): a node taken out of the document to be moved loses the focus.
    const grid = $('#grid')
    const insertBefore = grid.insertBefore.bind(grid)
    grid.insertBefore = <T extends Node>(node: T, ref: Node | null): T => {
      if (node.contains(document.activeElement)) (document.activeElement as HTMLElement).blur()
      return insertBefore(node, ref)
    }
    await fake.becomeReady()
    expect(order()).toEqual(['b', 'a'])
    expect(document.activeElement).toBe($('#b'))
  })

  it('ranks once per page load: later changes reorder nothing, even items added to the container', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-1']
    bind(fake)
    await fake.becomeReady()
    expect(order()).toEqual(['p1', 'b1', 'b2', 'p2'])
    fake.state.order = ['premium-2', 'new']
    fake.notify()
    const added = document.createElement('li')
    added.id = 'n'
    added.setAttribute('data-tacit-item', 'new')
    $('#grid').append(added)
    await flush()
    expect(order()).toEqual(['p1', 'b1', 'b2', 'p2', 'n'])
    expect(fake.callsOf('rank')).toHaveLength(1)
  })

  it('a container added after ready is ranked at once, never hidden', async () => {
    page('<main id="main"></main>')
    const fake = fakeTacit()
    fake.state.order = ['premium-2']
    bind(fake)
    await fake.becomeReady()
    $('#main').innerHTML = GRID
    await flush()
    expect(order()).toEqual(['p2', 'b1', 'p1', 'b2'])
    expect($('#grid').getAttribute('style')).toBeNull()
  })

  it('deadline first: at 300 ms it is shown in the page order, and a later ready does not reorder it', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-2']
    bind(fake)
    vi.advanceTimersByTime(299)
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    vi.advanceTimersByTime(1)
    expect(isHiddenByTacit($('#grid'))).toBe(false)
    expect(order()).toEqual(['b1', 'p1', 'b2', 'p2'])
    await fake.becomeReady()
    expect(order()).toEqual(['b1', 'p1', 'b2', 'p2'])
    expect(fake.callsOf('rank')).toEqual([])
  })

  it('a container whose inline visibility was set keeps it once shown', async () => {
    page(GRID.replace('id="grid"', 'id="grid" style="visibility: visible; color: red"'))
    const fake = fakeTacit()
    bind(fake)
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    await fake.becomeReady()
    await nextFrame()
    expect($('#grid').style.getPropertyValue('visibility')).toBe('visible')
    expect($('#grid').style.getPropertyPriority('visibility')).toBe('')
    expect($('#grid').style.getPropertyValue('color')).toBe('red')
  })

  it('rank() throwing is reported and the container is shown in page order', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.api.rank = () => {
      throw new Error('rank(): boom')
    }
    bind(fake)
    await fake.becomeReady()
    await nextFrame()
    expect(problems).toEqual([new Error('rank(): boom')])
    expect(order()).toEqual(['b1', 'p1', 'b2', 'p2'])
    expect(isHiddenByTacit($('#grid'))).toBe(false)
  })

  it('unbinding between ranking and the next paint shows the container at once', async () => {
    page(GRID)
    const fake = fakeTacit()
    const unbind = bind(fake)
    await fake.becomeReady()
    expect(isHiddenByTacit($('#grid'))).toBe(true)
    unbind()
    expect(isHiddenByTacit($('#grid'))).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('unbinding before ready shows the container in page order and ranks nothing later', async () => {
    page(GRID)
    const fake = fakeTacit()
    fake.state.order = ['premium-2']
    const unbind = bind(fake)
    unbind()
    expect(isHiddenByTacit($('#grid'))).toBe(false)
    await fake.becomeReady()
    vi.advanceTimersByTime(1000)
    expect(order()).toEqual(['b1', 'p1', 'b2', 'p2'])
    expect(fake.callsOf('rank')).toEqual([])
  })
})
