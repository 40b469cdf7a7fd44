import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTacit, type Signal, type Tacit } from '@tacit/core'
import { FakeIntersectionObserver as FakeIO } from '../fakes'
import { leavePage } from './pointer'

/**
 * Odd DOM (happy-dom): SVG, shadow roots, nodes of another document, elements removed while the
 * pointer is on them or while they are in view, detached targets, thousands of tracked items.
 * Nothing may throw (into the page, to `onError` or to the console), and `destroy()` must leave
 * no listener, observer or timer behind. happy-dom neither retargets events out of shadow roots
 * nor loads iframes, so which element a shadow-DOM or iframe event counts for is checked in real
 * Chromium (packages/browser/test/oddDom.browser.test.ts); here the point is that nothing breaks.
 */

const START = Date.UTC(2026, 11, 1, 12)

// ---- what Tacit leaves behind: listeners, observers, timers ------------------------------------

/** Net listeners per EventTarget (added minus removed, by type, handler and capture). */
const trackListeners = () => {
  const live = new Map<EventTarget, Set<string>>()
  const ids = new WeakMap<object, number>()
  let next = 0
  const key = (type: string, handler: unknown, options: unknown) => {
    const h = handler as object
    if (!ids.has(h)) ids.set(h, ++next)
    const capture = typeof options === 'boolean' ? options : !!(options as { capture?: boolean } | undefined)?.capture
    return `${type}|${ids.get(h)}|${capture}`
  }
  const proto = EventTarget.prototype
  const add = proto.addEventListener
  const remove = proto.removeEventListener
  proto.addEventListener = function (this: EventTarget, type: string, handler: unknown, options?: unknown) {
    if (handler) {
      const set = live.get(this) ?? new Set()
      live.set(this, set)
      set.add(key(type, handler, options))
    }
    return add.call(this, type, handler as EventListener, options as AddEventListenerOptions)
  } as typeof proto.addEventListener
  proto.removeEventListener = function (this: EventTarget, type: string, handler: unknown, options?: unknown) {
    if (handler) live.get(this)?.delete(key(type, handler, options))
    return remove.call(this, type, handler as EventListener, options as EventListenerOptions)
  } as typeof proto.removeEventListener
  return {
    count: () => [...live.values()].reduce((n, s) => n + s.size, 0),
    describe: () => [...live.entries()].filter(([, s]) => s.size).map(([t, s]) => `${(t as Node).nodeName ?? 'window'}: ${[...s].join(', ')}`),
    restore: () => {
      proto.addEventListener = add
      proto.removeEventListener = remove
    },
  }
}

/** MutationObservers observing now. */
const liveMutationObservers = new Set<MutationObserver>()
const RealMO = globalThis.MutationObserver
class CountingMutationObserver extends RealMO {
  override observe(target: Node, options?: MutationObserverInit): void {
    liveMutationObservers.add(this)
    super.observe(target, options)
  }
  override disconnect(): void {
    liveMutationObservers.delete(this)
    super.disconnect()
  }
}

// ---- harness ---------------------------------------------------------------------------------

let listeners: ReturnType<typeof trackListeners>
let errors: unknown[]
let pageErrors: unknown[]
let consoleError: ReturnType<typeof vi.spyOn>
let tacit: Tacit | undefined
let signals: Signal[]
const onPageError = (e: Event) => pageErrors.push((e as ErrorEvent).error ?? e)

beforeEach(() => {
  vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.stubGlobal('IntersectionObserver', FakeIO)
  vi.stubGlobal('MutationObserver', CountingMutationObserver)
  errors = []
  pageErrors = []
  signals = []
  window.addEventListener('error', onPageError)
  consoleError = vi.spyOn(console, 'error')
  listeners = trackListeners()
})

afterEach(async () => {
  try {
    if (tacit) {
      tacit.destroy()
      await Promise.resolve()
      // destroy() leaves nothing: no listener on any node, no observer, no timer.
      expect(listeners.describe()).toEqual([])
      expect(liveMutationObservers.size).toBe(0)
      for (const io of FakeIO.all) expect(io.disconnected || io.observed.size === 0).toBe(true)
      expect(vi.getTimerCount()).toBe(0)
      expect(document.querySelector('[data-tacit-sentinels]')).toBeNull()
    }
    expect(errors).toEqual([])
    expect(pageErrors).toEqual([])
    expect(consoleError).not.toHaveBeenCalled()
  } finally {
    tacit = undefined
    listeners.restore()
    window.removeEventListener('error', onPageError)
    consoleError.mockRestore()
    liveMutationObservers.clear()
    FakeIO.all = []
    vi.unstubAllGlobals()
  }
})

/** Renders `markup`, then starts Tacit on it (the page exists before the script runs). */
const start = async (markup: string, recentSignals = 100): Promise<Tacit> => {
  document.body.innerHTML = markup
  tacit = createTacit({ onError: (e) => errors.push(e), recentSignals })
  tacit.on('signal', (s) => signals.push(s))
  await tacit.ready
  return tacit
}

/** The IntersectionObserver that watches tracked items (the other one watches scroll sentinels). */
const dwellObserver = (): FakeIO => {
  const io = FakeIO.all.find((o) => [...o.observed].some((el) => el.hasAttribute('data-tacit-item')))
  if (!io) throw new Error('no IntersectionObserver observes a tracked item')
  return io
}

/** Pointer events as a browser sends them: composed, so they leave shadow roots. */
const pointer = (type: 'pointerover' | 'pointerout', target: EventTarget, relatedTarget: EventTarget | null) =>
  target.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, relatedTarget }))
const move = (from: Element | null, to: Element | null) => {
  if (from) pointer('pointerout', from, to)
  if (from && !to) leavePage(from)
  if (to) pointer('pointerover', to, from)
}
const click = (el: EventTarget) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 5, clientY: 5 }))
const input = () => document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
/** MutationObserver callbacks run in a microtask. */
const mutations = async () => {
  await Promise.resolve()
  await Promise.resolve()
}
const byId = <E extends Element = Element>(id: string, root: ParentNode = document): E => {
  const el = root.querySelector<E>(`#${id}`)
  if (!el) throw new Error(`no #${id}`)
  return el
}
const item = async (id: string) => (await tacit!.profile()).items.find((i) => i.id === id)

// ---- tests -----------------------------------------------------------------------------------

// The first test also loads the model chunk; a busy machine makes that seconds.
describe('odd DOM', { timeout: 30_000 }, () => {
  it('SVG: shapes inside a tracked element count for it; a pause on an SVG icon in a button is a hesitation on the button', async () => {
    await start(`
      <div data-tacit-item="sku-svg" data-tacit-tags="icons"><svg viewBox="0 0 10 10"><g><path id="path" d="M0 0h10v10z"/></g></svg></div>
      <button id="buy"><svg><use id="icon" href="#path"/></svg></button>
      <svg id="chart" data-tacit-item="chart"><circle id="dot" r="4"/></svg>
      <p id="text">text</p>`)
    move(null, byId('path'))
    vi.advanceTimersByTime(300)
    move(byId('path'), byId('icon'))
    vi.advanceTimersByTime(1200)
    move(byId('icon'), byId('dot'))
    vi.advanceTimersByTime(200)
    click(byId('dot'))
    move(byId('dot'), byId('text'))

    expect(await item('sku-svg')).toMatchObject({ hovers: 1, hoverMs: 300, tags: ['icons'] })
    expect(await item('chart')).toMatchObject({ hovers: 1, hoverMs: 200, clicks: 1 })
    expect(signals.filter((s) => s.type === 'hesitation')).toEqual([
      expect.objectContaining({ target: 'button#buy', outcome: 'abandoned', ms: 1200 }),
    ])
  })

  it('SVG: rage clicks on a shape, and an SVG element as a tracked item in view', async () => {
    await start(`<svg id="map" data-tacit-item="map"><rect id="region" width="50" height="50"/></svg>`)
    for (let i = 0; i < 3; i++) {
      click(byId('region'))
      vi.advanceTimersByTime(100)
    }
    expect(signals.filter((s) => s.type === 'rage-click')).toEqual([expect.objectContaining({ target: 'map', item: 'map' })])
    const io = dwellObserver()
    io.reportRatio(byId('map'), 1)
    vi.advanceTimersByTime(2000)
    input()
    io.reportRatio(byId('map'), 0)
    expect(signals.filter((s) => s.type === 'dwell')).toEqual([expect.objectContaining({ item: 'map', ms: 2000 })])
  })

  for (const mode of ['open', 'closed'] as const) {
    it(`shadow DOM (${mode} root): pointer and clicks inside it, fields, nested roots: nothing breaks`, async () => {
      await start(`<product-card id="host" data-tacit-item="card-1" data-tacit-tags="shadow"></product-card><p id="out">out</p>`)
      const host = byId('host')
      const root = host.attachShadow({ mode })
      root.innerHTML = `
        <div data-tacit-item="inside"><button id="add">Add</button><svg><path id="shape"/></svg></div>
        <input id="field" name="qty"><nested-part id="nested"></nested-part>`
      const nested = byId('nested', root).attachShadow({ mode })
      nested.innerHTML = '<a id="deep" href="#x">deep</a>'
      const add = byId('add', root)
      const deep = byId('deep', nested)

      move(byId('out'), add)
      vi.advanceTimersByTime(1500)
      move(add, byId('shape', root))
      move(byId('shape', root), deep)
      vi.advanceTimersByTime(200)
      for (let i = 0; i < 3; i++) click(deep)
      move(deep, byId('out'))
      // Events whose target is a shadow root itself, and a root as the related target.
      pointer('pointerover', root, null)
      pointer('pointerout', byId('out'), nested)
      const field = byId<HTMLInputElement>('field', root)
      field.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }))
      vi.advanceTimersByTime(3500)
      field.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }))

      // The page's own part of the profile is intact and still valid JSON.
      const p = await tacit!.profile()
      expect(JSON.parse(JSON.stringify(p)).items).toEqual(p.items)
      expect(() => JSON.parse(JSON.stringify(p))).not.toThrow()
    })
  }

  it('nodes of another document (as in an iframe) as targets, and an element moved there mid-hover', async () => {
    await start(`<div id="a" data-tacit-item="sku-a">a</div><div id="b" data-tacit-item="sku-b">b</div><div id="frame"></div>`)
    const other = document.implementation.createHTMLDocument('frame')
    other.body.innerHTML = '<div id="f" data-tacit-item="sku-frame"><span id="fs">f</span></div>'
    const a = byId('a')
    move(null, a)
    vi.advanceTimersByTime(400)
    // The pointer goes into the frame: a related target of the other document, then the pointer
    // is over the frame's element (#frame stands for the <iframe>) as far as this page knows.
    pointer('pointerout', a, byId('fs', other))
    pointer('pointerover', byId('frame'), a)
    vi.advanceTimersByTime(400)
    // Events inside the other document never reach this page's listeners.
    click(byId('fs', other))
    // The element under the pointer moves into the other document.
    move(null, byId('b'))
    vi.advanceTimersByTime(300)
    other.body.appendChild(other.adoptNode(byId('b')))
    await mutations()
    pointer('pointerover', document.body, null)

    expect(await item('sku-a')).toMatchObject({ hovers: 1, hoverMs: 400, clicks: 0 })
    // (A browser never hands out another document's node as relatedTarget; here it is only a
    // target that must not break anything.) A click inside the other document is not a click here.
    expect((await item('sku-frame'))?.clicks ?? 0).toBe(0)
    // It left this page: dwell lets it go (it is connected, but to the other document).
    expect(dwellObserver().observed.has(byId('b', other))).toBe(false)
  })

  it('an element removed while the pointer rests on it and while it is in view: its measures end once, it is let go', async () => {
    await start(`<ul id="list"><li id="a" data-tacit-item="sku-a"><button id="ab">+</button></li><li id="b" data-tacit-item="sku-b">b</li></ul>`)
    const io = dwellObserver()
    const a = byId('a')
    io.reportRatio(a, 1)
    input()
    move(null, byId('ab'))
    vi.advanceTimersByTime(1500)
    input()
    a.remove()
    await mutations()
    // In view until removed: one dwell, and the observer no longer holds the element.
    expect(signals.filter((s) => s.type === 'dwell')).toEqual([expect.objectContaining({ item: 'sku-a', ms: 1500 })])
    expect(io.observed.has(a)).toBe(false)
    // The browser sends no pointerout for a removed element; the next pointerover ends the hover.
    move(null, byId('b'))
    vi.advanceTimersByTime(150)
    move(byId('b'), null)
    expect(await item('sku-a')).toMatchObject({ hovers: 1, hoverMs: 1500 })
    expect(await item('sku-b')).toMatchObject({ hovers: 1, hoverMs: 150 })
    // Put back (a list re-rendered): watched again, and a second dwell is its own.
    byId('list').appendChild(a)
    await mutations()
    expect(io.observed.has(a)).toBe(true)
    // The whole list replaced mid-hover and mid-dwell.
    io.reportRatio(byId('b'), 1)
    move(null, byId('b'))
    vi.advanceTimersByTime(500)
    input()
    document.body.innerHTML = '<p id="empty">gone</p>'
    await mutations()
    move(null, byId('empty'))
    expect([...io.observed].filter((el) => el.hasAttribute('data-tacit-item'))).toEqual([])
    expect(signals.filter((s) => s.type === 'dwell').map((s) => s.item)).toEqual(['sku-a', 'sku-b'])
  })

  it('detached targets, text nodes, the document and window as targets: ignored without a fault', async () => {
    await start(`<div id="a" data-tacit-item="sku-a">text <b id="bold">bold</b></div><button id="btn">b</button>`)
    const detached = document.createElement('div')
    detached.setAttribute('data-tacit-item', 'ghost')
    detached.innerHTML = '<span id="gs">g</span>'
    const a = byId('a')
    const text = a.firstChild!
    pointer('pointerover', text, null)
    vi.advanceTimersByTime(200)
    pointer('pointerout', a, detached.firstChild)
    pointer('pointerout', a, window)
    pointer('pointerover', document, null)
    click(text)
    click(document)
    // Events dispatched on detached nodes never reach the page.
    click(detached)
    pointer('pointerover', detached, a)
    // An element detached right after a click (a dismissed dialog): no dead click, no fault.
    const btn = byId('btn')
    click(btn)
    btn.remove()
    await mutations()
    vi.advanceTimersByTime(3000)
    expect(signals.filter((s) => s.type === 'dead-click')).toEqual([])
    expect(await item('sku-a')).toMatchObject({ hovers: 1, hoverMs: 200, clicks: 1 })
  })

  it('attribute values a site did not mean: long, emoji, lone surrogates, JavaScript property names', async () => {
    const long = 'x'.repeat(10_000)
    const tags = Array.from({ length: 500 }, (_, i) => `t${i}`).join(',')
    await start(`
      <div id="long" data-tacit-item="${long}" data-tacit-tags="${tags}">l</div>
      <div id="emoji" data-tacit-item="${'👩‍👩‍👧‍👦'.repeat(20)}" data-tacit-tags="🛒,\uD800x">e</div>
      <div id="proto" data-tacit-item="constructor" data-tacit-tags="__proto__,toString">p</div>
      <div id="proto2" data-tacit-item="__proto__" data-tacit-tags="valueOf">q</div>`)
    for (const id of ['long', 'emoji', 'proto', 'proto2']) click(byId(id))
    const p = await tacit!.profile()
    // One record per element, ids and tag lists capped, every number a number.
    expect(p.items).toHaveLength(4)
    for (const i of p.items) {
      expect(i.id.length).toBeLessThanOrEqual(200)
      expect(i.tags.length).toBeLessThanOrEqual(16)
      expect(i.clicks).toBe(1)
    }
    expect(p.items.map((i) => i.id)).toEqual(expect.arrayContaining(['constructor', '__proto__']))
    expect(p.tags.map((t) => t.tag)).toEqual(expect.arrayContaining(['__proto__', 'tostring', 'valueof']))
    for (const t of p.tags) expect(t.clicks).toBe(1)
    expect(tacit!.rank([{ id: 'other' }, { id: 'constructor', tags: ['__proto__'] }])[0].id).toBe('constructor')
  })

  it('5,000 tracked items: each observed once, one record each however often visited, all let go on removal', async () => {
    const N = 5000
    const RECENT = 100
    await start(
      `<ul id="grid">${Array.from({ length: N }, (_, i) => `<li id="i${i}" data-tacit-item="sku-${i}" data-tacit-tags="t${i % 20}">${i}</li>`).join('')}</ul><p id="off">off</p>`,
      RECENT,
    )
    const io = dwellObserver()
    const items = [...document.querySelectorAll('[data-tacit-item]')]
    expect(items).toHaveLength(N)
    expect([...io.observed].filter((el) => el.hasAttribute('data-tacit-item'))).toHaveLength(N)

    // Two sweeps of the pointer over every item, 120 ms each.
    for (let sweep = 0; sweep < 2; sweep++) {
      let prev: Element | null = byId('off')
      for (const el of items) {
        move(prev, el)
        vi.advanceTimersByTime(120)
        prev = el
      }
      move(prev, byId('off'))
    }
    // Every item in view for a second (after the layout moved: a resize), then out of view.
    window.dispatchEvent(new Event('resize'))
    io.report(items.map((el) => [el, true]))
    vi.advanceTimersByTime(1000)
    input()
    io.report(items.map((el) => [el, false]))

    const p = await tacit!.profile()
    expect(p.items).toHaveLength(N)
    expect(p.items.every((i) => i.hovers === 2 && i.hoverMs === 240 && i.dwellMs === 1000)).toBe(true)
    expect(p.tags).toHaveLength(20)
    expect(p.signals.length).toBeLessThanOrEqual(RECENT)
    expect(tacit!.rank(items.map((el) => ({ id: el.getAttribute('data-tacit-item')! })))).toHaveLength(N)

    byId('grid').remove()
    await mutations()
    expect([...io.observed].filter((el) => el.hasAttribute('data-tacit-item'))).toEqual([])
    // 20,000 pointer events in happy-dom: seconds on a busy machine, not a figure to assert.
  }, 60_000)
})
