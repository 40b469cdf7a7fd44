import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import type { Tacit } from '../../src/api/types'
import { Persistence } from '../../src/profile/persistence'
import { html, settle } from '../helpers'

// After a write of model changes, a tab reads the stored models back only when another tab may
// have added its own changes to them (modelMerge.ts adds them up in the write). Other tabs say so
// over BroadcastChannel (Node has one, shared by every channel of a name in the process, like the
// tabs of one site); without a channel, every write is read back.

let n = 0
const instances: Tacit[] = []
afterEach(async () => {
  for (const t of instances.splice(0)) t.destroy()
  vi.restoreAllMocks()
  await settle()
})

const setup = () => {
  html('<button id="b">b</button>')
  const dbName = `tacit-readback-${++n}`
  const make = () => {
    const t = createTacit({ dbName, consent: 'granted', flushIntervalMs: 10, onError: () => {} })
    instances.push(t)
    return t
  }
  const reads = vi.spyOn(Persistence.prototype, 'readModels')
  return { make, reads }
}

/**
 * A decision rewarded, and the change to that slot's posterior written (profile() flushes). A new
 * slot each time: the tabs of a test share one session, where a slot's decision is sticky and is
 * rewarded once.
 */
let slots = 0
const learn = async (t: Tacit) => {
  t.decide(`slot-${++slots}`, ['a', 'b'])
  expect(t.reward(`slot-${slots}`, 1)).toBe(true)
  await t.profile()
  await settle()
}

describe('reading models back after a write', () => {
  it('a tab alone does not read back what it wrote; after another tab writes, it does, once', async () => {
    const { make, reads } = setup()
    const a = make()
    await a.ready
    await learn(a)
    await learn(a)
    expect(reads).not.toHaveBeenCalled()

    const b = make()
    await b.ready
    await learn(b) // B writes and tells A, which adopts the stored models at once
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(1))
    const byA = reads.mock.contexts[0] // A's storage; every call below that is not A's is B's
    const readsOfA = () => reads.mock.contexts.filter((c) => c === byA).length

    await learn(a) // B wrote since A last read back: A reads back after its own write (B is told)
    expect(readsOfA()).toBe(2)
    await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(3))
    await learn(a) // B has written nothing since
    expect(readsOfA()).toBe(2)
  })

  it('without BroadcastChannel every model write is read back', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    try {
      const { make, reads } = setup()
      const a = make()
      await a.ready
      await learn(a)
      expect(reads).toHaveBeenCalledTimes(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
