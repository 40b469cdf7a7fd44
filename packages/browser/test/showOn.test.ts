import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { bindAdaptation } from '../src/declarative/adapt'
import { RISK_CHECK_MS, RISK_MAX_WAIT_MS } from '../src/declarative/showOn'
import { $, fakeTacit, flush, page } from './fakeTacit'

const bound: (() => void)[] = []
const problems: unknown[] = []
afterEach(() => bound.splice(0).forEach((unbind) => unbind()))
beforeEach(() => {
  problems.length = 0
})
const bind = (fake: ReturnType<typeof fakeTacit>): (() => void) => {
  const unbind = bindAdaptation(fake.api, document, (p) => problems.push(p))
  bound.push(unbind)
  return unbind
}
const hidden = (selector: string): boolean => $(selector).hasAttribute('hidden')

/** With fake timers: the risk becomes `risk` and Tacit notifies once; #risk shows RISK_CHECK_MS later, not before. */
const revealedAfterQuiet = (fake: ReturnType<typeof fakeTacit>, risk: number): void => {
  fake.state.risk = risk
  fake.notify()
  vi.advanceTimersByTime(RISK_CHECK_MS - 1)
  expect(hidden('#risk')).toBe(true)
  vi.advanceTimersByTime(1)
  expect(hidden('#risk')).toBe(false)
}

const SHOP = `
  <div class="card" data-tacit-item="sku-1"><button id="add">Add</button></div>
  <div id="buy-box"><button id="buy"><span id="buy-label">Buy</span></button><button>Other</button></div>
  <button id="other">Other</button>`

describe('data-tacit-show-on="hesitation"', () => {
  it('with no target: any hesitation reveals it; other signals do not', async () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" hidden>Questions?</p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'rage-click', target: 'button#buy' })
    expect(hidden('#help')).toBe(true)
    fake.emit({ type: 'hesitation', target: 'button#other' })
    expect(hidden('#help')).toBe(false)
  })

  it('data-tacit-target="#buy": a hesitation over #buy reveals it, one over another button does not', () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" data-tacit-target="#buy" hidden>Questions?</p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#other' })
    fake.emit({ type: 'hesitation', target: 'button' })
    fake.emit({ type: 'hesitation', target: 'sku-1' })
    expect(hidden('#help')).toBe(true)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect(hidden('#help')).toBe(false)
  })

  it('a target inside an interactive element matches signals about that element (hesitation is reported for the button)', () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" data-tacit-target="#buy-label" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect(hidden('#help')).toBe(false)
  })

  it('a target around elements matches signals about what is inside it', () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" data-tacit-target="#buy-box" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#other' })
    expect(hidden('#help')).toBe(true)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect(hidden('#help')).toBe(false)
  })

  it('a target inside a tracked item matches signals about that item (they carry its id)', () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" data-tacit-target="#add" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#add' })
    expect(hidden('#help')).toBe(true)
    fake.emit({ type: 'hesitation', target: 'sku-1' })
    expect(hidden('#help')).toBe(false)
  })

  it('reveals once: hidden again by the page, it stays hidden on the next hesitation', () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    $('#help').hidden = true
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect(hidden('#help')).toBe(true)
  })

  it('elements added later are watched too (for example inside a rendered slot variant)', async () => {
    page(SHOP + '<main id="main"></main>')
    const fake = fakeTacit()
    bind(fake)
    $('#main').innerHTML = '<p id="late" data-tacit-show-on="Hesitation" data-tacit-target="#buy" hidden></p>'
    await flush()
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect(hidden('#late')).toBe(false)
  })
})

describe('data-tacit-show-on="rage-click"', () => {
  it('a rage click on the target, or on an element inside it, reveals it', () => {
    page(SHOP + '<p id="a" data-tacit-show-on="rage-click" data-tacit-target="#buy" hidden></p><p id="b" data-tacit-show-on="rage-click" data-tacit-target="#buy" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    fake.emit({ type: 'rage-click', target: 'button#other' })
    expect([hidden('#a'), hidden('#b')]).toEqual([true, true])
    fake.emit({ type: 'rage-click', target: 'span#buy-label' })
    expect([hidden('#a'), hidden('#b')]).toEqual([false, false])
  })
})

describe('data-tacit-show-on="drop-off-risk"', () => {
  const RISK = '<p id="risk" data-tacit-show-on="drop-off-risk" hidden>Free returns</p>'

  it('nothing before ready, whatever predict() says; checked once ready', async () => {
    page(RISK)
    const fake = fakeTacit()
    fake.state.risk = 0.9
    bind(fake)
    fake.notify()
    expect(hidden('#risk')).toBe(true)
    expect(fake.callsOf('predict')).toEqual([])
    await fake.becomeReady()
    expect(hidden('#risk')).toBe(false)
  })

  it('default threshold 0.6: 0.59 does not reveal; a change that brings it to exactly 0.6 does, within RISK_CHECK_MS', async () => {
    page(RISK)
    const fake = fakeTacit()
    fake.state.risk = 0.59
    bind(fake)
    await fake.becomeReady()
    vi.useFakeTimers()
    try {
      fake.notify()
      vi.advanceTimersByTime(RISK_CHECK_MS)
      expect(hidden('#risk')).toBe(true)
      revealedAfterQuiet(fake, 0.6)
    } finally {
      vi.useRealTimers()
    }
  })

  it('while changes keep coming, checks the risk once per RISK_MAX_WAIT_MS; once they stop, RISK_CHECK_MS later', async () => {
    page(RISK)
    const fake = fakeTacit()
    fake.state.risk = 0.1
    bind(fake)
    await fake.becomeReady()
    expect(fake.callsOf('predict')).toHaveLength(1) // at ready
    vi.useFakeTimers()
    try {
      // 10 s of a notification every 100 ms (a busy session): a check every 5 s.
      for (let i = 0; i < 100; i++) {
        fake.notify()
        vi.advanceTimersByTime(100)
      }
      expect(fake.callsOf('predict')).toHaveLength(1 + 10_000 / RISK_MAX_WAIT_MS)
      // The person pauses: the changes of the last moments are checked RISK_CHECK_MS after the last.
      revealedAfterQuiet(fake, 0.9)
    } finally {
      vi.useRealTimers()
    }
  })

  it('data-tacit-threshold sets the level; one predict() per change serves every element', async () => {
    page('<p id="low" data-tacit-show-on="drop-off-risk" data-tacit-threshold="0.3" hidden></p><p id="high" data-tacit-show-on="drop-off-risk" data-tacit-threshold="0.95" hidden></p>')
    const fake = fakeTacit()
    fake.state.risk = 0.4
    bind(fake)
    await fake.becomeReady()
    expect([hidden('#low'), hidden('#high')]).toEqual([false, true])
    expect(fake.callsOf('predict')).toHaveLength(1)
    fake.state.risk = 0.96
    vi.useFakeTimers()
    try {
      fake.notify()
      vi.advanceTimersByTime(RISK_CHECK_MS)
      expect(hidden('#high')).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a bad threshold is reported and the default used', async () => {
    page('<p id="risk" data-tacit-show-on="drop-off-risk" data-tacit-threshold="high" hidden></p><p id="r2" data-tacit-show-on="drop-off-risk" data-tacit-threshold="1.5" hidden></p>')
    const fake = fakeTacit()
    fake.state.risk = 0.6
    bind(fake)
    expect(problems).toEqual([
      '<p#risk> data-tacit-threshold="high" must be a number from 0 to 1; using 0.6',
      '<p#r2> data-tacit-threshold="1.5" must be a number from 0 to 1; using 0.6',
    ])
    await fake.becomeReady()
    expect([hidden('#risk'), hidden('#r2')]).toEqual([false, false])
  })

  it('an element added after ready is checked at once', async () => {
    page('<main id="main"></main>')
    const fake = fakeTacit()
    fake.state.risk = 0.7
    bind(fake)
    await fake.becomeReady()
    $('#main').innerHTML = RISK
    await flush()
    expect(hidden('#risk')).toBe(false)
  })

  it('consent denied: never revealed', async () => {
    page(RISK)
    const fake = fakeTacit()
    fake.state.consent = 'denied'
    fake.state.risk = 1
    bind(fake)
    await fake.becomeReady()
    fake.notify()
    expect(hidden('#risk')).toBe(true)
  })
})

describe('show-on problems and unbinding', () => {
  it('an unknown trigger or a bad selector is reported, and that element never revealed', () => {
    page(SHOP + '<p id="a" data-tacit-show-on="hover" hidden></p><p id="b" data-tacit-show-on="hesitation" data-tacit-target="#buy[" hidden></p>')
    const fake = fakeTacit()
    bind(fake)
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect([hidden('#a'), hidden('#b')]).toEqual([true, true])
    expect(problems).toEqual([
      '<p#a> data-tacit-show-on="hover" is not one of: hesitation, rage-click, drop-off-risk',
      '<p#b> data-tacit-target="#buy[" is not a valid CSS selector',
    ])
  })

  it('unbinding removes every listener it added to the API', async () => {
    page(SHOP + '<p id="help" data-tacit-show-on="hesitation" hidden></p><p id="risk" data-tacit-show-on="drop-off-risk" hidden></p>')
    const fake = fakeTacit()
    const unbind = bind(fake)
    expect(fake.listenerCount()).toBeGreaterThan(0)
    unbind()
    expect(fake.listenerCount()).toBe(0)
    fake.state.risk = 1
    await fake.becomeReady()
    fake.emit({ type: 'hesitation', target: 'button#buy' })
    expect([hidden('#help'), hidden('#risk')]).toEqual([true, true])
  })
})
