import { createTacit, type Tacit, type TacitExport, type TacitOptions } from '@tacit/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { $, clickAt, html, setVisibility, settle } from '../helpers'

/**
 * Issue 5, "export() is complete": every record of every object store of the database appears in
 * `export()`, in the documented `tacit-export` format (docs/export-format.md). The database is read
 * directly (fake-indexeddb) and compared record by record.
 */

/** Where each object store's records are in the export. A store missing here fails the test. */
const STORE_FIELDS: Record<string, keyof TacitExport | 'folded'> = {
  items: 'items',
  tags: 'tags',
  sessions: 'sessions',
  funnels: 'funnels',
  outcomes: 'outcomes',
  meta: 'visitor',
  models: 'models',
  decisions: 'decisions',
  signals: 'signals',
  // Deltas written blind on page hide: folded into the records above, as Tacit reads them.
  journal: 'folded',
}

/** The top-level fields of format version 1, in order. */
const FIELDS = [
  'format',
  'version',
  'exportedAt',
  'database',
  'storage',
  'consent',
  'visitor',
  'items',
  'tags',
  'sessions',
  'funnels',
  'outcomes',
  'signals',
  'models',
  'decisions',
]

const QUERY_SECRET = 'QUERYSECRET31'
const FRAGMENT_SECRET = 'FRAGSECRET77'

let n = 0
let dbName = ''
const instances: Tacit[] = []
const make = (o: TacitOptions = {}): Tacit => {
  const t = createTacit({ dbName, onError: () => {}, funnels: { checkout: ['cart', 'details', 'done'] }, ...o })
  instances.push(t)
  return t
}
const exported = async (t: Tacit): Promise<TacitExport> => JSON.parse(await t.export())

/** Every record of every object store, read with IndexedDB itself; null when there is no database. */
const readDatabase = async (name: string): Promise<{ version: number; stores: Record<string, unknown[]> } | null> => {
  if (!(await indexedDB.databases()).some((d) => d.name === name)) return null
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const names = Array.from(db.objectStoreNames)
      const stores: Record<string, unknown[]> = {}
      const tx = db.transaction(names, 'readonly')
      for (const store of names) {
        const r = tx.objectStore(store).getAll()
        r.onsuccess = () => (stores[store] = r.result)
      }
      tx.oncomplete = () => {
        db.close()
        resolve({ version: db.version, stores })
      }
      tx.onerror = () => reject(tx.error)
    }
  })
}

/** A session that leaves a record in every store: attention, signals, a funnel, goals, a decision, training. */
const session = async (t: Tacit): Promise<void> => {
  await t.ready
  const item = $('[data-tacit-item]')
  item.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }))
  await new Promise((r) => setTimeout(r, 120))
  item.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: document.body }))
  item.dispatchEvent(new MouseEvent('click', { bubbles: true }))
  for (let i = 0; i < 3; i++) clickAt($('#b'), 10, 10) // a rage click
  t.step('checkout', 'cart')
  t.step('checkout', 'details')
  t.decide('hero', [
    { id: 'value', tags: ['budget'] },
    { id: 'luxury', tags: ['premium'] },
  ])
  expect(t.reward('hero', 1)).toBe(true)
  for (let i = 0; i < 5; i++) t.track('purchase', 49)
  // The intent model fine-tunes on those goals in idle time, then saves its weights.
  await vi.waitFor(
    async () => expect((await t.profile()).models.map((m) => m.key)).toEqual(expect.arrayContaining(['intent:convert', 'bandit:hero'])),
    { timeout: 10_000, interval: 50 },
  )
}

beforeEach(() => {
  dbName = `tacit-export-${++n}`
  ;(window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(
    `https://shop.example/products/42?token=${QUERY_SECRET}#${FRAGMENT_SECRET}`,
  )
  html('<button id="b">b</button><div data-tacit-item="sku-1" data-tacit-tags="premium,luggage">x</div>')
})
afterEach(async () => {
  for (const t of instances.splice(0)) t.destroy()
  await settle()
})

describe('export() is complete', () => {
  it('contains every record of every object store, exactly as stored', async () => {
    const t = make({ consent: 'granted' })
    await session(t)
    const doc = await exported(t)
    const db = await readDatabase(dbName)
    expect(db).not.toBeNull()
    const stores = db!.stores

    // Every store of the database is accounted for, and every one has records to compare.
    expect(Object.keys(stores).sort()).toEqual(Object.keys(STORE_FIELDS).sort())
    for (const [store, records] of Object.entries(stores)) {
      if (store !== 'journal') expect(records.length, `store ${store} is empty`).toBeGreaterThan(0)
    }
    expect(stores.journal).toEqual([]) // export() folds the journal into the stores before it reads them

    // Record by record, in key order (signals oldest first).
    for (const [store, field] of Object.entries(STORE_FIELDS)) {
      if (field === 'folded') continue
      const inExport = field === 'visitor' ? [doc.visitor] : doc[field]
      expect(inExport, `store ${store}`).toEqual(stores[store])
    }

    // The session above, as the person would recognise it.
    expect(doc.items).toEqual([expect.objectContaining({ id: 'sku-1', tags: ['premium', 'luggage'], clicks: 1 })])
    expect(doc.tags.map((r) => r.tag).sort()).toEqual(['luggage', 'premium'])
    expect(doc.signals.map((s) => s.type)).toContain('rage-click')
    expect(doc.funnels).toEqual([expect.objectContaining({ funnel: 'checkout', furthest: 1 })])
    expect(doc.outcomes).toEqual([expect.objectContaining({ goal: 'purchase', count: 5, valueSum: 245 })])
    expect(doc.decisions).toEqual([expect.objectContaining({ slot: 'hero', rewarded: true })])
    expect(doc.visitor).toEqual(expect.objectContaining({ key: 'visitor', visits: 1 }))
  })

  it('starts with the documented header, and names no URL, query string or fragment', async () => {
    const t = make({ consent: 'granted' })
    await session(t)
    const before = Date.now()
    const text = await t.export()
    const after = Date.now()
    const doc: TacitExport = JSON.parse(text)
    const db = await readDatabase(dbName)

    expect(Object.keys(doc)).toEqual(FIELDS)
    expect(doc).toMatchObject({
      format: 'tacit-export',
      version: 1,
      database: { name: dbName, schemaVersion: db!.version },
      storage: 'indexeddb',
      consent: 'granted',
    })
    expect(doc.exportedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Date.parse(doc.exportedAt)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(doc.exportedAt)).toBeLessThanOrEqual(after)
    expect(text).toBe(JSON.stringify(doc, null, 2)) // plain JSON: nothing lost in a round trip

    // The page's path is kept (to recognise a quick back) once the page hides; nothing else of its URL.
    setVisibility('hidden')
    await settle()
    const hidden = await t.export()
    expect((JSON.parse(hidden) as TacitExport).visitor?.lastPage?.path).toBe('/products/42')
    for (const word of [QUERY_SECRET, FRAGMENT_SECRET, 'shop.example', 'http', '?token']) {
      expect(text.includes(word), `${word} in export()`).toBe(false)
      expect(hidden.includes(word), `${word} in export() after hide`).toBe(false)
    }
  })

  it('includes what was journalled on page hide, before start-up folds it into the stores', async () => {
    const t = make({ consent: 'granted' })
    await session(t)
    await t.export()
    t.track('newsletter')
    for (let i = 0; i < 3; i++) clickAt($('#b'), 60, 60)
    setVisibility('hidden') // written blind, to the journal
    await settle()

    const db = await readDatabase(dbName)
    const journal = db!.stores.journal as Array<Record<string, unknown>>
    expect(journal.length).toBeGreaterThan(0)
    expect(db!.stores.outcomes.map((o) => (o as { goal: string }).goal)).not.toContain('newsletter')

    const doc = await exported(t)
    expect(doc.outcomes.find((o) => o.goal === 'newsletter')).toEqual(expect.objectContaining({ count: 1 }))
    expect(doc.outcomes.find((o) => o.goal === 'purchase')).toEqual(expect.objectContaining({ count: 5 }))
    // Every record of every journal entry is in the export, under its store's field.
    const keyOf: Record<string, string> = { items: 'id', tags: 'tag', sessions: 'id', funnels: 'funnel', outcomes: 'goal', models: 'key', decisions: 'slot' }
    let records = 0
    for (const entry of journal) {
      for (const [field, key] of Object.entries(keyOf)) {
        for (const r of (entry[field] ?? []) as Array<Record<string, unknown>>) {
          records++
          const found = (doc[field as keyof TacitExport] as Array<Record<string, unknown>>).map((x) => x[key])
          expect(found, `${field} ${String(r[key])}`).toContain(r[key])
        }
      }
      for (const s of entry.signals as unknown[]) expect(doc.signals).toContainEqual(s)
      if (entry.visitor) expect(doc.visitor?.lastSeen).toBeGreaterThanOrEqual((entry.visitor as { lastSeen: number }).lastSeen)
    }
    expect(records).toBeGreaterThan(0)
    expect(doc.signals.filter((s) => s.type === 'rage-click')).toHaveLength(2)
  })

  it('reads the database afresh: what another tab of the site wrote is in it', async () => {
    const a = make({ consent: 'granted' })
    const b = make({ consent: 'granted' })
    await Promise.all([a.ready, b.ready])
    a.track('from-this-tab')
    b.track('from-the-other-tab', 3)
    await b.profile() // the other tab writes
    const doc = await exported(a)
    expect(doc.outcomes.map((o) => o.goal)).toEqual(['from-the-other-tab', 'from-this-tab'])
    expect(doc.outcomes[0]).toEqual(expect.objectContaining({ count: 1, valueSum: 3 }))
  })

  it('with consent pending, exports what this page holds in memory and creates no database', async () => {
    const t = make()
    await t.ready
    for (let i = 0; i < 3; i++) clickAt($('#b'), 10, 10)
    t.track('signup')
    const doc = await exported(t)
    expect(doc).toMatchObject({ format: 'tacit-export', version: 1, storage: 'memory', consent: 'pending' })
    expect(doc.signals.map((s) => s.type)).toContain('rage-click')
    expect(doc.outcomes).toEqual([expect.objectContaining({ goal: 'signup', count: 1 })])
    expect(await readDatabase(dbName)).toBeNull()
  })

  it('after erase(), exports an empty profile', async () => {
    const t = make({ consent: 'granted' })
    await t.ready
    t.track('purchase')
    expect((await exported(t)).outcomes).toHaveLength(1)
    await t.erase()
    const doc = await exported(t)
    expect(doc).toMatchObject({ visitor: null, items: [], tags: [], sessions: [], funnels: [], outcomes: [], signals: [], models: [], decisions: [] })
    expect(await readDatabase(dbName)).toBeNull()
  })
})
