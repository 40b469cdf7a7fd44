import { createTacit, TacitError, type Tacit, type TacitOptions } from '@tacit/core'
import { openDB, type IDBPDatabase } from 'idb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openIdbStore } from '../../src/profile/idbStore'
import type { DecisionRecord, SignalRecord } from '../../src/profile/schemas'
import { emptyDelta, type ProfileStore } from '../../src/profile/types'
import { settle } from '../helpers'

/**
 * Corrupted records the other profile tests leave out: the model and decision stores, a ring
 * longer than `recentSignals` or with cut-off entries, NaN and Infinity in stored model weights,
 * and many bad records at once seen from the page. Wrong shapes and types in the other stores,
 * and bad journal entries, are in idbStore.test.ts.
 */

const T0 = Date.UTC(2026, 2, 1, 12)
let n = 0
let dbName = ''
const closers: Array<{ close(): void }> = []
const instances: Tacit[] = []

const open = async (recentSignals = 500): Promise<ProfileStore> => {
  const s = await openIdbStore({ dbName, retentionDays: 30, recentSignals, now: () => T0 })
  closers.push(s)
  return s
}
/** A connection of its own, as a tampering extension or a buggy older build would have. */
const raw = async (): Promise<IDBPDatabase> => {
  const db = await openDB(dbName)
  closers.push(db)
  return db
}
const signal = (i: number, o: Partial<SignalRecord> = {}): SignalRecord => ({ type: 'dwell', t: T0 + i, target: `item-${i}`, ms: 1000, ...o })
const decision = (slot: string, o: Partial<DecisionRecord> = {}): DecisionRecord => ({
  slot,
  sessionId: 's1',
  variants: ['a', 'b'],
  variant: 'a',
  probability: 0.5,
  context: [0.5, 1],
  t: T0,
  policy: 'bandit',
  rewarded: false,
  updatedAt: T0,
  ...o,
})

beforeEach(() => {
  dbName = `tacit-corrupt-${++n}`
})
afterEach(async () => {
  for (const t of instances.splice(0)) t.destroy()
  await settle()
  for (const c of closers.splice(0)) c.close()
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(dbName)
    req.onsuccess = req.onerror = () => resolve()
  })
})

describe('corrupted records in the store', () => {
  it('model and decision records with a wrong shape, wrong types or non-finite numbers are dropped and counted', async () => {
    ;(await open()).close()
    const db = await raw()
    const tx = db.transaction(['models', 'decisions'], 'readwrite')
    const bad = [
      tx.objectStore('models').put({ key: 'intent:convert', state: {} }), // no updatedAt
      tx.objectStore('models').put({ key: 'bandit:x', state: {}, updatedAt: 'yesterday' }),
      tx.objectStore('models').put({ key: '', state: {}, updatedAt: T0 }),
      tx.objectStore('decisions').put(decision('nan-context', { context: [1, Number.NaN] })),
      tx.objectStore('decisions').put(decision('inf-context', { context: [Infinity] })),
      tx.objectStore('decisions').put(decision('probability', { probability: 2 })),
      tx.objectStore('decisions').put(decision('no-variants', { variants: [] })),
      tx.objectStore('decisions').put({ ...decision('policy'), policy: 'magic' }),
      tx.objectStore('decisions').put({ slot: 'half', variant: 'a' }),
    ]
    const good = [tx.objectStore('models').put({ key: 'bandit:ok', state: { any: 1 }, updatedAt: T0 }), tx.objectStore('decisions').put(decision('ok'))]
    await Promise.all([...bad, ...good, tx.done])

    const { data, dropped } = await (await open()).load()
    expect(dropped).toBe(bad.length)
    expect(Object.keys(data.models)).toEqual(['bandit:ok'])
    expect(data.decisions).toEqual({ ok: decision('ok') })
    expect(await db.getAllKeys('models')).toEqual(['bandit:ok'])
    expect(await db.getAllKeys('decisions')).toEqual(['ok'])
  })

  it('a ring longer than recentSignals keeps its newest entries, and the next fold trims the store', async () => {
    const before = await open(500)
    await before.write({ ...emptyDelta(), signals: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => signal(i)) })
    await before.compact()
    before.close()
    // The site lowered recentSignals (or a write stopped before trimming).
    const s = await open(5)
    const { data, dropped } = await s.load()
    expect(dropped).toBe(0)
    expect(data.signals.map((x) => x.t - T0)).toEqual([4, 5, 6, 7, 8])
    await s.write({ ...emptyDelta(), signals: [signal(9)] })
    await s.compact()
    expect((await (await raw()).getAll('signals')).map((x: SignalRecord) => x.t - T0)).toEqual([5, 6, 7, 8, 9])
  })

  it('cut-off ring entries are dropped and counted; the rest keep their order', async () => {
    ;(await open()).close()
    const db = await raw()
    const tx = db.transaction('signals', 'readwrite')
    const ring = tx.objectStore('signals')
    const writes = [
      ring.add(signal(1)),
      ring.add({ type: 'dwell' }), // cut after the type
      ring.add({ type: 'dwell', t: T0 + 2 }), // no target
      ring.add(signal(3)),
      ring.add({ ...signal(4), ms: '1000' }), // a number that became a string
      ring.add(null),
      ring.add({ ...signal(5), ms: Number.NaN }),
      ring.add(signal(6)),
    ]
    await Promise.all([...writes, tx.done])
    const { data, dropped } = await (await open()).load()
    expect(dropped).toBe(5)
    expect(data.signals.map((x) => x.t - T0)).toEqual([1, 3, 6])
    expect(await db.count('signals')).toBe(3)
  })
})

describe('corrupted records seen from the page', () => {
  const errors: unknown[] = []
  const make = (o: TacitOptions = {}): Tacit => {
    const t = createTacit({ dbName, consent: 'granted', onError: (e) => errors.push(e), ...o })
    instances.push(t)
    return t
  }
  beforeEach(() => {
    errors.length = 0
  })

  /** Decide, rank and predict answer with sane values. */
  const expectServing = (t: Tacit) => {
    expect(['a', 'b']).toContain(t.decide('hero', ['a', 'b']).variant)
    expect(t.rank([{ id: 'x' }, { id: 'y', tags: ['premium'] }]).map((i) => i.id).sort()).toEqual(['x', 'y'])
    const p = t.predict()
    for (const v of [p.convert, p.dropOff]) {
      expect(Number.isFinite(v)).toBe(true)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(1)
    }
  }

  it('many bad records at once: one report with the count, health counts them, the rest of the profile survives', { timeout: 20_000 }, async () => {
    const a = make()
    await a.ready
    a.track('signup')
    a.track('purchase', 30)
    await a.profile()
    a.destroy()
    await settle()

    const db = await raw()
    const tx = db.transaction(['items', 'tags', 'outcomes', 'sessions', 'signals', 'decisions'], 'readwrite')
    await Promise.all([
      tx.objectStore('items').put({ id: 'sku', tags: 'not-a-list', dwellMs: 1 }),
      tx.objectStore('tags').put({ tag: 'premium', dwellMs: Infinity }),
      tx.objectStore('outcomes').put({ goal: 'broken', count: Number.NaN, valueSum: 0, lastAt: T0, updatedAt: T0 }),
      tx.objectStore('sessions').put({ id: 'old', counts: [1, 2] }),
      tx.objectStore('signals').add({ type: 'dwell' }),
      tx.objectStore('decisions').put(decision('hero', { context: [Number.NaN] })),
      tx.done,
    ])
    db.close()
    const b = make()
    await b.ready
    const p = await b.profile()
    expect(p.health.droppedRecords).toBe(6)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(TacitError)
    // Start-up reads every store but the ring of recent signals (checked after ready): five bad
    // records there, reported once; the ring's bad entry adds to the count, not to the reports.
    expect((errors[0] as Error).message).toMatch(/^5 stored record\(s\) failed validation and were dropped .* the rest of the profile is kept/)
    expect(p.outcomes.map((o) => [o.goal, o.count]).sort()).toEqual([
      ['purchase', 1],
      ['signup', 1],
    ])
    expectServing(b)
    expect(errors).toHaveLength(1)
  })

  it('NaN and Infinity in stored model weights: each model is reset and reported, predictions stay finite, the fixed weights are saved', { timeout: 20_000 }, async () => {
    const a = make()
    await a.ready
    a.decide('hero', ['a', 'b'])
    a.reward('hero', 1)
    for (let i = 0; i < 5; i++) a.track('purchase')
    // Learning happens in idle time; the weights are saved with a later write.
    await vi.waitFor(async () => expect((await a.profile()).models.map((m) => m.key)).toEqual(expect.arrayContaining(['intent:convert', 'bandit:hero'])), {
      timeout: 10_000,
    })
    a.destroy()
    await settle()

    const db = await raw()
    const intent = await db.get('models', 'intent:convert')
    const bandit = await db.get('models', 'bandit:hero')
    intent.state.layers[0].weights[0][0] = Number.NaN
    bandit.state.bandit.arms[0].precision[0] = Infinity
    await db.put('models', intent)
    await db.put('models', bandit)
    db.close()

    const b = make()
    await b.ready
    const faults = errors as Array<Error & { model?: string }>
    // The intent model is checked on the way to ready; the bandit, whose slot this page has not
    // decided yet, in idle time right after.
    await vi.waitFor(() =>
      expect(faults.map((e) => [e.name, e.model]).sort()).toEqual([
        ['ModelStateError', 'bandit'],
        ['ModelStateError', 'intent'],
      ]),
    )
    for (const e of faults) expect(e).toBeInstanceOf(TacitError)
    expectServing(b)
    const p = await b.profile()
    expect(p.outcomes[0]).toMatchObject({ goal: 'purchase', count: 5 })
    expect(p.health.droppedRecords).toBe(0)
    // The intent model's reset weights replaced the bad ones in the database. (The bandit's record
    // is replaced when its slot next learns; see the report on engine.takeChanged.)
    const hasNonFinite = (v: unknown): boolean =>
      typeof v === 'number' ? !Number.isFinite(v) : v !== null && typeof v === 'object' && Object.values(v).some(hasNonFinite)
    const check = await raw()
    const stored = await check.get('models', 'intent:convert')
    expect(stored.updatedAt).toBeGreaterThan(intent.updatedAt)
    expect(hasNonFinite(stored.state)).toBe(false)
    expect(errors).toHaveLength(2)
  })
})
