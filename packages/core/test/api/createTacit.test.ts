import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import { nextTask } from '../../src/env'
import type { Tacit } from '../../src/api/types'
import { TacitArgumentError, TacitError } from '../../src/errors'
import type { TacitOptions } from '../../src/options'
import { FOLD_EVERY } from '../../src/profile/persistence'
import type { Signal } from '../../src/signals/types'
import { $, clickAt, html, setVisibility, settle, useIdbFakeClock } from '../helpers'

const fakeClock = useIdbFakeClock

const dbNames = async () => (await indexedDB.databases()).map((d) => d.name)
let n = 0
/** How many records a store of the test's database holds, read as another tab would. */
const countStored = (store: string) =>
  new Promise<number>((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const count = req.result.transaction(store, 'readonly').objectStore(store).count()
      count.onsuccess = () => {
        req.result.close()
        resolve(count.result)
      }
    }
  })

let dbName = ''
const instances: Tacit[] = []
const make = (o: TacitOptions = {}): Tacit => {
  const t = createTacit({ dbName, onError: () => {}, ...o })
  instances.push(t)
  return t
}

beforeEach(() => {
  dbName = `tacit-test-${++n}`
  html('<button id="b">b</button><div data-tacit-item="sku-1" data-tacit-tags="premium">x</div>')
})
afterEach(async () => {
  for (const t of instances.splice(0)) t.destroy()
  await settle()
  delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl
})

const rageClick = () => {
  for (let i = 0; i < 3; i++) clickAt($('#b'), 10, 10)
}

describe('consent', () => {
  it('pending (the default) keeps everything in memory: no database is created', async () => {
    const t = make()
    await t.ready
    rageClick()
    t.track('signup')
    expect(t.consent).toBe('pending')
    expect(t.storage).toBe('memory')
    const p = await t.profile()
    expect(p.signals.map((s) => s.type)).toContain('rage-click')
    expect(p.outcomes).toEqual([expect.objectContaining({ goal: 'signup', count: 1 })])
    setVisibility('hidden')
    await settle()
    expect(await dbNames()).not.toContain(dbName)
  })

  it('granted persists: a later page load sees what this one captured', async () => {
    const a = make({ consent: 'granted' })
    await a.ready
    expect(a.storage).toBe('indexeddb')
    rageClick()
    a.track('purchase', 49)
    setVisibility('hidden') // page hide writes at once
    await settle()
    a.destroy()
    setVisibility('visible')
    const b = make({ consent: 'granted' })
    await b.ready
    const p = await b.profile()
    expect(p.outcomes).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 49 })])
    expect(p.signals.map((s) => s.type)).toContain('rage-click')
    expect(p.visitor?.visits).toBe(1)
    expect(p.session?.pages).toBe(2)
  })

  it('granted after pending persists what the page captured before consent', async () => {
    const a = make()
    await a.ready
    rageClick()
    a.track('signup')
    a.setConsent('granted')
    await settle()
    await a.profile() // flushes
    expect(a.storage).toBe('indexeddb')
    a.destroy()
    await settle()
    const b = make({ consent: 'granted' })
    await b.ready
    const p = await b.profile()
    expect(p.outcomes.map((o) => o.goal)).toEqual(['signup'])
    expect(p.signals.map((s) => s.type)).toContain('rage-click')
  })

  it("capture starts in the task after createTacit, outside the script's first task, and not at all if destroyed before", async () => {
    const listeners = countListeners()
    try {
      const t = make()
      const gone = make({ dbName: `${dbName}-d` })
      gone.destroy()
      expect(listeners.document).toBe(0)
      await nextTask()
      expect(listeners.document).toBeGreaterThan(5)
      await t.ready
      rageClick()
      expect((await t.profile()).signals.map((s) => s.type)).toContain('rage-click')
      t.destroy()
      // Tacit's handlers share one real listener per event type: had the destroyed instance
      // started capture, its handlers would keep them attached.
      expect({ document: listeners.document, window: listeners.window }).toEqual({ document: 0, window: 0 })
    } finally {
      listeners.restore()
    }
  })

  it('denied attaches no listener at all and records nothing', async () => {
    const listeners = countListeners()
    const t = make({ consent: 'denied' })
    await t.ready
    listeners.restore()
    expect({ document: listeners.document, window: listeners.window }).toEqual({ document: 0, window: 0 })
    // The same counter sees a pending instance's listeners, so the zero above is meaningful.
    const check = countListeners()
    await make({ dbName: `${dbName}-p` }).ready // capture starts a task after createTacit
    check.restore()
    expect(check.document).toBeGreaterThan(5)
    rageClick()
    t.track('signup')
    const p = await t.profile()
    expect(p.signals).toEqual([])
    expect(p.outcomes).toEqual([])
    expect(await dbNames()).not.toContain(dbName)
  })

  it('granted then denied erases the stored data and stops capture', async () => {
    const t = make({ consent: 'granted' })
    await t.ready
    t.track('signup')
    await t.profile()
    expect(await dbNames()).toContain(dbName)
    const signals: Signal[] = []
    t.on('signal', (s) => signals.push(s))
    t.setConsent('denied')
    await settle(50)
    expect(await dbNames()).not.toContain(dbName)
    rageClick()
    expect(signals).toEqual([])
    expect((await t.profile()).outcomes).toEqual([])
  })

  it('Global Privacy Control caps consent at pending unless the site opts out', async () => {
    ;(navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl = true
    const capped = make({ consent: 'granted' })
    await capped.ready
    expect(capped.consent).toBe('pending')
    expect(capped.storage).toBe('memory')
    capped.setConsent('granted')
    expect(capped.consent).toBe('pending')
    const optedOut = make({ consent: 'granted', respectGlobalPrivacyControl: false, dbName: `${dbName}-b` })
    await optedOut.ready
    expect(optedOut.consent).toBe('granted')
    expect(optedOut.storage).toBe('indexeddb')
  })
})

describe('storage faults', () => {
  it('without IndexedDB, keeps working in memory, says so, reports once and throws nothing', async () => {
    const saved = globalThis.indexedDB
    // @ts-expect-error simulate a browser without IndexedDB
    delete globalThis.indexedDB
    try {
      const errors: unknown[] = []
      const t = make({ consent: 'granted', onError: (e) => errors.push(e) })
      await t.ready
      expect(t.storage).toBe('memory')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toBeInstanceOf(TacitError)
      expect(String((errors[0] as Error).message)).toContain('IndexedDB')
      t.track('signup')
      rageClick()
      setVisibility('hidden')
      expect((await t.profile()).outcomes).toHaveLength(1)
      expect(errors).toHaveLength(1)
    } finally {
      globalThis.indexedDB = saved
    }
  })

  it('a stored record that fails its schema is dropped and counted; the rest survives', async () => {
    const a = make({ consent: 'granted' })
    await a.ready
    a.track('signup')
    await a.profile()
    a.destroy()
    await settle()
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(dbName)
      req.onsuccess = () => {
        const tx = req.result.transaction('outcomes', 'readwrite')
        tx.objectStore('outcomes').put({ goal: 'broken', count: Number.NaN })
        tx.oncomplete = () => {
          req.result.close()
          resolve()
        }
        tx.onerror = () => reject(tx.error)
      }
    })
    const errors: unknown[] = []
    const b = make({ consent: 'granted', onError: (e) => errors.push(e) })
    await b.ready
    const p = await b.profile()
    expect(p.health.droppedRecords).toBe(1)
    expect(p.outcomes.map((o) => o.goal)).toEqual(['signup'])
    expect(errors.some((e) => String(e).includes('dropped'))).toBe(true)
  })

  it('records older than retentionDays are gone after start-up', async () => {
    fakeClock()
    const a = make({ consent: 'granted', retentionDays: 7 })
    await a.ready
    a.track('old-goal')
    rageClick()
    expect((await a.profile()).signals.map((x) => x.type)).toContain('rage-click')
    a.destroy()
    await settle()
    vi.setSystemTime(Date.now() + 8 * 86_400_000)
    const b = make({ consent: 'granted', retentionDays: 7 })
    await b.ready
    // The ring of recent signals is not read on the way to ready; it is checked in idle time
    // right after, without anyone asking for the profile.
    expect(await countStored('signals')).toBeGreaterThan(0)
    await vi.advanceTimersByTimeAsync(10)
    await settle()
    expect(await countStored('signals')).toBe(0)
    const p = await b.profile()
    expect(p.outcomes).toEqual([])
    expect(p.signals).toEqual([])
    expect(p.health.expiredRecords).toBeGreaterThan(0)
  })
})

describe('batching', () => {
  it('writes at most one transaction per flush interval, plus one when the page hides', async () => {
    fakeClock()
    const t = make({ consent: 'granted' })
    await t.ready
    await vi.advanceTimersByTimeAsync(10) // the start-up journal fold, in idle time
    await settle()
    const tx = vi.spyOn(IDBDatabase.prototype, 'transaction')
    const writes = () => tx.mock.calls.filter((c) => c[1] === 'readwrite').length
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i < 10; i++) t.track('tick')
      await vi.advanceTimersByTimeAsync(1000)
      await settle()
    }
    expect(writes()).toBeGreaterThanOrEqual(3)
    expect(writes()).toBeLessThanOrEqual(5) // 20 s at one per 5 s (the default flushIntervalMs)
    setVisibility('hidden')
    await settle()
    expect(writes()).toBeLessThanOrEqual(6)
    tx.mockRestore()
    vi.useRealTimers()
    const p = await t.profile()
    expect(p.outcomes[0].count).toBe(200) // nothing lost
  })

  it('journals periodic writes and folds the journal into the stores after FOLD_EVERY of them, in idle time', async () => {
    fakeClock()
    const tx = vi.spyOn(IDBDatabase.prototype, 'transaction')
    // Periodic writes: read-write transactions over the journal and, when a model changed, the
    // models (a fold covers every store).
    const writes = () => tx.mock.calls.filter((c) => c[1] === 'readwrite' && !String(c[0]).includes('items')).length
    const t = make({ consent: 'granted' })
    await t.ready
    const seen: Array<[writes: number, entries: number]> = []
    for (let i = 0; i <= FOLD_EVERY; i++) {
      t.track('tick')
      await vi.advanceTimersByTimeAsync(5000) // a periodic write
      await settle()
      await vi.advanceTimersByTimeAsync(10) // idle time
      await settle()
      seen.push([writes(), await countStored('journal')])
    }
    tx.mockRestore()
    // The journal grows by an entry per write, unfolded, until the FOLD_EVERY-th write; then it
    // is folded into the stores.
    const folded = seen.findIndex(([w]) => w >= FOLD_EVERY)
    expect(seen[folded - 1][1]).toBeGreaterThanOrEqual(FOLD_EVERY - 3)
    expect(seen[folded]).toEqual([FOLD_EVERY, 0])
    expect(seen[folded + 1]).toEqual([FOLD_EVERY + 1, 1])
    expect(await countStored('outcomes')).toBe(1)
    vi.useRealTimers()
    expect((await t.profile()).outcomes[0].count).toBe(FOLD_EVERY + 1) // nothing lost nor counted twice
  })
})

describe('method arguments', () => {
  it('a bad argument is a clear error in development and leaves the profile untouched', async () => {
    const t = make({ funnels: { checkout: ['cart', 'pay', 'done'] } })
    await t.ready
    t.track('ok', 1)
    expect(() => t.track('')).toThrow(TacitArgumentError)
    expect(() => t.track('x', Number.NaN)).toThrow('track(): value must be a finite number, got NaN')
    expect(() => t.track('x', Infinity)).toThrow(TacitArgumentError)
    expect(() => t.track(42 as unknown as string)).toThrow('goal must be a non-empty string')
    expect(() => t.step('signup', 'start')).toThrow(/funnel "signup" is not declared.*declared: checkout/)
    expect(() => t.step('checkout', 'ship')).toThrow('"ship" is not a step of funnel "checkout" (steps: cart, pay, done)')
    expect(() => t.setConsent('yes' as 'granted')).toThrow(TacitArgumentError)
    const p = await t.profile()
    expect(p.outcomes).toEqual([expect.objectContaining({ goal: 'ok', count: 1, valueSum: 1 })])
    expect(p.funnels).toEqual([])
  })

  it('in production builds it is reported to onError and ignored', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    try {
      const errors: unknown[] = []
      const t = make({ onError: (e) => errors.push(e) })
      expect(() => t.track('')).not.toThrow()
      expect(errors[0]).toBeInstanceOf(TacitArgumentError)
      expect((await t.profile()).outcomes).toEqual([])
    } finally {
      vi.unstubAllEnvs()
    }
  })

  it('a throwing subscriber does not stop others nor reach the page', async () => {
    const errors: unknown[] = []
    const t = make({ onError: (e) => errors.push(e) })
    const seen: string[] = []
    t.on('rage-click', () => {
      throw new Error('site bug')
    })
    t.on('rage-click', (s) => seen.push(s.type))
    await t.ready
    expect(() => rageClick()).not.toThrow()
    expect(seen).toEqual(['rage-click'])
    expect(errors).toHaveLength(1)
  })
})

describe('sessions and funnels', () => {
  it('drop-off: a funnel left before its last step when the page stays hidden for the session timeout', async () => {
    fakeClock()
    const t = make({ funnels: { checkout: ['cart', 'pay', 'done'] } })
    await t.ready
    const drops: Signal[] = []
    t.on('drop-off', (s) => drops.push(s))
    t.step('checkout', 'cart')
    t.step('checkout', 'pay')
    setVisibility('hidden')
    vi.advanceTimersByTime(30 * 60_000 - 1)
    expect(drops).toEqual([])
    vi.advanceTimersByTime(1)
    expect(drops).toEqual([expect.objectContaining({ type: 'drop-off', funnel: 'checkout', step: 'pay', index: 1 })])
    setVisibility('visible') // a new session begins
    const p = await t.profile()
    expect(p.visitor?.visits).toBe(2)
    expect(p.funnels[0]).toMatchObject({ dropOffs: 1, furthest: -1 })
  })

  it('no drop-off when the funnel was completed or the person came back in time', async () => {
    fakeClock()
    const t = make({ funnels: { checkout: ['cart', 'done'], trial: ['start', 'end'] } })
    await t.ready
    const drops: Signal[] = []
    t.on('drop-off', (s) => drops.push(s))
    t.step('checkout', 'cart')
    t.step('checkout', 'done')
    t.step('trial', 'start')
    setVisibility('hidden')
    vi.advanceTimersByTime(29 * 60_000)
    setVisibility('visible')
    vi.advanceTimersByTime(60 * 60_000)
    expect(drops).toEqual([])
    expect((await t.profile()).funnels.find((f) => f.funnel === 'checkout')?.completions).toBe(1)
  })

  it('drop-off at start-up for a stored session that expired with a funnel unfinished', async () => {
    fakeClock()
    const opts = { consent: 'granted' as const, funnels: { checkout: ['cart', 'pay', 'done'] } }
    const a = make(opts)
    await a.ready
    a.step('checkout', 'cart')
    setVisibility('hidden')
    await settle()
    a.destroy()
    setVisibility('visible')
    vi.setSystemTime(Date.now() + 31 * 60_000)
    const b = make(opts)
    const drops: Signal[] = []
    b.on('drop-off', (s) => drops.push(s))
    await b.ready
    expect(drops).toEqual([expect.objectContaining({ funnel: 'checkout', step: 'cart', index: 0 })])
    const p = await b.profile()
    expect(p.visitor?.visits).toBe(2)
  })
})

describe('destroy', () => {
  it('removes every listener, observer and timer it added', async () => {
    fakeClock()
    const listeners = countListeners()
    let observing = 0
    class FakeObserver {
      observe() {
        observing++
      }
      unobserve() {
        observing--
      }
      disconnect() {
        observing = 0
      }
      takeRecords() {
        return []
      }
    }
    vi.stubGlobal('IntersectionObserver', FakeObserver)
    vi.stubGlobal('ResizeObserver', FakeObserver)
    try {
      const t = make({ funnels: { checkout: ['cart', 'done'] } })
      await t.ready
      const before = vi.getTimerCount()
      rageClick() // starts dead-click watching (a MutationObserver and a timer)
      // One real listener per event type and target: Tacit's handlers share it (signals/listen.ts).
      expect(listeners.document).toBeGreaterThan(12)
      expect(listeners.window).toBeGreaterThan(3)
      expect(observing).toBeGreaterThan(0)
      expect(vi.getTimerCount()).toBeGreaterThan(before)
      t.destroy()
      expect({ document: listeners.document, window: listeners.window }).toEqual({ document: 0, window: 0 })
      expect(observing).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
      expect(document.querySelector('[data-tacit-sentinels]')).toBeNull()
    } finally {
      listeners.restore()
      vi.unstubAllGlobals()
    }
  })
})

/** Counts listeners added minus removed on `document` and `window`, the only targets Tacit uses. */
function countListeners() {
  const counts = { document: 0, window: 0, restore: () => {} }
  const restores: Array<() => void> = []
  for (const [key, target] of [['document', document], ['window', window]] as const) {
    const originalAdd = target.addEventListener
    const originalRemove = target.removeEventListener
    const add = vi.spyOn(target, 'addEventListener')
    const remove = vi.spyOn(target, 'removeEventListener')
    const id = (args: unknown[]) => `${String(args[0])}|${String((args[2] as { capture?: boolean })?.capture ?? args[2])}`
    const handlers = new Map<string, Set<unknown>>()
    add.mockImplementation(function (this: EventTarget, ...args: any[]) {
      const k = id(args)
      const set = handlers.get(k) ?? new Set()
      handlers.set(k, set)
      if (!set.has(args[1])) {
        set.add(args[1])
        counts[key]++
      }
      return (originalAdd as Function).apply(target, args) as void
    })
    remove.mockImplementation(function (this: EventTarget, ...args: any[]) {
      const set = handlers.get(id(args))
      if (set?.delete(args[1])) counts[key]--
      return (originalRemove as Function).apply(target, args) as void
    })
    restores.push(() => {
      add.mockRestore()
      remove.mockRestore()
    })
  }
  counts.restore = () => restores.forEach((r) => r())
  return counts
}
