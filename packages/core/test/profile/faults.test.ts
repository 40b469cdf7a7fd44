import { createTacit, TacitError, type Tacit, type TacitOptions } from '@tacit/core'
import { openDB } from 'idb'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setVisibility, settle, useIdbFakeClock } from '../helpers'

/**
 * Storage faults seen from the page (fake-indexeddb): whatever IndexedDB does, decide/rank/predict
 * keep working, nothing is thrown, the fault is reported once, the changes are kept in memory and
 * saved once storage is back. Faults that need a real browser are in
 * packages/browser/test/storageFaults.browser.test.ts.
 */

let n = 0
let dbName = ''
let errors: unknown[] = []
const instances: Tacit[] = []

const make = (o: TacitOptions = {}): Tacit => {
  const t = createTacit({ dbName, consent: 'granted', onError: (e) => errors.push(e), ...o })
  instances.push(t)
  return t
}

/** Fake timers that leave setImmediate alone: fake-indexeddb schedules its work with it. */
const fakeClock = () => useIdbFakeClock(Date.UTC(2026, 2, 1, 12))


/**
 * Moves the fake clock forward a second at a time, letting IndexedDB work in between, until
 * `check` holds. Fails after `maxMs` of fake time (retries are at most a minute apart).
 */
const until = async (check: () => boolean | Promise<boolean>, maxMs = 3 * 60_000) => {
  for (let t = 0; t <= maxMs; t += 1000) {
    await settle()
    if (await check()) return
    await vi.advanceTimersByTimeAsync(1000)
  }
  throw new Error(`not reached within ${maxMs / 1000} s of fake time: ${check.toString()}`)
}

/**
 * Lets `ms` of fake time pass a second at a time, with IndexedDB work in between (one big jump
 * would fire the open timeout before fake-indexeddb could answer, which no real page sees).
 */
const pass = async (ms: number) => {
  for (let t = 0; t < ms; t += 1000) {
    await vi.advanceTimersByTimeAsync(1000)
    await settle()
  }
}

const dbExists = async () => (await indexedDB.databases()).some((d) => d.name === dbName)

type Outcome = { goal: string; count: number }

/**
 * Everything stored, read with a connection of its own as another tab would (null: no database):
 * the goals of the `outcomes` store and those journalled (a periodic write journals them).
 */
const stored = async (): Promise<{ version: number; outcomes: Outcome[] } | null> => {
  if (!(await dbExists())) return null
  const db = await openDB(dbName)
  try {
    const has = (name: string) => db.objectStoreNames.contains(name)
    const journal: Array<{ outcomes: Outcome[] }> = has('journal') ? await db.getAll('journal') : []
    return { version: db.version, outcomes: [...(has('outcomes') ? await db.getAll('outcomes') : []), ...journal.flatMap((e) => e.outcomes)] }
  } finally {
    db.close()
  }
}
const savedCount = async (goal: string) =>
  ((await stored())?.outcomes ?? []).filter((o) => o.goal === goal).reduce((sum, o) => sum + o.count, 0)

const deleteDatabase = (name: string) =>
  new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name)
    req.onsuccess = () => resolve()
    req.onerror = () => reject(req.error)
  })

/** The fault was reported exactly once, as a TacitError saying what happened and what Tacit does. */
const expectOneFault = (what: RegExp, causeName?: string) => {
  expect(errors).toHaveLength(1)
  const error = errors[0] as TacitError
  expect(error).toBeInstanceOf(TacitError)
  expect(error.message).toMatch(what)
  expect(error.message).toMatch(/keeps working from memory, keeps the unsaved changes there and tries storage again/)
  if (causeName) expect(error.cause).toMatchObject({ name: causeName })
}

/** What a page relies on: decide, rank and predict answer, and throw nothing. */
const expectServing = (t: Tacit) => {
  expect(['a', 'b']).toContain(t.decide('hero', ['a', 'b']).variant)
  expect(t.reward('hero', 1)).toBe(true)
  const items = [{ id: 'x', tags: ['premium'] }, { id: 'y' }]
  expect(t.rank(items).map((i) => i.id).sort()).toEqual(['x', 'y'])
  const p = t.predict()
  for (const v of [p.convert, p.dropOff]) {
    expect(v).toBeGreaterThanOrEqual(0)
    expect(v).toBeLessThanOrEqual(1)
  }
}

beforeEach(() => {
  dbName = `tacit-faults-${++n}`
  errors = []
})

afterEach(async () => {
  vi.restoreAllMocks()
  vi.useRealTimers()
  for (const t of instances.splice(0)) t.destroy()
  await settle()
  await deleteDatabase(dbName)
})

describe('storage faults', () => {
  it('IndexedDB missing: serves from memory, reports once, and saves everything once IndexedDB appears', async () => {
    fakeClock()
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!
    delete (globalThis as { indexedDB?: IDBFactory }).indexedDB
    let t: Tacit
    try {
      t = make()
      await t.ready
      expect(t.storage).toBe('memory')
      t.track('signup')
      expectServing(t)
      await pass(10 * 60_000) // ten minutes of retries
      t.track('signup')
      expect((await t.profile()).outcomes[0].count).toBe(2)
      expectOneFault(/IndexedDB is not available/)
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', saved)
    }
    await until(async () => (await savedCount('signup')) === 2)
    expect(t.storage).toBe('indexeddb')
    expect(errors).toHaveLength(1)
  })

  it('open() fails with an error event: memory, one report with the cause, then recovery when the open succeeds', async () => {
    // A newer version of the database than this build knows: open() fires `error` (VersionError).
    ;(await openDB(dbName, 99)).close()
    fakeClock()
    const t = make()
    await t.ready
    expect(t.storage).toBe('memory')
    expectOneFault(/IndexedDB could not be opened/, 'VersionError')
    t.track('signup')
    expectServing(t)
    await pass(5 * 60_000)
    t.track('signup')
    expect(errors).toHaveLength(1)

    await deleteDatabase(dbName) // storage comes back
    await until(async () => (await savedCount('signup')) === 2)
    expect(t.storage).toBe('indexeddb')
    expect((await stored())!.version).toBe(2)
    expect(errors).toHaveLength(1)
  })

  it('an upgrade blocked by a tab on an older version: ready resolves after a bounded wait, memory, then saved once that tab closes', async () => {
    // Another tab runs an older build (version 1) and ignores versionchange.
    const oldTab = await openDB(dbName, 1)
    fakeClock()
    const t = make()
    let ready = false
    void t.ready.then(() => (ready = true))
    expect(['a', 'b']).toContain(t.decide('hero', ['a', 'b']).variant) // before ready: the default, never blocking
    await until(() => ready, 10_000)
    expect(t.storage).toBe('memory')
    expectOneFault(/blocked for 3000 ms by another tab holding an older version \(close or reload the other tabs\)/)
    t.track('signup')
    expectServing(t)
    // Still blocked: retries fail quietly, and storage says memory throughout, also while a retry
    // is opening the database.
    for (let i = 0; i < 20; i++) {
      await pass(15_000)
      expect(t.storage).toBe('memory')
    }
    t.track('signup')
    expect(t.storage).toBe('memory')
    expect(errors).toHaveLength(1)

    oldTab.close()
    await until(() => t.storage === 'indexeddb')
    await until(async () => (await savedCount('signup')) === 2)
    expect((await stored())!.version).toBe(2)
    expect(errors).toHaveLength(1)
  })

  it('QuotaExceededError on write: one report, changes kept in memory, written with nothing lost when space is back', async () => {
    fakeClock()
    const t = make()
    await t.ready
    t.track('buy')
    await t.profile()
    expect(await savedCount('buy')).toBe(1)

    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
    // Writes put model changes and add the rest to the journal.
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(full)
    const add = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(full)
    for (let i = 0; i < 5; i++) t.track('buy')
    await until(() => t.storage === 'memory')
    expectOneFault(/storage quota of this site is full/, 'QuotaExceededError')
    expectServing(t)
    for (let i = 0; i < 5; i++) t.track('buy')
    await pass(5 * 60_000) // each retry reopens, and the write fails again
    expect(add).toHaveBeenCalled()
    expect(errors).toHaveLength(1)
    expect(await savedCount('buy')).toBe(1)
    expect((await t.profile()).outcomes[0].count).toBe(11)

    put.mockRestore()
    add.mockRestore()
    await until(async () => (await savedCount('buy')) === 11)
    expect(t.storage).toBe('indexeddb')
    expect(errors).toHaveLength(1)
  })

  it('an aborted transaction: one report, and the aborted changes are written by a later transaction', async () => {
    fakeClock()
    const t = make()
    await t.ready
    let abort = true
    // Writes put model changes and add the rest to the journal: either aborts the transaction.
    const aborting = (method: 'put' | 'add') => {
      const original = IDBObjectStore.prototype[method]
      return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const req = original.apply(this, args)
        if (abort) this.transaction.abort()
        return req
      })
    }
    const spies = [aborting('put'), aborting('add')]
    for (let i = 0; i < 3; i++) t.track('buy')
    await until(() => errors.length > 0)
    expectOneFault(/A write to IndexedDB was aborted/, 'AbortError')
    expectServing(t)
    t.track('buy')
    await pass(2 * 60_000)
    expect(errors).toHaveLength(1)
    expect(await savedCount('buy')).toBe(0)

    abort = false
    await until(async () => (await savedCount('buy')) === 4)
    spies.forEach((spy) => spy.mockRestore())
    expect(errors).toHaveLength(1)
  })

  it('the database deleted by another tab mid-session: recreated, and every change not yet saved is written', async () => {
    fakeClock()
    const t = make()
    await t.ready
    await pass(3000) // start-up done, the journal folded: the fault below is met by a write
    t.track('before')
    await t.profile()
    expect(await savedCount('before')).toBe(1)

    // Not blocked: Tacit closes its connection on versionchange so that the delete can proceed.
    await deleteDatabase(dbName)
    expect(await dbExists()).toBe(false)
    t.track('after')
    t.track('after')
    expectServing(t)
    await until(() => errors.length > 0) // seen by the next write
    expectOneFault(/closed or deleted/)
    await until(async () => (await savedCount('after')) === 2)
    expect(t.storage).toBe('indexeddb')
    // What the other tab deleted stays deleted; memory agrees with the database.
    expect(await savedCount('before')).toBe(0)
    expect((await t.profile()).outcomes.map((o) => [o.goal, o.count])).toEqual([['after', 2]])
    expect(errors).toHaveLength(1)
  })

  it('two kinds of fault are two reports, each once', async () => {
    fakeClock()
    const t = make()
    await t.ready
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
    const spies = [vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(full), vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(full)]
    t.track('buy')
    await until(() => errors.length === 1)
    spies.forEach((spy) => spy.mockRestore())
    await until(async () => (await savedCount('buy')) === 1)
    await deleteDatabase(dbName)
    t.track('buy')
    await until(async () => (await savedCount('buy')) === 1 && t.storage === 'indexeddb' && errors.length === 2)
    await pass(60_000)
    expect((errors as Error[]).map((e) => e.message.split('.')[0])).toEqual([
      'The storage quota of this site is full (free some site storage, or lower `recentSignals` or `retentionDays`)',
      'The profile database was closed or deleted (by another tab, or by the browser clearing site data)',
    ])
  })
})

describe('when retries happen', () => {
  it('after 1 s, then doubling up to a minute, and at once when the page hides', async () => {
    fakeClock()
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!
    const opens: number[] = []
    const start = Date.now()
    let t: Tacit
    // Every open attempt is seen; none succeeds while this getter returns undefined.
    let available = false
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get: () => {
        opens.push(Date.now() - start)
        return available ? saved.value : undefined
      },
    })
    try {
      t = make()
      await t.ready
      t.track('signup')
      await pass(4 * 60_000)
      const gaps = opens.slice(1).map((at, i) => at - opens[i])
      expect(gaps.slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000])

      available = true
      setVisibility('hidden') // the page may be closing: no waiting for the next retry
      await settle(200)
      expect(Date.now() - start).toBe(4 * 60_000) // no fake time passed
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', saved)
    }
    expect(await savedCount('signup')).toBe(1)
    expect(t.storage).toBe('indexeddb')
  })

  it('consent withdrawn while storage is down stops the retries: no database appears later', async () => {
    fakeClock()
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')!
    delete (globalThis as { indexedDB?: IDBFactory }).indexedDB
    try {
      const t = make()
      await t.ready
      t.track('signup')
      t.setConsent('pending')
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', saved)
    }
    await pass(5 * 60_000)
    await settle()
    expect(await dbExists()).toBe(false)
  })
})

describe('erase without a live connection', () => {
  it('erase() while storage is down still deletes the database, and nothing recreates it', async () => {
    fakeClock()
    const t = make()
    await t.ready
    t.track('buy')
    await t.profile()
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    t.track('buy')
    await until(() => t.storage === 'memory')
    put.mockRestore()
    await t.erase()
    expect(await dbExists()).toBe(false)
    expect((await t.profile()).outcomes).toEqual([])
    await pass(5 * 60_000)
    await settle()
    expect(await dbExists()).toBe(false)
  })

  it('erase() with consent pending deletes the profile an earlier visit stored', async () => {
    const earlier = make()
    await earlier.ready
    earlier.track('buy')
    await earlier.profile()
    earlier.destroy()
    await settle()
    expect(await dbExists()).toBe(true)
    const t = make({ consent: 'pending' })
    await t.ready
    await t.erase()
    expect(await dbExists()).toBe(false)
    expect(errors).toEqual([])
  })
})
