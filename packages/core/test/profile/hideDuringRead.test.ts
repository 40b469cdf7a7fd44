import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { holdStore, readStore, setVisibility, settle, useIdbFakeClock } from '../helpers'

// After starting from the start-up copy, a page reads the stores in idle time, in one readonly
// transaction that covers the journal. A page hiding during that read must not queue its journal
// write behind it: a closing page's read never finishes, and what waits on it is lost (measured
// in Chromium: 1 close in about 12 lost its change). The hide cancels the read.

type Entry = { outcomes: Array<{ goal: string; count: number }> }
const readJournal = async (dbName: string) => (await readStore(dbName, 'journal')) as Entry[]

let n = 0
const instances: Tacit[] = []
afterEach(() => {
  for (const t of instances.splice(0)) t.destroy()
  setVisibility('visible')
  vi.useRealTimers()
})
const make = (dbName: string) => {
  const t = createTacit({ dbName, consent: 'granted', onError: () => {} })
  instances.push(t)
  return t
}

describe('hiding the page while the stores are read after start-up', () => {
  it("cancels the read, so that the hide's journal write does not wait on it", async () => {
    const dbName = `tacit-hide-read-${++n}`
    // An earlier page leaves a start-up copy.
    const first = make(dbName)
    await first.ready
    first.track('signup')
    setVisibility('hidden')
    await settle(60)
    first.destroy()
    setVisibility('visible')

    useIdbFakeClock()
    const t = make(dbName)
    await t.ready // from the copy: the stores are read in idle time, right after
    // Another tab's transaction over `items` keeps that read waiting, as a busy disk would.
    const release = await holdStore(dbName, 'items')
    await vi.advanceTimersByTimeAsync(50) // the idle read starts
    await settle(30)
    t.track('purchase', 5)
    setVisibility('hidden')
    const journal = await Promise.race([readJournal(dbName), settle(200).then(() => 'still waiting' as const)])
    expect(journal).not.toBe('still waiting')
    expect((journal as Entry[]).flatMap((e) => e.outcomes)).toEqual(
      expect.arrayContaining([expect.objectContaining({ goal: 'purchase', count: 1 })]),
    )
    await release()
    await settle(60)
    // The page stayed: the read is made again, and nothing is counted twice.
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(50)
    await settle(60)
    expect((await t.profile()).outcomes).toEqual(
      expect.arrayContaining([expect.objectContaining({ goal: 'purchase', count: 1 }), expect.objectContaining({ goal: 'signup', count: 1 })]),
    )
  })
})
