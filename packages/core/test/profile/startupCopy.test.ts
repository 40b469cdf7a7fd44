import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { encodeInterest } from '../../src/model/interests'
import type { ItemRecord } from '../../src/profile/schemas'
import { holdStore, setVisibility, settle, useIdbFakeClock } from '../helpers'

// A page that hides writes a start-up copy of the profile (one record); the next start-up reads
// that and the journal instead of every store, decides from it, and reads the stores in idle time
// right after `ready`, which brings in what other tabs wrote since.

const DAY = 86_400_000
const HALF_LIFE = 7 * DAY

let n = 0
let dbName = ''
const instances: Tacit[] = []
afterEach(() => {
  for (const t of instances.splice(0)) t.destroy()
  setVisibility('visible')
  vi.useRealTimers()
})

const make = (): Tacit => {
  const t = createTacit({ dbName, consent: 'granted', onError: () => {} })
  instances.push(t)
  return t
}

/** Runs `fn` on a connection of its own, as another tab would, and closes it. */
const withDb = (fn: (db: IDBDatabase) => IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const tx = fn(req.result)
      tx.oncomplete = () => {
        req.result.close()
        resolve()
      }
      tx.onerror = () => reject(tx.error)
    }
  })

/** An item record whose interest is `weight` (as if that much attention was paid to it now). */
const item = (id: string, weight: number): ItemRecord => ({
  id,
  tags: [],
  dwellMs: weight,
  hoverMs: 0,
  hovers: 0,
  clicks: 0,
  hesitations: 0,
  hesitationMs: 0,
  interest: encodeInterest(weight, Date.now(), HALF_LIFE),
  updatedAt: Date.now(),
})
const putItems = (...records: ItemRecord[]) =>
  withDb((db) => {
    const tx = db.transaction('items', 'readwrite')
    for (const r of records) tx.objectStore('items').put(r)
    return tx
  })

const ITEMS = [{ id: 'sku-1' }, { id: 'sku-2' }]
const order = (t: Tacit) => t.rank(ITEMS).map((i) => i.id)

/** The store lists of the transactions `fn` opens. */
const transactionsDuring = async (fn: () => Promise<void>): Promise<string[][]> => {
  const spy = vi.spyOn(IDBDatabase.prototype, 'transaction')
  try {
    await fn()
    return spy.mock.calls.map(([names]) => [names].flat().map(String).sort())
  } finally {
    spy.mockRestore()
  }
}

/** A first page: loads sku-1 (stored earlier, `weight` seconds of attention), hides (writing the copy), and closes. */
const firstPage = async (weight = 5000) => {
  dbName = `tacit-startup-copy-${++n}`
  useIdbFakeClock()
  const first = make()
  await first.ready
  await putItems(item('sku-1', weight))
  first.destroy()
  const second = make()
  await second.ready
  await vi.advanceTimersByTimeAsync(10)
  await settle()
  expect(order(second)).toEqual(['sku-1', 'sku-2'])
  setVisibility('hidden')
  await settle()
  second.destroy()
  setVisibility('visible')
}

describe('the start-up copy', () => {
  it('after a page hid, start-up reads only the copy and the journal, and decides from them', async () => {
    await firstPage()
    let next!: Tacit
    const before = await transactionsDuring(async () => {
      next = make()
      await next.ready
    })
    expect(before).toEqual([['journal', 'meta']])
    expect(order(next)).toEqual(['sku-1', 'sku-2'])
  })

  it('what another tab stored after the copy was written is in the profile right after ready', async () => {
    await firstPage()
    // Another tab: much more attention to sku-2, written to the store after the copy.
    await putItems(item('sku-2', 500_000))
    const next = make()
    await next.ready
    expect(order(next)).toEqual(['sku-1', 'sku-2']) // the copy, as the last page knew it
    const changes = vi.fn()
    next.subscribe(changes)
    const after = await transactionsDuring(async () => {
      await vi.advanceTimersByTimeAsync(10) // idle time
      await settle()
    })
    expect(after).toContainEqual(['decisions', 'funnels', 'items', 'journal', 'meta', 'models', 'outcomes', 'sessions', 'tags'])
    expect(order(next)).toEqual(['sku-2', 'sku-1'])
    expect(changes).toHaveBeenCalled() // UI bindings re-render with the fuller profile
  })

  it('a bad record in the copy is left out (the stores are read right after); a malformed copy means a full read', async () => {
    await firstPage()
    await withDb((db) => {
      const tx = db.transaction('meta', 'readwrite')
      const store = tx.objectStore('meta')
      const get = store.get('startup')
      get.onsuccess = () => {
        const copy = get.result
        copy.records.items = [{ id: 'sku-2', dwellMs: 'lots' }, ...copy.records.items]
        store.put(copy)
      }
      return tx
    })
    const next = make()
    await next.ready
    expect(order(next)).toEqual(['sku-1', 'sku-2'])
    next.destroy()

    await withDb((db) => {
      const tx = db.transaction('meta', 'readwrite')
      tx.objectStore('meta').put({ key: 'startup', t: Date.now(), records: 'not records' })
      return tx
    })
    let last!: Tacit
    const reads = await transactionsDuring(async () => {
      last = make()
      await last.ready
    })
    expect(reads).toEqual([['journal', 'meta'], ['decisions', 'funnels', 'items', 'journal', 'meta', 'models', 'outcomes', 'sessions', 'tags']])
    expect(order(last)).toEqual(['sku-1', 'sku-2'])
    expect((await last.profile()).health.droppedRecords).toBe(0) // the copy is not a stored record
  })

  it('a change written while the stores are read after ready stays in memory', async () => {
    await firstPage(10)
    document.body.innerHTML = '<div id="one" data-tacit-item="sku-1">1</div><div id="two" data-tacit-item="sku-2">2</div>'
    const next = make()
    await next.ready
    // The idle read of the stores starts, and waits behind another connection's transaction.
    const release = await holdStore(dbName, 'items')
    await vi.advanceTimersByTimeAsync(10)
    // Meanwhile: a long look at sku-2, then the page hides (its changes are journalled, in a
    // transaction that comes after the read's, so the read cannot see them).
    const two = document.getElementById('two')!
    two.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }))
    vi.advanceTimersByTime(60_000)
    two.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: null }))
    expect(order(next)).toEqual(['sku-2', 'sku-1'])
    setVisibility('hidden')
    setVisibility('visible')
    await release()
    await settle()
    await vi.advanceTimersByTimeAsync(10)
    await settle()
    // Memory now holds what the stores held, and still this page's look at sku-2.
    expect(order(next)).toEqual(['sku-2', 'sku-1'])
    const stored = await next.profile()
    expect(stored.items.find((i) => i.id === 'sku-2')?.hovers).toBe(1)
  })

  it('is not part of the profile, nor of the export', async () => {
    await firstPage()
    const next = make()
    await next.ready
    const doc = JSON.parse(await next.export())
    expect(JSON.stringify(doc)).not.toContain('"startup"')
    expect(doc.visitor.key).toBe('visitor')
  })
})
