import { createTacit, resolveOptions, TacitError, type Tacit, type TacitOptions } from '@tacit/core'
import { openDB, type IDBPDatabase } from 'idb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openEncryptedStore } from '../../src/profile/encryptedStore'
import { StorageFault } from '../../src/profile/faults'
import { openIdbStore, type IdbStoreOptions } from '../../src/profile/idbStore'
import type { DecisionRecord, ItemRecord, ModelRecord, SignalRecord, TagRecord } from '../../src/profile/schemas'
import { emptyDelta, type ProfileDelta, type ProfileStore } from '../../src/profile/types'
import { $, clickAt, html, setVisibility, settle } from '../helpers'

/**
 * `encrypt: true` (profile/encryptedStore.ts) over fake-indexeddb, which stores CryptoKey objects
 * as a browser does (Node's WebCrypto keys are structured-cloneable). What a user checks: nothing
 * readable in the stores, the same profile back after a reload as without encryption, tabs that
 * add up, and bad or foreign ciphertext dropped and counted, never thrown. The same in Chromium
 * with the built bundle: packages/browser/test/encryption.browser.test.ts.
 */

const DAY = 86_400_000
const T0 = Date.UTC(2026, 2, 1, 12)
let n = 0
let dbName = ''
const closers: Array<{ close(): void }> = []
const instances: Tacit[] = []

/** Names that come from the page: none may be readable in the database. */
const SECRETS = ['sku-secret', 'tag-secret', 'session-secret', 'funnel-secret', 'goal-secret', 'slot-secret', 'model-secret', 'target-secret', '/path-secret']

const item = (id: string, o: Partial<ItemRecord> = {}): ItemRecord => ({
  id,
  tags: ['tag-secret'],
  dwellMs: 1000,
  hoverMs: 200,
  hovers: 1,
  clicks: 2,
  hesitations: 1,
  hesitationMs: 900,
  updatedAt: T0,
  ...o,
})
const tag = (name: string, o: Partial<TagRecord> = {}): TagRecord => ({ tag: name, dwellMs: 1000, hoverMs: 200, hovers: 1, clicks: 2, hesitations: 0, hesitationMs: 0, updatedAt: T0, ...o })
const signal = (i: number, o: Partial<SignalRecord> = {}): SignalRecord => ({ type: 'hesitation', t: T0 + i, target: 'target-secret', item: 'sku-secret', ms: 1200, outcome: 'abandoned', ...o })
const model = (key: string, state: unknown, base?: unknown): ModelRecord => ({ key, state, ...(base === undefined ? {} : { base }), updatedAt: T0 })
const decision = (slot: string): DecisionRecord => ({
  slot,
  sessionId: 'session-secret',
  variants: ['a', 'b'],
  variant: 'b',
  probability: 0.5,
  context: [0.25, 1],
  t: T0,
  policy: 'bandit',
  rewarded: false,
  updatedAt: T0,
})
const delta = (d: Partial<ProfileDelta>): ProfileDelta => ({ ...emptyDelta(), ...d })

/** A delta with a record in every store. */
const everything = (): ProfileDelta =>
  delta({
    items: [item('sku-secret')],
    tags: [tag('tag-secret')],
    sessions: [{ id: 'session-secret', start: T0 - 60_000, lastActive: T0, pages: 1, engagedMs: 30_000, maxScroll: 50, counts: { hesitation: 1 }, updatedAt: T0 }],
    funnels: [{ funnel: 'funnel-secret', sessionId: 'session-secret', furthest: 1, completions: 0, dropOffs: 0, updatedAt: T0 }],
    outcomes: [{ goal: 'goal-secret', count: 1, valueSum: 49, lastAt: T0, updatedAt: T0 }],
    visitor: {
      key: 'visitor',
      firstSeen: T0 - DAY,
      lastSeen: T0,
      visits: 1,
      sessionId: 'session-secret',
      lastPage: { path: '/path-secret', arrivedAt: T0 - 5000, leftAt: T0, interacted: true },
      updatedAt: T0,
    },
    signals: [signal(1), signal(2, { type: 'rage-click', clicks: 3 })],
    models: [model('model-secret', { w: [1, 2], n: 3 })],
    decisions: [decision('slot-secret')],
  })

const options = (o: Partial<IdbStoreOptions> = {}): IdbStoreOptions => ({ dbName, retentionDays: 30, recentSignals: 500, now: () => T0, ...o })
const openEncrypted = async (o: Partial<IdbStoreOptions> = {}): Promise<ProfileStore> => {
  const s = await openEncryptedStore(options(o))
  closers.push(s)
  return s
}
const openPlain = async (o: Partial<IdbStoreOptions> = {}): Promise<ProfileStore> => {
  const s = await openIdbStore(options(o))
  closers.push(s)
  return s
}
/** A connection of its own, as a storage viewer, another tool or a tampering extension would have. */
const raw = async (name = dbName): Promise<IDBPDatabase> => {
  const db = await openDB(name)
  closers.push(db)
  return db
}
/** Every stored value of every store, as IndexedDB returns it. */
const dump = async (name = dbName): Promise<Record<string, unknown[]>> => {
  const db = await raw(name)
  const out: Record<string, unknown[]> = {}
  for (const store of Array.from(db.objectStoreNames)) out[store] = await db.getAll(store)
  db.close()
  return out
}
/**
 * All the text a tool could read from stored values: their JSON (binary data serialises as `{}`),
 * plus every binary value's bytes decoded as Latin-1 and as UTF-8.
 */
const readable = (value: unknown): string => {
  const parts: string[] = [JSON.stringify(value)]
  const walk = (v: unknown): void => {
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
      const b = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
      parts.push(String.fromCharCode(...b), new TextDecoder().decode(b))
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x)
  }
  walk(value)
  return parts.join('\n')
}
const clearTextIn = (text: string, secrets: readonly string[]): string[] => secrets.filter((s) => text.includes(s))


beforeEach(() => {
  dbName = `tacit-encrypted-${++n}`
})
afterEach(async () => {
  for (const t of instances.splice(0)) t.destroy()
  await settle()
  for (const c of closers.splice(0)) c.close()
  Reflect.deleteProperty(navigator, 'locks')
  vi.unstubAllGlobals()
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(dbName)
    req.onsuccess = req.onerror = () => resolve()
  })
})

describe('encrypted store', () => {
  it('stores no page name in clear text, and loads what the plain store loads for the same writes', async () => {
    const secret = await openEncrypted()
    const plainName = `${dbName}-plain`
    const plain = await openIdbStore({ ...options(), dbName: plainName })
    for (const s of [secret, plain]) {
      await s.write(everything())
      // A second write adds up (models: stored + (state - base)); the page-hide journal is counted at load.
      await s.write(delta({ items: [item('sku-secret', { clicks: 1 })], models: [model('model-secret', { w: [2, 4], n: 4 }, { w: [1, 2], n: 3 })] }))
      await s.append(delta({ outcomes: [{ goal: 'goal-secret', count: 2, valueSum: 10, lastAt: T0, updatedAt: T0 }], signals: [signal(3)] }))
    }
    const stored = await dump()
    expect(clearTextIn(readable(stored), [...SECRETS, 'hesitation', 'rage-click'])).toEqual([])

    // Keyed records are a hashed key, an IV and ciphertext, nothing else.
    const keyPaths: Record<string, string> = { items: 'id', tags: 'tag', sessions: 'id', funnels: 'funnel', outcomes: 'goal', meta: 'key', models: 'key', decisions: 'slot' }
    for (const [store, keyPath] of Object.entries(keyPaths)) {
      const records = stored[store].filter((r) => (r as { key?: string }).key !== 'crypto') as Array<Record<string, unknown>>
      expect(records, store).toHaveLength(1)
      expect(Object.keys(records[0]).sort(), store).toEqual(['data', 'iv', keyPath].sort())
      expect(records[0][keyPath], store).toMatch(/^[0-9a-f]{32}$/)
      expect(records[0].iv, store).toBeInstanceOf(Uint8Array)
      expect((records[0].iv as Uint8Array).length).toBe(12)
      expect(records[0].data, store).toBeInstanceOf(ArrayBuffer)
    }
    for (const entry of [...stored.signals, ...stored.journal]) expect(Object.keys(entry as object).sort()).toEqual(['data', 'iv'])
    expect(stored.signals).toHaveLength(2)
    expect(stored.journal).toHaveLength(1)

    // The keys: non-extractable, in the database.
    const keys = stored.meta.find((r) => (r as { key?: string }).key === 'crypto') as { aes: CryptoKey; mac: CryptoKey }
    expect(keys.aes).toBeInstanceOf(CryptoKey)
    expect(keys.aes).toMatchObject({ extractable: false, algorithm: { name: 'AES-GCM', length: 256 } })
    expect(keys.mac).toMatchObject({ extractable: false, algorithm: { name: 'HMAC' } })

    // A reload (new connection) decrypts to exactly what the plain store holds.
    secret.close()
    plain.close()
    const again = await openEncrypted()
    const loaded = await again.load()
    const expected = await (await openPlain({ dbName: plainName })).load()
    expect(loaded).toEqual(expected)
    expect(loaded.dropped).toBe(0)
    expect(loaded.data.items['sku-secret'].clicks).toBe(3)
    expect(loaded.data.outcomes['goal-secret']).toMatchObject({ count: 3, valueSum: 59 })
    expect(loaded.data.models['model-secret'].state).toEqual({ w: [2, 4], n: 4 })
    expect(loaded.data.signals.map((s) => s.type)).toEqual(['hesitation', 'rage-click', 'hesitation'])
    expect(await again.readModels()).toEqual(await (await openPlain({ dbName: plainName })).readModels())
    await new Promise<void>((resolve) => {
      for (const c of closers.splice(0)) c.close()
      indexedDB.deleteDatabase(plainName).onsuccess = () => resolve()
    })
  })

  it('two tabs writing the same records at once add up (reads, merges and puts one at a time)', async () => {
    const a = await openEncrypted()
    const b = await openEncrypted()
    const d = () => delta({ items: [item('sku-secret')], tags: [tag('tag-secret')], signals: [signal(1)] })
    await Promise.all([a.write(d()), b.write(d()), a.write(d()), b.write(d())])
    const { data } = await (await openEncrypted()).load()
    expect(data.items['sku-secret']).toMatchObject({ clicks: 8, hovers: 4, dwellMs: 4000 })
    expect(data.tags['tag-secret'].clicks).toBe(8)
    expect(data.signals).toHaveLength(4)
  })

  it('takes the Web Lock tacit:<dbName> for every write and compaction, where the browser has Web Locks', async () => {
    const names: string[] = []
    let held = Promise.resolve()
    Object.defineProperty(navigator, 'locks', {
      configurable: true,
      value: {
        request: (name: string, fn: () => Promise<unknown>) => {
          names.push(name)
          const run = held.then(fn)
          held = run.then(() => {}, () => {})
          return run
        },
      },
    })
    const a = await openEncrypted()
    const b = await openEncrypted()
    await Promise.all([a.write(delta({ items: [item('sku-secret')] })), b.write(delta({ items: [item('sku-secret')] }))])
    await a.append(delta({ items: [item('sku-secret')] }))
    await Promise.all([a.compact(), b.compact()])
    expect(names).toEqual(Array(4).fill(`tacit:${dbName}`))
    expect((await a.load()).data.items['sku-secret'].clicks).toBe(6)
  })

  it('page hide appends one sealed journal entry without reading; two tabs compacting fold it exactly once', async () => {
    const a = await openEncrypted()
    await a.write(delta({ items: [item('sku-secret')] }))
    await a.append(delta({ items: [item('sku-secret')], signals: [signal(1)] }))
    const b = await openEncrypted()
    expect((await b.load()).data.items['sku-secret'].clicks).toBe(4)
    await Promise.all([a.compact(), b.compact()])
    const stored = await dump()
    expect(stored.journal).toEqual([])
    expect(clearTextIn(readable(stored), SECRETS)).toEqual([])
    const { data, dropped } = await (await openEncrypted()).load()
    expect(data.items['sku-secret'].clicks).toBe(4)
    expect(data.signals).toHaveLength(1)
    expect(dropped).toBe(0)
  })

  it('altered, moved or truncated ciphertext is dropped, counted and deleted; the rest is kept', async () => {
    const s = await openEncrypted()
    await s.write(everything())
    await s.append(delta({ items: [item('sku-secret')] }))
    const db = await raw()
    const tx = db.transaction(['items', 'tags', 'outcomes', 'signals', 'journal'], 'readwrite')
    // One flipped bit in an item; an outcome sealed for another key; a cut ring entry; a journal entry with no IV.
    const [it0] = await tx.objectStore('items').getAll()
    const flipped = new Uint8Array(it0.data.slice(0))
    flipped[3] ^= 1
    await tx.objectStore('items').put({ ...it0, data: flipped.buffer })
    const [out] = await tx.objectStore('outcomes').getAll()
    await tx.objectStore('outcomes').delete(out.goal)
    await tx.objectStore('outcomes').put({ ...out, goal: '0123456789abcdef0123456789abcdef' })
    const [ringKey] = await tx.objectStore('signals').getAllKeys()
    const ring = await tx.objectStore('signals').get(ringKey)
    await tx.objectStore('signals').put({ ...ring, data: ring.data.slice(0, 10) }, ringKey)
    const [journalKey] = await tx.objectStore('journal').getAllKeys()
    await tx.objectStore('journal').put({ data: new ArrayBuffer(40) }, journalKey)
    await tx.done
    db.close()

    const { data, dropped } = await (await openEncrypted()).load()
    expect(dropped).toBe(4)
    expect(data.items).toEqual({})
    expect(Object.keys(data.outcomes)).toEqual([])
    expect(data.tags['tag-secret'].clicks).toBe(2)
    expect(data.signals.map((x) => x.type)).toEqual(['rage-click'])
    expect(data.visitor?.lastPage?.path).toBe('/path-secret')
    const after = await dump()
    expect([after.items, after.outcomes, after.signals].map((r) => r.length)).toEqual([0, 0, 1])
    // As without encryption, compaction clears the journal, the bad entry with it.
    await (await openEncrypted()).compact()
    expect((await dump()).journal).toEqual([])
  })

  it('with its keys deleted, every record is dropped and counted at the next load, a new key is made, nothing throws', async () => {
    const s = await openEncrypted()
    await s.write(everything())
    s.close()
    const db = await raw()
    await db.delete('meta', 'crypto')
    db.close()
    const again = await openEncrypted()
    const loaded = await again.load()
    // 8 keyed records and 2 ring entries.
    expect(loaded.dropped).toBe(10)
    expect(loaded.data.items).toEqual({})
    const stored = await dump()
    expect(Object.values(stored).flat()).toHaveLength(1) // only the new keys
    await again.write(delta({ items: [item('sku-secret')] }))
    expect((await (await openEncrypted()).load()).data.items['sku-secret'].clicks).toBe(2)
  })

  it('expired records are deleted at load as without encryption', async () => {
    const s = await openEncrypted()
    await s.write(delta({ items: [item('sku-secret', { updatedAt: T0 - 40 * DAY }), item('sku-secret-2')], signals: [signal(1, { t: T0 - 40 * DAY }), signal(2)] }))
    const loaded = await (await openEncrypted()).load()
    expect(loaded).toMatchObject({ expired: 2, dropped: 0 })
    expect(Object.keys(loaded.data.items)).toEqual(['sku-secret-2'])
    const stored = await dump()
    expect([stored.items.length, stored.signals.length]).toEqual([1, 1])
  })

  it('switching encryption on drops and deletes the profile stored in clear; switching it off drops the encrypted one and its keys', async () => {
    // A profile stored in clear, in its stores (a periodic write journals; start-up folds it in).
    const plain = await openPlain()
    await plain.write(everything())
    await plain.compact()
    expect(clearTextIn(readable(await dump()), SECRETS)).not.toEqual([])
    const on = await (await openEncrypted()).load()
    expect(on.dropped).toBe(10)
    expect(clearTextIn(readable(await dump()), SECRETS)).toEqual([])

    await (await openEncrypted()).write(everything())
    const off = await (await openPlain()).load()
    expect(off.dropped).toBe(11) // the records and the keys
    expect(off.data.items).toEqual({})
    expect(Object.values(await dump()).flat()).toEqual([])
  })

  it('rejects with a storage fault when WebCrypto is missing (pages not on https)', async () => {
    vi.stubGlobal('crypto', undefined)
    const error = await openEncryptedStore(options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageFault)
    expect((error as StorageFault).kind).toBe('missing')
    expect((error as Error).message).toMatch(/^WebCrypto is not available .* `encrypt: true` cannot store the profile\. Tacit keeps working from memory/)
  })
})

describe('createTacit({ encrypt: true })', () => {
  let errors: unknown[] = []
  const make = (o: TacitOptions = {}): Tacit => {
    const t = createTacit({ dbName, consent: 'granted', encrypt: true, onError: (e) => errors.push(e), ...o })
    instances.push(t)
    return t
  }
  beforeEach(() => {
    errors = []
    html('<div data-tacit-item="sku-secret" data-tacit-tags="tag-secret">x</div>')
  })

  it('is an option, off by default, validated', () => {
    expect(resolveOptions({}).encrypt).toBe(false)
    expect(resolveOptions({ encrypt: true }).encrypt).toBe(true)
    expect(() => resolveOptions({ encrypt: 'yes' } as never)).toThrow('encrypt must be true or false, got "yes"')
  })

  it('a reload decrypts the profile; the database holds none of its names in clear text', async () => {
    const a = make({ funnels: { 'funnel-secret': ['cart', 'pay'] } })
    await a.ready
    for (let i = 0; i < 3; i++) clickAt($('[data-tacit-item]'), 10, 10) // a rage click
    a.track('goal-secret', 49)
    a.step('funnel-secret', 'cart')
    a.decide('slot-secret', ['a', 'b'])
    const before = await a.profile()
    a.destroy()
    await settle()

    const b = make({ funnels: { 'funnel-secret': ['cart', 'pay'] } })
    await b.ready
    expect(b.storage).toBe('indexeddb')
    const after = await b.profile()
    expect(after.items.find((i) => i.id === 'sku-secret')).toMatchObject({ clicks: 3, tags: ['tag-secret'] })
    expect(after.outcomes).toEqual([expect.objectContaining({ goal: 'goal-secret', count: 1, valueSum: 49 })])
    expect(after.signals.length).toBeGreaterThanOrEqual(before.signals.length)
    expect(after.health.droppedRecords).toBe(0)
    expect(JSON.parse(await b.export()).outcomes).toEqual([expect.objectContaining({ goal: 'goal-secret', count: 1 })])
    b.destroy()
    await settle()
    const types = [...new Set(after.signals.map((s) => s.type))]
    expect(types).toContain('rage-click')
    expect(clearTextIn(readable(await dump()), ['sku-secret', 'tag-secret', 'goal-secret', 'funnel-secret', 'slot-secret', ...types])).toEqual([])
    expect(errors).toEqual([])
  })

  it('two instances on the same database add up', async () => {
    const a = make()
    const b = make()
    await Promise.all([a.ready, b.ready])
    // One click, seen by both (as two tabs would each record their own).
    clickAt($('[data-tacit-item]'), 10, 10)
    a.track('goal-secret')
    b.track('goal-secret')
    await Promise.all([a.profile(), b.profile()])
    const p = await (await openEncrypted()).load()
    expect(p.data.items['sku-secret'].clicks).toBe(2)
    expect(p.data.outcomes['goal-secret'].count).toBe(2)
    // A visit per session: two unless the second instance read the first one's session (written
    // as soon as it was ready) and continued it, which a busy machine can make happen.
    const sessions = Object.keys(p.data.sessions).length
    expect(sessions).toBeGreaterThanOrEqual(1)
    expect(p.data.visitor?.visits).toBe(sessions)
  })

  it('page hide stores a sealed journal entry that the next page reads', async () => {
    const a = make({ flushIntervalMs: 600_000 })
    await a.ready
    await a.profile() // the start-up write is done; what follows goes only through page hide
    a.track('goal-secret', 5)
    setVisibility('hidden')
    await vi.waitFor(async () => expect((await dump()).journal).toHaveLength(1))
    expect(clearTextIn(readable(await dump()), ['goal-secret'])).toEqual([])
    a.destroy()
    await settle()
    setVisibility('visible')
    const b = make()
    await b.ready
    expect((await b.profile()).outcomes).toEqual([expect.objectContaining({ goal: 'goal-secret', count: 1, valueSum: 5 })])
  })

  it('records that do not decrypt (keys deleted) are reported once and counted, not thrown', async () => {
    const a = make()
    await a.ready
    a.track('goal-secret')
    await a.profile()
    a.destroy()
    await settle()
    const db = await raw()
    await db.delete('meta', 'crypto')
    db.close()

    const b = make()
    await b.ready
    expect(b.storage).toBe('indexeddb')
    const p = await b.profile()
    expect(p.outcomes).toEqual([])
    expect(p.health.droppedRecords).toBeGreaterThan(0)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(TacitError)
    expect((errors[0] as Error).message).toMatch(/stored record\(s\) failed validation and were dropped/)
    b.track('goal-secret')
    expect((await b.profile()).outcomes).toEqual([expect.objectContaining({ goal: 'goal-secret', count: 1 })])
    expect(errors).toHaveLength(1)
  })
})
