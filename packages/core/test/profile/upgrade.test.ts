import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { openIdbStore } from '../../src/profile/idbStore'

const T = Date.now()

/** A database exactly as version 1 of Tacit wrote it: six keyed stores, the ring and the journal. */
const writeVersion1 = async (name: string) => {
  const db = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('items', { keyPath: 'id' })
      db.createObjectStore('tags', { keyPath: 'tag' })
      db.createObjectStore('sessions', { keyPath: 'id' })
      db.createObjectStore('funnels', { keyPath: 'funnel' })
      db.createObjectStore('outcomes', { keyPath: 'goal' })
      db.createObjectStore('meta', { keyPath: 'key' })
      db.createObjectStore('signals', { autoIncrement: true })
      db.createObjectStore('journal', { autoIncrement: true })
    },
  })
  const totals = { dwellMs: 1200, hoverMs: 300, hovers: 2, clicks: 1, hesitations: 1, hesitationMs: 1100, updatedAt: T }
  await db.put('items', { id: 'sku-1', tags: ['premium'], ...totals })
  await db.put('tags', { tag: 'premium', ...totals })
  await db.put('sessions', { id: 's1', start: T, lastActive: T, pages: 2, engagedMs: 9000, maxScroll: 75, counts: { dwell: 3 }, updatedAt: T })
  await db.put('funnels', { funnel: 'checkout', sessionId: 's1', furthest: 1, completions: 0, dropOffs: 0, updatedAt: T })
  await db.put('outcomes', { goal: 'signup', count: 2, valueSum: 0, lastAt: T, updatedAt: T })
  await db.put('meta', { key: 'visitor', firstSeen: T, lastSeen: T, visits: 3, sessionId: 's1', updatedAt: T })
  await db.add('signals', { type: 'rage-click', t: T, target: 'button#buy', clicks: 3 })
  db.close()
}

describe('schema upgrade', () => {
  it('version 1 to version 2 keeps every record and adds the model stores', async () => {
    await writeVersion1('tacit-v1-fixture')
    const store = await openIdbStore({ dbName: 'tacit-v1-fixture', retentionDays: 30, recentSignals: 500 })
    const { data, dropped, expired } = await store.load()
    expect({ dropped, expired }).toEqual({ dropped: 0, expired: 0 })
    expect(data.items['sku-1']).toMatchObject({ dwellMs: 1200, tags: ['premium'] })
    expect(data.tags.premium.hovers).toBe(2)
    expect(data.sessions.s1.pages).toBe(2)
    expect(data.funnels.checkout.furthest).toBe(1)
    expect(data.outcomes.signup.count).toBe(2)
    expect(data.visitor?.visits).toBe(3)
    expect(data.signals).toEqual([{ type: 'rage-click', t: T, target: 'button#buy', clicks: 3 }])
    await store.write({
      items: [], tags: [], sessions: [], funnels: [], outcomes: [], signals: [], decisions: [],
      models: [{ key: 'bandit:hero', state: { any: 1 }, updatedAt: T }],
    })
    expect((await store.load()).data.models['bandit:hero'].state).toEqual({ any: 1 })
    store.close()
    const db = await openDB('tacit-v1-fixture')
    expect(db.version).toBe(2)
    db.close()
  })
})
