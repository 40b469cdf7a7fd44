import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { encodeInterest } from '../../src/model/interests'
import type { ItemRecord } from '../../src/profile/schemas'
import { holdStore, setVisibility, settle, useIdbFakeClock } from '../helpers'
import { movePointer } from '../signals/pointer'

// A page that hides writes a start-up copy of the profile (one JSON string in localStorage); the
// next start-up decides from it without waiting for IndexedDB, and reads the stores in idle time
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

const copyKey = () => `tacit:${dbName}:startup`

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

/**
 * Makes the database take 50 ms (fake time) to open, longer than the way to ready: each open's
 * success reaches its listeners that late. `opened` says whether one has; `mockRestore()` ends it.
 */
const slowOpen = () => {
  const add = IDBOpenDBRequest.prototype.addEventListener
  const spy = vi.spyOn(IDBOpenDBRequest.prototype, 'addEventListener')
  const state = Object.assign(spy, { opened: false })
  spy.mockImplementation(function (this: IDBOpenDBRequest, type: string, fn: any, o?: any) {
    const late = type === 'success' && typeof fn === 'function' ? (e: Event) => setTimeout(() => ((state.opened = true), fn.call(this, e)), 50) : fn
    return add.call(this, type, late, o)
  })
  return state
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
  it('after a page hid, start-up decides from the copy, with no IndexedDB read on the way to ready', async () => {
    await firstPage()
    expect(localStorage.getItem(copyKey())).toContain('"sku-1"')
    let next!: Tacit
    const before = await transactionsDuring(async () => {
      next = make()
      await next.ready
    })
    expect(before).toEqual([])
    expect(order(next)).toEqual(['sku-1', 'sku-2'])
  })

  it('after a start from the copy, the database opens behind it: storage is IndexedDB, the journal is folded, changes are written', async () => {
    await firstPage()
    const slow = slowOpen()
    // Idle time comes when the test says (after the open, as in a browser that is busy starting up).
    const idle = new Map<number, () => void>()
    let ids = 0
    Object.assign(window, {
      requestIdleCallback: (cb: () => void) => (idle.set(++ids, cb), ids),
      cancelIdleCallback: (id: number) => idle.delete(id),
    })
    const runIdle = async () => {
      for (let round = 0; round < 5 && idle.size; round++) {
        const due = [...idle.values()]
        idle.clear()
        for (const cb of due) cb()
        await settle()
      }
    }
    let next!: Tacit
    try {
      next = make()
      await next.ready
      slow.mockRestore()
      expect(slow.opened).toBe(false)
      expect(next.storage).toBe('indexeddb')
      await vi.advanceTimersByTimeAsync(60) // the open
      await settle()
      expect(slow.opened).toBe(true)
      await runIdle() // the read of the stores, and the fold
    } finally {
      slow.mockRestore()
      delete (window as { requestIdleCallback?: unknown }).requestIdleCallback
      delete (window as { cancelIdleCallback?: unknown }).cancelIdleCallback
    }
    const journal = await new Promise<number>((resolve, reject) => {
      const req = indexedDB.open(dbName)
      req.onerror = () => reject(req.error)
      req.onsuccess = () => {
        const count = req.result.transaction('journal', 'readonly').objectStore('journal').count()
        count.onsuccess = () => {
          req.result.close()
          resolve(count.result)
        }
      }
    })
    expect(journal).toBe(0) // the entry the first page journalled when it hid is in the stores now
    next.track('signup')
    await vi.advanceTimersByTimeAsync(5_000) // the flush interval
    await settle()
    localStorage.removeItem(copyKey())
    const other = make() // another tab, with no copy: it reads the stores
    await other.ready
    expect((await other.profile()).outcomes).toContainEqual(expect.objectContaining({ goal: 'signup', count: 1 }))
  })

  it('a page destroyed (or set to pending) before the database opens still writes its changes, once it is open', async () => {
    for (const leave of [(t: Tacit) => t.destroy(), (t: Tacit) => t.setConsent('pending')]) {
      await firstPage()
      const slow = slowOpen()
      try {
        const next = make()
        await next.ready
        next.track('signup')
        leave(next) // a single-page app unmounts it at once, or the person withdraws consent
        expect(slow.opened).toBe(false)
      } finally {
        slow.mockRestore()
      }
      await vi.advanceTimersByTimeAsync(60)
      await settle()
      localStorage.removeItem(copyKey())
      const reader = make()
      await reader.ready
      expect((await reader.profile()).outcomes).toContainEqual(expect.objectContaining({ goal: 'signup', count: 1 }))
      reader.destroy()
    }
  })

  it('a page that hides and is then left writes the copy once, unless something changed between', async () => {
    await firstPage()
    const t = make()
    await t.ready
    await vi.advanceTimersByTimeAsync(10)
    await settle()
    t.track('signup')
    const setItem = vi.spyOn(localStorage, 'setItem')
    const copies = () => setItem.mock.calls.filter(([key]) => key === copyKey()).length
    try {
      // A tab closing: hidden first, then `pagehide` once the hide's write has committed.
      setVisibility('hidden')
      await settle()
      expect(copies()).toBe(1)
      window.dispatchEvent(new Event('pagehide'))
      await settle()
      expect(copies()).toBe(1)
      // Shown again, a change, hidden again: the copy is rewritten with it.
      setVisibility('visible')
      t.track('signup')
      setVisibility('hidden')
      await settle()
      expect(copies()).toBe(2)
      expect(JSON.parse(localStorage.getItem(copyKey())!).records.outcomes).toContainEqual(expect.objectContaining({ goal: 'signup', count: 2 }))
    } finally {
      setItem.mockRestore()
    }
  })

  it('where localStorage is blocked (access throws), start-up reads the stores and hiding throws nothing', async () => {
    await firstPage()
    const blocked = Object.getOwnPropertyDescriptor(window, 'localStorage')
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      },
    })
    try {
      const errors: unknown[] = []
      const t = createTacit({ dbName, consent: 'granted', onError: (e) => errors.push(e) })
      instances.push(t)
      const reads = await transactionsDuring(() => t.ready)
      expect(reads).toEqual([['decisions', 'funnels', 'items', 'journal', 'meta', 'models', 'outcomes', 'sessions', 'tags']])
      expect(order(t)).toEqual(['sku-1', 'sku-2'])
      t.track('signup')
      setVisibility('hidden')
      await settle()
      setVisibility('visible')
      await t.erase()
      expect(errors).toEqual([])
    } finally {
      if (blocked) Object.defineProperty(window, 'localStorage', blocked)
      else delete (window as { localStorage?: unknown }).localStorage
    }
  })

  it('a page with consent pending writes no copy; erase() and consent denied remove it', async () => {
    await firstPage()
    localStorage.removeItem(copyKey())
    const pending = createTacit({ dbName, consent: 'pending', onError: () => {} })
    instances.push(pending)
    await pending.ready
    pending.track('signup')
    setVisibility('hidden')
    await settle()
    setVisibility('visible')
    expect(localStorage.getItem(copyKey())).toBeNull()
    pending.destroy()

    await firstPage()
    const erasing = make()
    await erasing.ready
    await erasing.erase()
    expect(localStorage.getItem(copyKey())).toBeNull()
    erasing.destroy()

    await firstPage()
    const denying = make()
    await denying.ready
    denying.setConsent('denied')
    await settle()
    expect(localStorage.getItem(copyKey())).toBeNull()
  })

  it('what another tab stored after the copy was written comes in with the read of the stores after ready', async () => {
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
    const copy = JSON.parse(localStorage.getItem(copyKey())!)
    copy.records.items = [{ id: 'sku-2', dwellMs: 'lots' }, ...copy.records.items]
    localStorage.setItem(copyKey(), JSON.stringify(copy))
    const next = make()
    await next.ready
    expect(order(next)).toEqual(['sku-1', 'sku-2'])
    next.destroy()
    await settle() // its last write (it waited for the database to open)

    for (const malformed of [JSON.stringify({ t: Date.now(), records: 'not records' }), '{"t":', 'null']) {
      localStorage.setItem(copyKey(), malformed)
      let last!: Tacit
      const reads = await transactionsDuring(async () => {
        last = make()
        await last.ready
      })
      expect(reads).toEqual([['decisions', 'funnels', 'items', 'journal', 'meta', 'models', 'outcomes', 'sessions', 'tags']])
      expect(order(last)).toEqual(['sku-1', 'sku-2'])
      last.destroy()
      await settle()
    }
    const last = make()
    await last.ready
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
    movePointer(two, null)
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
