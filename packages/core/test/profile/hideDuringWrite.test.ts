import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { holdStore, readStore, setVisibility, settle, useIdbFakeClock } from '../helpers'

// A page can hide (and close) while a regular write is still reading what it merges into. In a
// real browser that transaction is aborted with the page and its changes would be lost; so on
// hide Tacit cancels a write that has not committed and journals its delta with the rest.

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
})
