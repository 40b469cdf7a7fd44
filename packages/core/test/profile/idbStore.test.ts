import { openDB, type IDBPDatabase } from 'idb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TacitError } from '../../src/errors'
import { loadStartupCopy, openIdbStore, type IdbStoreOptions } from '../../src/profile/idbStore'
import { MAX_COPY_CHARS } from '../../src/profile/startupCopy'
import { memoryStore } from '../../src/profile/memoryStore'
import type {
  FunnelRecord,
  ItemRecord,
  ModelRecord,
  OutcomeRecord,
  SessionRecord,
  SignalRecord,
  TagRecord,
  VisitorRecord,
} from '../../src/profile/schemas'
import { emptyData, emptyDelta, type ProfileDelta, type ProfileStore } from '../../src/profile/types'

const DAY = 86_400_000
const T0 = Date.UTC(2025, 0, 15, 12)

const item = (id: string, o: Partial<ItemRecord> = {}): ItemRecord => ({
  id,
  tags: ['shoes'],
  dwellMs: 1000,
  hoverMs: 200,
  hovers: 1,
  clicks: 2,
  hesitations: 1,
  hesitationMs: 900,
  updatedAt: T0,
  ...o,
})
const tag = (name: string, o: Partial<TagRecord> = {}): TagRecord => ({
  tag: name,
  dwellMs: 1000,
  hoverMs: 200,
  hovers: 1,
  clicks: 2,
  hesitations: 0,
  hesitationMs: 0,
  updatedAt: T0,
  ...o,
})
const session = (id: string, o: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  start: T0 - 60_000,
  lastActive: T0,
  pages: 1,
  engagedMs: 30_000,
  maxScroll: 50,
  counts: { dwell: 2 },
  updatedAt: T0,
  ...o,
})
const model = (key: string, state: unknown = { w: [0.5, -1] }, base?: unknown): ModelRecord => ({ key, state, ...(base === undefined ? {} : { base }), updatedAt: T0 })

const funnel = (name: string, o: Partial<FunnelRecord> = {}): FunnelRecord => ({
  funnel: name,
  sessionId: 's1',
  furthest: 1,
  completions: 0,
  dropOffs: 0,
  updatedAt: T0,
  ...o,
})
const outcome = (goal: string, o: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  goal,
  count: 1,
  valueSum: 10,
  lastAt: T0,
  updatedAt: T0,
  ...o,
})
const visitor = (o: Partial<VisitorRecord> = {}): VisitorRecord => ({
  key: 'visitor',
  firstSeen: T0 - DAY,
  lastSeen: T0,
  visits: 1,
  sessionId: 's1',
  lastPage: { path: '/shoes', arrivedAt: T0 - 5000, leftAt: T0, interacted: true },
  updatedAt: T0,
  ...o,
})
const signal = (i: number, o: Partial<SignalRecord> = {}): SignalRecord => ({
  type: 'dwell',
  t: T0 + i,
  target: `item-${i}`,
  ms: 1000,
  ...o,
})
const delta = (d: Partial<ProfileDelta>): ProfileDelta => ({ ...emptyDelta(), ...d })

let seq = 0
let dbName = ''
const opened: Array<{ close(): void }> = []

const open = async (o: Partial<IdbStoreOptions> = {}): Promise<ProfileStore> => {
  const store = await openIdbStore({ dbName, retentionDays: 30, recentSignals: 500, now: () => T0, ...o })
  opened.push(store)
  return store
}

/** A connection of its own, as another tab or a tampering extension would have. */
const raw = async (): Promise<IDBPDatabase> => {
  const db = await openDB(dbName)
  opened.push(db)
  return db
}

const dbExists = async (name: string) => (await indexedDB.databases()).some((d) => d.name === name)

const deleteDatabase = (name: string) =>
  new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = () => resolve()
    req.onerror = () => reject(req.error)
  })

beforeEach(() => {
  dbName = `tacit-test-${++seq}`
})

afterEach(async () => {
  for (const c of opened.splice(0)) c.close()
  await deleteDatabase(dbName)
})

describe('openIdbStore', () => {
  it('round-trips every record type through a fresh connection', async () => {
    const a = await open()
    expect(a.kind).toBe('indexeddb')
    const d = delta({
      items: [item('shoe-1'), item('shoe-2', { tags: [] })],
      tags: [tag('shoes')],
      sessions: [session('s1')],
      funnels: [funnel('checkout')],
      outcomes: [outcome('purchase')],
      visitor: visitor(),
      signals: [signal(1), signal(2, { type: 'hesitation', ms: 800, outcome: 'clicked', item: 'shoe-1', tags: ['shoes'] })],
    })
    await a.write(d)
    a.close()

    const b = await open()
    const { data, dropped, expired } = await b.load()
    expect(dropped).toBe(0)
    expect(expired).toBe(0)
    expect(data).toEqual({
      items: { 'shoe-1': item('shoe-1'), 'shoe-2': item('shoe-2', { tags: [] }) },
      tags: { shoes: tag('shoes') },
      sessions: { s1: session('s1') },
      funnels: { checkout: funnel('checkout') },
      outcomes: { purchase: outcome('purchase') },
      visitor: visitor(),
      signals: d.signals,
      models: {},
      decisions: {},
    })
  })

  it('creates every object store, with the ring auto-incremented', async () => {
    await open()
    const db = await raw()
    expect([...db.objectStoreNames].sort()).toEqual(['decisions', 'funnels', 'items', 'journal', 'meta', 'models', 'outcomes', 'sessions', 'signals', 'tags'])
    const tx = db.transaction(['items', 'signals'])
    expect(tx.objectStore('items').keyPath).toBe('id')
    expect(tx.objectStore('signals').autoIncrement).toBe(true)
    expect(tx.objectStore('signals').keyPath).toBeNull()
  })

  it('append() journals a delta without reading; load counts it at once, and compact() folds it exactly once', async () => {
    const a = await open()
    await a.write(delta({ items: [item('sku-1', { dwellMs: 100, clicks: 0 })], outcomes: [outcome('buy', { count: 1 })] }))
    await a.append(delta({ items: [item('sku-1', { dwellMs: 50, clicks: 2 })], signals: [signal(1)] }))
    await a.append(delta({ outcomes: [outcome('buy', { count: 2 })], signals: [signal(2)] }))
    const db = await raw()
    expect(await db.count('journal')).toBe(3) // a periodic write journals too (models aside)
    db.close()
    const expectTotals = (l: Awaited<ReturnType<ProfileStore['load']>>) => {
      expect(l.data.items['sku-1']).toMatchObject({ dwellMs: 150, clicks: 2 })
      expect(l.data.outcomes.buy.count).toBe(3)
      expect(l.data.signals).toHaveLength(2)
    }
    expectTotals(await a.load()) // before any fold: the journal is read, not yet folded
    // Two tabs fold at once: each entry is folded by exactly one of them.
    const b = await open()
    await Promise.all([a.compact(), b.compact()])
    const db2 = await raw()
    expect(await db2.count('journal')).toBe(0)
    db2.close()
    expectTotals(await a.load())
    expectTotals(await b.load())
  })

  it('write() journals a delta in one request without reading, models aside: those are added into their store at once', async () => {
    const s = await open()
    const methods = ['get', 'put', 'add', 'delete', 'count', 'getAll', 'getAllKeys'] as const
    const spies = methods.map((m) => vi.spyOn(IDBObjectStore.prototype, m))
    await s.write(delta({ items: [item('sku-1', { clicks: 1 })], tags: [tag('shoes')], signals: [signal(1), signal(2)], models: [model('intent', { w: [1, 1] })] }))
    const requests = spies.flatMap((spy, i) => spy.mock.contexts.map((store) => `${(store as IDBObjectStore).name}.${methods[i]}`))
    spies.forEach((spy) => spy.mockRestore())
    expect(requests.sort()).toEqual(['journal.add', 'models.get', 'models.put'])
    const db = await raw()
    // Nothing in the item, tag and ring stores yet: the change is one journal entry.
    expect(await db.count('items')).toBe(0)
    expect(await db.count('signals')).toBe(0)
    expect(await db.count('journal')).toBe(1)
    // The model change went to its store (other tabs, told of the write, read that store).
    expect(await db.get('models', 'intent')).toEqual(model('intent', { w: [1, 1] }))
    // load() adds the journal on top of the stores; compact() folds it, once.
    const before = (await s.load()).data
    expect(before.items['sku-1'].clicks).toBe(1)
    await s.compact()
    expect(await db.count('journal')).toBe(0)
    expect((await db.get('items', 'sku-1')).clicks).toBe(1)
    expect(await db.count('signals')).toBe(2)
    expect((await s.load()).data).toEqual(before)
    db.close()
  })

  it('a journal entry that fails its schema is dropped and counted', async () => {
    const a = await open()
    await a.append(delta({ items: [item('sku-1', { dwellMs: 5 })] }))
    const db = await raw()
    await db.add('journal', { t: 1, items: [{ id: 'x', dwellMs: Number.NaN }] })
    db.close()
    const l = await a.load()
    expect(l.dropped).toBe(1)
    expect(l.data.items['sku-1'].dwellMs).toBe(5)
  })

  it('loads an empty profile from a new database', async () => {
    const s = await open()
    expect(await s.load()).toEqual({
      data: { items: {}, tags: {}, sessions: {}, funnels: {}, outcomes: {}, signals: [], models: {}, decisions: {} },
      dropped: 0,
      expired: 0,
    })
  })

  it('adds up two writes of additive deltas, and records repeated within one delta', async () => {
    const s = await open()
    await s.write(
      delta({
        items: [item('a', { clicks: 1 }), item('a', { clicks: 4, updatedAt: T0 + 1 })],
        outcomes: [outcome('buy', { count: 1, valueSum: 5 })],
        sessions: [session('s1', { counts: { dwell: 1 } })],
        visitor: visitor({ visits: 1 }),
      }),
    )
    await s.write(
      delta({
        items: [item('a', { clicks: 2, dwellMs: 500, tags: ['boots'], updatedAt: T0 + 2 })],
        outcomes: [outcome('buy', { count: 2, valueSum: 7.5, lastAt: T0 + 2 })],
        sessions: [session('s1', { pages: 2, counts: { dwell: 2, 'rage-click': 1 }, lastActive: T0 + 2 })],
        visitor: visitor({ visits: 1, lastSeen: T0 + 2, updatedAt: T0 + 2 }),
      }),
    )
    const { data } = await s.load()
    expect(data.items.a).toMatchObject({ clicks: 7, dwellMs: 2500, hovers: 3, tags: ['boots'], updatedAt: T0 + 2 })
    expect(data.outcomes.buy).toMatchObject({ count: 3, valueSum: 12.5, lastAt: T0 + 2 })
    expect(data.sessions.s1).toMatchObject({ pages: 3, counts: { dwell: 3, 'rage-click': 1 }, lastActive: T0 + 2 })
    expect(data.visitor).toMatchObject({ visits: 2, lastSeen: T0 + 2 })
  })

  it('loses no update when two tabs write to the same database at once', async () => {
    const tabA = await open()
    const tabB = await open()
    const writes: Promise<void>[] = []
    for (let i = 0; i < 20; i++) {
      writes.push(tabA.write(delta({ items: [item('x', { clicks: 1 })], signals: [signal(i)] })))
      writes.push(tabB.write(delta({ items: [item('x', { clicks: 10 })], outcomes: [outcome('g', { count: 1 })] })))
    }
    await Promise.all(writes)
    const { data } = await tabA.load()
    expect(data.items.x.clicks).toBe(20 * 11)
    expect(data.outcomes.g.count).toBe(20)
    expect(data.signals).toHaveLength(20)
    expect((await tabB.load()).data).toEqual(data)
  })

  it('trims the ring to recentSignals, keeping the newest, oldest first', async () => {
    const s = await open({ recentSignals: 5 })
    await s.write(delta({ signals: [signal(1), signal(2), signal(3)] }))
    expect((await s.load()).data.signals.map((x) => x.t - T0)).toEqual([1, 2, 3])
    await s.write(delta({ signals: [signal(4), signal(5)] }))
    expect((await s.load()).data.signals.map((x) => x.t - T0)).toEqual([1, 2, 3, 4, 5])
    await s.write(delta({ signals: [signal(6)] }))
    expect((await s.load()).data.signals.map((x) => x.t - T0)).toEqual([2, 3, 4, 5, 6])
    // One write larger than the ring keeps only its own newest entries.
    await s.write(delta({ signals: [7, 8, 9, 10, 11, 12, 13].map((i) => signal(i)) }))
    expect((await s.load()).data.signals.map((x) => x.t - T0)).toEqual([9, 10, 11, 12, 13])
    // Writes journal the signals; the fold adds them to the ring store and trims it.
    await s.compact()
    expect(await (await raw()).count('signals')).toBe(5)
    expect((await s.load()).data.signals.map((x) => x.t - T0)).toEqual([9, 10, 11, 12, 13])
  })

  it('drops and deletes invalid records, keeping the valid rest', async () => {
    ;(await open()).close()
    const db = await raw()
    const tx = db.transaction(['items', 'tags', 'sessions', 'funnels', 'outcomes', 'meta', 'signals'], 'readwrite')
    const bad = [
      tx.objectStore('items').put({ ...item('nan'), dwellMs: NaN }),
      tx.objectStore('items').put({ id: 'missing-fields', clicks: 3 }),
      tx.objectStore('items').put({ ...item('negative'), clicks: -1 }),
      tx.objectStore('items').put({ ...item('bad-tags'), tags: 'shoes' }),
      tx.objectStore('tags').put({ ...tag('inf'), hoverMs: Infinity }),
      tx.objectStore('sessions').put({ ...session('wrong-shape'), counts: [1, 2] }),
      tx.objectStore('funnels').put({ ...funnel('half-step'), furthest: 0.5 }),
      tx.objectStore('outcomes').put({ ...outcome('inf'), valueSum: -Infinity }),
      tx.objectStore('meta').put({ key: 'other', hello: 'world' }),
      tx.objectStore('signals').put({ type: 'mind-reading', t: T0, target: 'x' }),
      tx.objectStore('signals').put({ ...signal(1), t: NaN }),
      tx.objectStore('signals').put('just a string'),
    ]
    const good = [
      tx.objectStore('items').put(item('ok')),
      tx.objectStore('tags').put(tag('ok')),
      tx.objectStore('meta').put(visitor()),
      tx.objectStore('signals').put(signal(2)),
    ]
    await Promise.all([...bad, ...good, tx.done])

    const s = await open()
    const { data, dropped, expired } = await s.load()
    expect(dropped).toBe(bad.length)
    expect(expired).toBe(0)
    expect(data.items).toEqual({ ok: item('ok') })
    expect(data.tags).toEqual({ ok: tag('ok') })
    expect(data.sessions).toEqual({})
    expect(data.funnels).toEqual({})
    expect(data.outcomes).toEqual({})
    expect(data.visitor).toEqual(visitor())
    expect(data.signals).toEqual([signal(2)])

    expect(await db.getAllKeys('items')).toEqual(['ok'])
    expect(await db.getAllKeys('tags')).toEqual(['ok'])
    expect(await db.count('sessions')).toBe(0)
    expect(await db.count('funnels')).toBe(0)
    expect(await db.count('outcomes')).toBe(0)
    expect(await db.getAllKeys('meta')).toEqual(['visitor'])
    expect(await db.getAll('signals')).toEqual([signal(2)])
    expect(await s.load()).toMatchObject({ dropped: 0, expired: 0 })
  })

  it('replaces a corrupt stored record when folding a write, instead of merging into it', async () => {
    ;(await open()).close()
    const db = await raw()
    await db.put('items', { ...item('a'), clicks: NaN })
    const s = await open()
    await s.write(delta({ items: [item('a', { clicks: 3 })] }))
    await s.compact()
    expect(await db.get('items', 'a')).toEqual(item('a', { clicks: 3 }))
  })

  it('deletes records older than retentionDays and keeps the ones at or inside the window', async () => {
    const cutoff = T0 - 30 * DAY
    // Written and folded into the stores a month ago (a fold also leaves out what is expired then).
    const writer = await open({ now: () => T0 - 31 * DAY })
    await writer.write(
      delta({
        items: [item('old', { updatedAt: cutoff - 1 }), item('edge', { updatedAt: cutoff }), item('new')],
        tags: [tag('old', { updatedAt: cutoff - DAY })],
        // Sessions age by lastActive, not updatedAt.
        sessions: [session('old', { lastActive: cutoff - 1, updatedAt: T0 }), session('new', { updatedAt: cutoff - 1 })],
        funnels: [funnel('old', { updatedAt: cutoff - 1 }), funnel('new')],
        outcomes: [outcome('old', { updatedAt: cutoff - 1, lastAt: cutoff - 1 }), outcome('new')],
        signals: [signal(0, { t: cutoff - 1 }), signal(1, { t: cutoff }), signal(2)],
      }),
    )
    // The visitor is kept while lastSeen is recent, however old updatedAt is.
    await writer.write(delta({ visitor: visitor({ updatedAt: cutoff - DAY, firstSeen: cutoff - 100 * DAY }) }))
    await writer.compact()

    const s = await open()
    const { data, dropped, expired } = await s.load()
    expect(dropped).toBe(0)
    expect(expired).toBe(6)
    expect(Object.keys(data.items).sort()).toEqual(['edge', 'new'])
    expect(data.tags).toEqual({})
    expect(Object.keys(data.sessions)).toEqual(['new'])
    expect(Object.keys(data.funnels)).toEqual(['new'])
    expect(Object.keys(data.outcomes)).toEqual(['new'])
    expect(data.visitor?.firstSeen).toBe(cutoff - 100 * DAY)
    expect(data.signals.map((x) => x.t)).toEqual([cutoff, T0 + 2])

    const db = await raw()
    expect((await db.getAllKeys('items')).sort()).toEqual(['edge', 'new'])
    expect(await db.count('tags')).toBe(0)
    expect(await db.getAllKeys('sessions')).toEqual(['new'])
    expect(await db.count('signals')).toBe(2)

    // A month later nothing was touched: everything goes, the visitor included.
    const later = await open({ now: () => T0 + 31 * DAY })
    const after = await later.load()
    expect(after.expired).toBe(8)
    expect(after.data).toEqual({ items: {}, tags: {}, sessions: {}, funnels: {}, outcomes: {}, signals: [], models: {}, decisions: {} })
    for (const name of db.objectStoreNames) expect(await db.count(name)).toBe(0)
  })

  it('journalled records older than retentionDays are neither loaded nor folded, and count as expired', async () => {
    const cutoff = T0 - 30 * DAY
    // The person was away longer than retentionDays: what the last page journalled has expired.
    const writer = await open({ now: () => cutoff - DAY })
    await writer.append(delta({ items: [item('old', { updatedAt: cutoff - 1 }), item('edge', { updatedAt: cutoff })], signals: [signal(0, { t: cutoff - 1 })], visitor: visitor({ lastSeen: cutoff - 1 }) }))
    const s = await open()
    const { data, expired } = await s.load()
    expect(expired).toBe(3)
    expect(Object.keys(data.items)).toEqual(['edge'])
    expect([data.signals, data.visitor]).toEqual([[], undefined])
    await s.compact()
    const db = await raw()
    expect(await db.getAllKeys('items')).toEqual(['edge'])
    expect([await db.count('signals'), await db.count('meta'), await db.count('journal')]).toEqual([0, 0, 0])
  })

  it('load({ ring: false }) leaves the ring alone; pruneRing() then drops its invalid and expired entries', async () => {
    const cutoff = T0 - 30 * DAY
    const writer = await open({ now: () => cutoff - DAY }) // a month ago
    await writer.write(delta({ items: [item('a')], signals: [signal(0, { t: cutoff - 1 }), signal(1), signal(2)] }))
    await writer.compact()
    const db = await raw()
    await db.add('signals', { type: 'not-a-signal' })

    const s = await open()
    const first = await s.load({ ring: false })
    expect(first.data.signals).toEqual([])
    expect(Object.keys(first.data.items)).toEqual(['a'])
    expect([first.dropped, first.expired]).toEqual([0, 0])
    expect(await db.count('signals')).toBe(4) // untouched until the ring is checked

    expect(await s.pruneRing()).toEqual({ dropped: 1, expired: 1 })
    expect((await db.getAll('signals')).map((x: SignalRecord) => x.t)).toEqual([T0 + 1, T0 + 2])
    expect(await s.pruneRing()).toEqual({ dropped: 0, expired: 0 })
    expect((await s.load()).data.signals.map((x) => x.t)).toEqual([T0 + 1, T0 + 2])
  })

  it('append(delta, data) also writes the start-up copy to localStorage; loadStartupCopy reads it, validated', async () => {
    const a = await open()
    const first = delta({ outcomes: [outcome('purchase')], items: [item('a')] })
    const old = item('old', { updatedAt: T0 - 31 * DAY }) // beyond retentionDays (30)
    const data = { ...emptyData(), outcomes: { purchase: outcome('purchase') }, items: { a: item('a'), old } }
    await a.append(first, data)
    expect(localStorage.getItem(`tacit:${dbName}:startup`)).toContain('"purchase"')
    const quick = loadStartupCopy({ dbName, retentionDays: 30, recentSignals: 100, now: () => T0 })!
    expect(quick.partial).toBe(true)
    expect(quick.data.outcomes.purchase.count).toBe(1)
    expect(Object.keys(quick.data.items)).toEqual(['a'])

    // Another tab journals a change after the copy: the copy does not hold it, the full read does.
    await (await open({ now: () => T0 + 1 })).append(delta({ outcomes: [outcome('purchase')] }))
    expect(loadStartupCopy({ dbName, retentionDays: 30, recentSignals: 100, now: () => T0 })!.data.outcomes.purchase.count).toBe(1)
    const full = await (await open()).load({ ring: false })
    expect(full.partial).toBeUndefined()
    expect(full.data.outcomes.purchase.count).toBe(2)
    expect(full.dropped).toBe(0)
  })

  it('two hides in a row (visibilitychange, then pagehide) write two entries and a copy that holds both: each counted once', async () => {
    const a = await open()
    const data1 = { ...emptyData(), outcomes: { purchase: outcome('purchase') } }
    const data2 = { ...emptyData(), outcomes: { purchase: { ...outcome('purchase'), count: 2 } } }
    // Not awaited in between, as on a closing page: nothing may wait for the first write to come back.
    const first = a.append(delta({ outcomes: [outcome('purchase')] }), data1)
    const second = a.append(delta({ outcomes: [outcome('purchase')] }), data2)
    await Promise.all([first, second])
    expect(loadStartupCopy({ dbName, retentionDays: 30, recentSignals: 100, now: () => T0 })!.data.outcomes.purchase.count).toBe(2)
    const full = await (await open()).load({ ring: false })
    expect(full.data.outcomes.purchase.count).toBe(2)
  })

  it('a copy too large for its share of localStorage, or over the quota, is removed rather than left stale', async () => {
    const a = await open()
    const small = { ...emptyData(), items: { a: item('a') } }
    await a.append(delta({ items: [item('a')] }), small)
    expect(localStorage.getItem(`tacit:${dbName}:startup`)).not.toBeNull()
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`item-${i}`, item(`item-${i}`)]))
    expect(JSON.stringify(Object.values(many)).length).toBeGreaterThan(MAX_COPY_CHARS)
    await a.append(delta({ items: [item('a')] }), { ...emptyData(), items: many })
    expect(localStorage.getItem(`tacit:${dbName}:startup`)).toBeNull()
    expect(loadStartupCopy({ dbName, retentionDays: 30, recentSignals: 100, now: () => T0 })).toBeUndefined()

    await a.append(delta({ items: [item('a')] }), small)
    const setItem = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    try {
      await a.append(delta({ items: [item('a')] }), small) // the journal entry is still written
    } finally {
      setItem.mockRestore()
    }
    expect(localStorage.getItem(`tacit:${dbName}:startup`)).toBeNull()
    const full = await (await open()).load({ ring: false })
    expect(full.data.items.a.clicks).toBe(4 * 2)
  })

  it('an encrypted profile has no copy: one found (plain text, from before) is removed', async () => {
    const a = await open()
    await a.append(delta({ items: [item('a')] }), { ...emptyData(), items: { a: item('a') } })
    expect(loadStartupCopy({ dbName, retentionDays: 30, recentSignals: 100, now: () => T0, encrypt: true })).toBeUndefined()
    expect(localStorage.getItem(`tacit:${dbName}:startup`)).toBeNull()
  })

  it('a start-up copy that an earlier version kept in `meta` is deleted by the full read, and not counted as dropped', async () => {
    const a = await open()
    await a.write(delta({ items: [item('a')] }))
    const legacy = await openDB(dbName)
    await legacy.put('meta', { key: 'startup', t: T0, after: 0, records: { items: [item('a')] } })
    legacy.close()
    const full = await (await open()).load({ ring: false })
    expect(full.dropped).toBe(0)
    expect(Object.keys(full.data.items)).toEqual(['a'])
    const reader = await openDB(dbName)
    expect(await reader.getAllKeys('meta')).toEqual([])
    reader.close()
  })

  it('skips records of a delta that fail their schema, reports each, and saves the rest', async () => {
    const reported: TacitError[] = []
    const s = await open({ onInvalid: (e) => reported.push(e) })
    await s.write(delta({ items: [item('a', { clicks: 1 })] }))
    await s.write(
      delta({
        items: [item('a', { dwellMs: NaN }), item('b')],
        outcomes: [outcome('ok')],
        signals: [signal(1, { target: 'x'.repeat(201) }), signal(2)],
      }),
    )
    expect(reported).toHaveLength(2)
    expect(reported.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/items record "a"/), expect.stringMatching(/"dwell" signal/)]),
    )
    expect(reported[0]).toBeInstanceOf(TacitError)
    const { data } = await s.load()
    // The stored "a" is untouched; everything valid of the write is saved.
    expect(data.items).toEqual({ a: item('a', { clicks: 1 }), b: item('b') })
    expect(data.outcomes.ok.count).toBe(1)
    expect(data.signals).toEqual([signal(2)])
  })

  it('a throwing onInvalid does not abort the write', async () => {
    const s = await open({
      onInvalid: () => {
        throw new Error('boom')
      },
    })
    await s.write(delta({ items: [item('bad', { clicks: -1 }), item('good')] }))
    expect(Object.keys((await s.load()).data.items)).toEqual(['good'])
  })

  it('rejects with a TacitError naming the quota when storage is full, and saves nothing', async () => {
    const s = await open()
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
    // A model change is put into its store; the rest of the write is added to the journal.
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(full)
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(full)
    try {
      for (const d of [delta({ items: [item('a')], signals: [signal(1)] }), delta({ items: [item('a')], models: [model('intent')] })]) {
        const err = await s.write(d).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(TacitError)
        expect((err as Error).message).toMatch(/quota/)
        expect((err as TacitError).cause).toMatchObject({ name: 'QuotaExceededError' })
      }
      add.mockRestore()
      // The journalled part of a write with a model change is rolled back with the model's put.
      await expect(s.write(delta({ items: [item('a')], models: [model('intent')] }))).rejects.toBeInstanceOf(TacitError)
    } finally {
      put.mockRestore()
      add.mockRestore()
    }
    expect((await s.load()).data).toMatchObject({ items: {}, signals: [], models: {} })
  })

  it('erase() deletes the database, even while another tab has it open', async () => {
    const s = await open()
    const otherTab = await open()
    await s.write(delta({ items: [item('a')] }))
    expect(await dbExists(dbName)).toBe(true)
    await s.erase()
    expect(await dbExists(dbName)).toBe(false)
    await expect(otherTab.write(delta({ items: [item('a')] }))).rejects.toBeInstanceOf(TacitError)
    await expect(s.write(delta({ items: [item('a')] }))).rejects.toBeInstanceOf(TacitError)
    expect(await dbExists(dbName)).toBe(false)
  })

  it('rejects with a TacitError when IndexedDB is missing', async () => {
    const desc = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!
    delete (globalThis as { indexedDB?: IDBFactory }).indexedDB
    try {
      const err = await openIdbStore({ dbName, retentionDays: 30, recentSignals: 500 }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TacitError)
      expect((err as Error).message).toMatch(/IndexedDB is not available/)
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', desc)
    }
  })

  it('rejects with the cause when the open fails (database at a newer version)', async () => {
    const newer = await openDB(dbName, 99)
    newer.close()
    const err = await open().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TacitError)
    expect((err as TacitError).cause).toMatchObject({ name: 'VersionError' })
  })

  it('rejects after openTimeoutMs when the open cannot proceed, and the retry takes the late connection at once', async () => {
    ;(await open()).close()
    // Another tab holds the database and ignores versionchange; a pending delete queues our open.
    const stubborn = await raw()
    const deleted = deleteDatabase(dbName)
    const started = Date.now()
    const err = await open({ openTimeoutMs: 50 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TacitError)
    expect((err as Error).message).toMatch(/did not finish within 50 ms/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)

    stubborn.close()
    await deleted
    // Our open now completes in the background (it creates the database again) and is kept.
    await vi.waitFor(async () => expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(true))
    await new Promise((r) => setTimeout(r, 20))
    const opens = vi.spyOn(indexedDB, 'open')
    const retry = await open({ openTimeoutMs: 50 })
    // No second open: the retry stores with the connection that was late.
    expect(opens).not.toHaveBeenCalled()
    opens.mockRestore()
    await retry.write(delta({ items: [item('a')] }))
    expect((await retry.load()).data.items.a).toEqual(item('a'))
    retry.close()
  })

  it('a late connection that nobody took does not hold the database: another tab deletes it unblocked', async () => {
    ;(await open()).close()
    const stubborn = await raw()
    const deleted = deleteDatabase(dbName)
    await open({ openTimeoutMs: 50 }).catch(() => undefined)
    stubborn.close()
    await deleted
    await vi.waitFor(async () => expect((await indexedDB.databases()).some((d) => d.name === dbName)).toBe(true))
    await new Promise((r) => setTimeout(r, 20))
    const closes = vi.spyOn(IDBDatabase.prototype, 'close')
    let blocked = false
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(dbName)
      req.onblocked = () => (blocked = true)
      req.onsuccess = () => resolve()
      req.onerror = () => reject(req.error)
    })
    expect(blocked).toBe(false)
    // It closed on versionchange, and a later open makes a new connection.
    expect(closes).toHaveBeenCalledTimes(1)
    closes.mockRestore()
    const opens = vi.spyOn(indexedDB, 'open')
    ;(await open()).close()
    expect(opens).toHaveBeenCalledTimes(1)
    opens.mockRestore()
  })

  it('rejects after openTimeoutMs when an upgrade stays blocked by a tab holding the older version', async () => {
    ;(await open()).close()
    const stubborn = await raw() // version 1, ignores versionchange
    vi.resetModules()
    vi.doMock('../../src/profile/schemas', async (orig) => ({ ...(await orig<object>()), DB_VERSION: 3 }))
    try {
      const next = await import('../../src/profile/idbStore')
      const err = await next
        .openIdbStore({ dbName, retentionDays: 30, recentSignals: 500, openTimeoutMs: 50 })
        .catch((e: unknown) => e)
      expect((err as Error).name).toBe('TacitError')
      expect((err as Error).message).toMatch(/blocked for 50 ms by another tab/)
    } finally {
      vi.doUnmock('../../src/profile/schemas')
      vi.resetModules()
    }
    stubborn.close()
    // The upgrade then completes in the background and that late connection is closed again.
    await vi.waitFor(async () => expect((await indexedDB.databases()).find((d) => d.name === dbName)?.version).toBe(3))
  })

  it('closes itself on versionchange so another tab can upgrade, then rejects calls', async () => {
    const s = await open()
    await s.write(delta({ items: [item('a')] }))
    await s.compact()
    const upgraded = await openDB(dbName, 3)
    opened.push(upgraded)
    expect(upgraded.version).toBe(3)
    await expect(s.write(delta({ items: [item('a')] }))).rejects.toBeInstanceOf(TacitError)
    await expect(s.load()).rejects.toThrow(/closed/)
    // An empty delta opens no transaction at all.
    await expect(s.write(emptyDelta())).resolves.toBeUndefined()
    expect((await upgraded.get('items', 'a')) as ItemRecord).toEqual(item('a'))
  })

  it('rejects calls after close()', async () => {
    const s = await open()
    s.close()
    await expect(s.write(delta({ items: [item('a')] }))).rejects.toBeInstanceOf(TacitError)
    await expect(s.load()).rejects.toBeInstanceOf(TacitError)
  })
})

describe('memoryStore', () => {
  it('persists nothing and always resolves', async () => {
    const s = memoryStore()
    expect(s.kind).toBe('memory')
    await expect(s.write(delta({ items: [item('a')], signals: [signal(1)] }))).resolves.toBeUndefined()
    expect(await s.load()).toEqual({
      data: { items: {}, tags: {}, sessions: {}, funnels: {}, outcomes: {}, signals: [], models: {}, decisions: {} },
      dropped: 0,
      expired: 0,
    })
    await expect(s.erase()).resolves.toBeUndefined()
    expect(() => s.close()).not.toThrow()
  })

  it('returns a fresh empty profile each time', async () => {
    const s = memoryStore()
    const a = (await s.load()).data
    a.items.x = item('x')
    expect((await s.load()).data.items).toEqual({})
  })
})
