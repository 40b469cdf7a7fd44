import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { holdStore, setVisibility, settle, useIdbFakeClock } from '../helpers'

// A page can hide (and close) while a regular write is still reading what it merges into. In a
// real browser that transaction is aborted with the page and its changes would be lost; so on
// hide Tacit cancels a write that has not committed and journals its delta with the rest.

const readStore = (dbName: string, store: string) =>
  new Promise<unknown[]>((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const get = db.transaction(store, 'readonly').objectStore(store).getAll()
      get.onsuccess = () => {
        db.close()
        resolve(get.result)
      }
      get.onerror = () => reject(get.error)
    }
  })

let n = 0
const instances: Tacit[] = []
afterEach(() => {
  for (const t of instances.splice(0)) t.destroy()
  setVisibility('visible')
  vi.useRealTimers()
})

const start = async ({ blocked = false } = {}) => {
  useIdbFakeClock()
  const dbName = `tacit-hide-write-${++n}`
  const t = createTacit({ dbName, consent: 'granted', onError: () => {} })
  instances.push(t)
  await t.ready
  await settle()
  // Another connection's transaction over `outcomes` makes the write wait: it has started and
  // cannot commit before the page hides, however the event loop interleaves.
  const release = blocked ? await holdStore(dbName, 'outcomes') : async () => {}
  t.track('purchase', 5)
  // The flush timer fires and the write starts.
  await vi.advanceTimersByTimeAsync(5000)
  return { t, dbName, release }
}
const reload = async (dbName: string) => {
  vi.useRealTimers()
  const next = createTacit({ dbName, consent: 'granted', onError: () => {} })
  instances.push(next)
  await next.ready
  return (await next.profile()).outcomes
}
const journalled = async (dbName: string) =>
  ((await readStore(dbName, 'journal')) as Array<{ outcomes: Array<{ goal: string }> }>).flatMap((e) => e.outcomes)

describe('hiding the page while a write is under way', () => {
  it('moves the unfinished write to the journal: counted exactly once, whether or not the page survives', async () => {
    const { t, dbName, release } = await start({ blocked: true })
    setVisibility('hidden') // the page goes away before the write commits
    await settle(60)
    await release()
    await settle(60)
    expect(await journalled(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
    expect(await readStore(dbName, 'outcomes')).toEqual([]) // the cancelled write did not commit
    t.destroy()
    expect(await reload(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
  })

  it('a write that already committed is not journalled again (no double count)', async () => {
    const { t, dbName } = await start()
    await settle(60) // the write commits
    setVisibility('hidden')
    await settle(60)
    expect(await journalled(dbName)).toEqual([])
    t.destroy()
    expect(await reload(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
  })

  // In Chromium, a write that already asked to commit (too late to cancel) may still be dropped
  // when its tab closes: seen in about 1 such write in 5 when closing 25 tabs right after a
  // change. Its delta gets a journal entry of its own that counts only if the write's marker is
  // not stored: counted once whether or not the write finishes.
  const committing = async () => {
    const { t, dbName, release } = await start({ blocked: true })
    const real = IDBTransaction.prototype.abort
    let write: IDBTransaction | undefined
    // As Chromium answers for a transaction that is committing.
    const abort = vi.spyOn(IDBTransaction.prototype, 'abort').mockImplementation(function (this: IDBTransaction) {
      write ??= this
      throw new DOMException('The transaction has finished.', 'InvalidStateError')
    })
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide')) // the second hide of a closing page
    abort.mockRestore()
    expect(write).toBeDefined()
    return { t, dbName, release, write: write!, real }
  }
  const entries = async (dbName: string) => (await readStore(dbName, 'journal')) as Array<{ unless?: string; outcomes: Array<{ goal: string }> }>

  it('a write too far along to cancel that then commits: its entry does not count (no double count)', async () => {
    const { t, dbName, release } = await committing()
    await release()
    await settle(60)
    // An entry for each write under way, made once although the page hid twice, naming the write.
    const unsure = (await entries(dbName)).filter((e) => e.unless)
    expect(unsure.flatMap((e) => e.outcomes)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
    expect(new Set(unsure.map((e) => e.unless)).size).toBe(unsure.length)
    expect(await readStore(dbName, 'outcomes')).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
    t.destroy()
    expect(await reload(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
    await settle(60) // the fold: the stores still hold it once
    expect(await readStore(dbName, 'outcomes')).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
  })

  it('a write too far along to cancel that never commits (its tab closed): its entry counts', async () => {
    const { t, dbName, release, write, real } = await committing()
    t.destroy() // the page is gone: nothing of it runs any more
    real.call(write) // and the browser drops the write
    await release()
    await settle(60)
    expect(await readStore(dbName, 'outcomes')).toEqual([])
    expect(await reload(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
    await settle(60)
    expect(await readStore(dbName, 'outcomes')).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
  })

  it('a write too far along to cancel, when the journal write fails too and the page stays: nothing lost, nothing doubled', async () => {
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    const { t, dbName, release, write, real } = await committing()
    await settle(10) // the hide's journal write has failed
    add.mockRestore()
    real.call(write) // and then the write fails as well
    await release()
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1000) // storage is reopened and what was kept is written
      await settle(60)
    }
    expect(await readStore(dbName, 'outcomes')).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
    t.destroy()
    expect(await reload(dbName)).toEqual([expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 5 })])
  })
})
