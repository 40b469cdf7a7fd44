import { deleteDB, openDB, type IDBPDatabase, type IDBPTransaction } from 'idb'
import * as z from 'zod/mini'
import { clearTimer, getIndexedDB, now as clock, setTimer } from '../env'
import { TacitError } from '../errors'
import { StorageFault, toFault } from './faults'
import { mergeModel, storedModel } from './modelMerge'
import { applyDelta, mergeFunnel, mergeItem, mergeNewer, mergeOutcome, mergeSession, mergeTag, mergeVisitor } from './merge'
import { DB_VERSION, JOURNAL_STORE, JournalRecord, ModelRecord, RING_STORE, SignalRecord, STORES } from './schemas'
import { emptyData, emptyDelta, type LoadResult, type ProfileDelta, type ProfileStore } from './types'

/** Options of {@link openIdbStore}. */
export interface IdbStoreOptions {
  /** Name of the IndexedDB database. */
  dbName: string
  /** Records not touched for this many days are deleted by `load()`. */
  retentionDays: number
  /** How many recent signals the ring keeps; older ones are deleted on write. */
  recentSignals: number
  /** Clock for retention, epoch ms. Defaults to `now()` from env. */
  now?: () => number
  /**
   * How long opening may take, blocked by another tab included, before `openIdbStore` rejects
   * and the caller falls back to memory. Default 3000 ms.
   */
  openTimeoutMs?: number
  /**
   * Called for each record of a delta that fails its schema. That record is not written (the
   * stored one stays as it was); the rest of the write commits, so a bad record never blocks
   * the profile from persisting.
   */
  onInvalid?: (error: TacitError) => void
}

type KeyedStore = keyof typeof STORES
type StoreName = KeyedStore | typeof RING_STORE
type AnyStore = StoreName | typeof JOURNAL_STORE
type Tx = IDBPTransaction<unknown, AnyStore[], 'readwrite'>
type OnInvalid = (error: TacitError) => void

const KEYED = Object.keys(STORES) as KeyedStore[]
const ALL: StoreName[] = [...KEYED, RING_STORE]
const DAY_MS = 86_400_000

/** The field retention looks at: when the record was last touched. */
const AGE_FIELD: Record<StoreName, string> = {
  items: 'updatedAt',
  tags: 'updatedAt',
  sessions: 'lastActive',
  funnels: 'updatedAt',
  outcomes: 'updatedAt',
  // The visitor record outlives sessions; it goes only when the person has not been seen.
  meta: 'lastSeen',
  models: 'updatedAt',
  decisions: 'updatedAt',
  [RING_STORE]: 't',
}

const schemaOf = (name: StoreName) => (name === RING_STORE ? SignalRecord : STORES[name].schema)

type Verdict = { ok: true; record: object } | { ok: false; expired: boolean }

/** Validates a stored value and checks its age; `record` is the parsed (clean) copy. */
const judge = (name: StoreName, value: unknown, cutoff: number): Verdict => {
  const parsed = z.safeParse(schemaOf(name), value)
  if (!parsed.success) return { ok: false, expired: false }
  const record: object = parsed.data
  const touched = (record as Record<string, number>)[AGE_FIELD[name]]
  return touched < cutoff ? { ok: false, expired: true } : { ok: true, record }
}

const writeError = (e: unknown): StorageFault => toFault(e, 'abort')

const upgrade = (db: IDBPDatabase): void => {
  // Created one by one so a later DB_VERSION only adds what is missing.
  for (const name of KEYED)
    if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: STORES[name].keyPath })
  if (!db.objectStoreNames.contains(RING_STORE)) db.createObjectStore(RING_STORE, { autoIncrement: true })
  if (!db.objectStoreNames.contains(JOURNAL_STORE)) db.createObjectStore(JOURNAL_STORE, { autoIncrement: true })
}

/** Opens the database, or rejects if it is missing, fails, or takes longer than `timeoutMs`. */
const openDatabase = (name: string, timeoutMs: number, onLost: (raw?: IDBDatabase) => void): Promise<IDBPDatabase> => {
  if (!getIndexedDB()) return Promise.reject(new StorageFault('missing'))
  return new Promise((resolve, reject) => {
    let settled = false
    let blocked = false
    const timer = setTimer(() => {
      settled = true
      // Both are the same fault for the page: another connection holds the database.
      reject(
        new StorageFault(
          'blocked',
          undefined,
          blocked
            ? `Opening IndexedDB "${name}" was blocked for ${timeoutMs} ms by another tab holding an older version (close or reload the other tabs).`
            : `Opening IndexedDB "${name}" did not finish within ${timeoutMs} ms.`,
        ),
      )
    }, timeoutMs)
    let pending: Promise<IDBPDatabase>
    try {
      pending = openDB(name, DB_VERSION, {
        upgrade,
        blocked: () => {
          blocked = true
        },
        // Close at once on versionchange so another tab can upgrade or delete the database.
        blocking: (_current, _next, event) => onLost(event.target as IDBDatabase),
        terminated: () => onLost(),
      })
    } catch (e) {
      pending = Promise.reject(e)
    }
    pending.then(
      (db) => {
        // Opened after we gave up: close it, or it would block other tabs forever.
        if (settled) return db.close()
        settled = true
        clearTimer(timer)
        resolve(db)
      },
      (e: unknown) => {
        if (settled) return
        settled = true
        clearTimer(timer)
        reject(toFault(e, 'open'))
      },
    )
  })
}

/**
 * Gets the stored record of each key, merges the delta in and puts the result, inside `tx`.
 * Records of the same key in one delta are merged first, so none overwrites another.
 */
const upsert = <T extends object>(
  tx: Tx,
  name: KeyedStore,
  records: readonly T[],
  merge: (a: T | undefined, d: T) => T,
  onInvalid: OnInvalid,
  /** The stored form of a merged record (models drop the base of their change). */
  stored: (r: T) => T = (r) => r,
): Promise<unknown>[] => {
  const store = tx.objectStore(name)
  const schema = STORES[name].schema
  const keyPath = STORES[name].keyPath
  const byKey = new Map<string, T>()
  for (const r of records) {
    const key = (r as Record<string, string>)[keyPath]
    byKey.set(key, merge(byKey.get(key), r))
  }
  return [...byKey].map(async ([key, d]) => {
    // A corrupt stored record is replaced rather than merged into.
    const current = z.safeParse(schema, await store.get(key))
    const next = stored(merge(current.success ? (current.data as T) : undefined, d))
    if (z.safeParse(schema, next).success) await store.put(next)
    else onInvalid(new TacitError(`Tacit did not store the ${name} record "${key}": it fails its schema (a value out of range, too long or not finite).`))
  })
}

/** Appends to the ring, then deletes the oldest entries beyond `keep`. */
const appendRing = async (tx: Tx, signals: readonly SignalRecord[], keep: number, onInvalid: OnInvalid): Promise<void> => {
  const ring = tx.objectStore(RING_STORE)
  const valid = signals.filter((s) => {
    const ok = z.safeParse(SignalRecord, s).success
    if (!ok) onInvalid(new TacitError(`Tacit did not store a "${s.type}" signal: it fails its schema (a value out of range, too long or not finite).`))
    return ok
  })
  const adds = valid.map((s) => ring.add(s))
  // Requests run in order within a transaction, so the count includes the additions. Awaited
  // together, so no request is left rejecting unhandled when the transaction aborts.
  const [size] = await Promise.all([ring.count(), ...adds])
  if (size <= keep) return
  const oldest = await ring.getAllKeys(null, size - keep)
  await Promise.all(oldest.map((k) => ring.delete(k)))
}

/** The stores a delta writes to. */
const storesOf = (delta: ProfileDelta): AnyStore[] => {
  const names: AnyStore[] = []
  if (delta.items.length) names.push('items')
  if (delta.tags.length) names.push('tags')
  if (delta.sessions.length) names.push('sessions')
  if (delta.funnels.length) names.push('funnels')
  if (delta.outcomes.length) names.push('outcomes')
  if (delta.visitor) names.push('meta')
  if (delta.models.length) names.push('models')
  if (delta.decisions.length) names.push('decisions')
  if (delta.signals.length) names.push(RING_STORE)
  return names
}

/** Merges every record of `delta` into the stores, inside `tx`; resolves when `tx` commits. */
const writeInto = (tx: Tx, delta: ProfileDelta, recentSignals: number, onInvalid: OnInvalid): Promise<unknown>[] => {
  const ops: Promise<unknown>[] = []
  const add = <T extends object>(name: KeyedStore, records: readonly T[], merge: (a: T | undefined, d: T) => T, stored?: (r: T) => T) => {
    if (records.length) ops.push(...upsert(tx, name, records, merge, onInvalid, stored))
  }
  add('items', delta.items, mergeItem)
  add('tags', delta.tags, mergeTag)
  add('sessions', delta.sessions, mergeSession)
  add('funnels', delta.funnels, mergeFunnel)
  add('outcomes', delta.outcomes, mergeOutcome)
  add('meta', delta.visitor ? [delta.visitor] : [], mergeVisitor)
  add('models', delta.models, mergeModel, storedModel)
  add('decisions', delta.decisions, mergeNewer)
  if (delta.signals.length) ops.push(appendRing(tx, delta.signals, recentSignals, onInvalid))
  return ops
}

/** Concatenates journal entries into one delta (the merge functions then fold duplicates). */
const combine = (entries: readonly JournalRecord[]): ProfileDelta => {
  const out = emptyDelta()
  for (const e of entries) {
    out.items.push(...e.items)
    out.tags.push(...e.tags)
    out.sessions.push(...e.sessions)
    out.funnels.push(...e.funnels)
    out.outcomes.push(...e.outcomes)
    if (e.visitor) out.visitor = out.visitor ? mergeVisitor(out.visitor, e.visitor) : e.visitor
    out.signals.push(...e.signals)
    out.models.push(...e.models)
    out.decisions.push(...e.decisions)
  }
  return out
}

const abort = (tx: Tx): void => {
  try {
    tx.abort()
  } catch {
    // Already finished or aborted.
  }
}

/**
 * The profile store over IndexedDB (through `idb`). Resolves once the database is open; rejects
 * with a {@link StorageFault} when IndexedDB is missing, the open fails, or it stays blocked by
 * another tab for `openTimeoutMs`, so the caller can fall back to `memoryStore()`.
 *
 * When another tab upgrades or deletes the database, or the browser closes the connection, this
 * store closes itself and later calls reject with a `closed` fault; every failed call rejects
 * with a `StorageFault` saying what happened (`Persistence` then reopens).
 */
export const openIdbStore = async (opts: IdbStoreOptions): Promise<ProfileStore> => {
  const { dbName, retentionDays, recentSignals, now = clock, openTimeoutMs = 3000 } = opts
  const onInvalid: OnInvalid = (error) => {
    try {
      opts.onInvalid?.(error)
    } catch {
      // A faulty callback must not abort the write.
    }
  }
  let db: IDBPDatabase | undefined
  const shut = (): void => {
    db?.close()
    db = undefined
  }
  const opened = await openDatabase(dbName, openTimeoutMs, (raw) => {
    raw?.close()
    shut()
  })
  db = opened
  const live = (): IDBPDatabase => {
    if (!db) throw new StorageFault('closed')
    return db
  }

  const runInto = async (tx: Tx, delta: ProfileDelta): Promise<void> => {
    const all = Promise.all(writeInto(tx, delta, recentSignals, onInvalid)).catch((e: unknown) => {
      abort(tx)
      throw e
    })
    try {
      await Promise.all([all, tx.done])
    } catch (e) {
      throw writeError(e)
    }
  }

  /**
   * Folds the journal (deltas appended on page hide, without reading) into the stores, in one
   * readwrite transaction, so two tabs starting at once cannot fold the same entry twice.
   * Returns how many entries failed their schema.
   */
  const compact = async (): Promise<number> => {
    const tx = live().transaction([...ALL, JOURNAL_STORE], 'readwrite') as Tx
    const journal = tx.objectStore(JOURNAL_STORE)
    const [keys, values] = await Promise.all([journal.getAllKeys(), journal.getAll()])
    if (!keys.length) {
      await tx.done
      return 0
    }
    const valid: JournalRecord[] = []
    for (const v of values) {
      const parsed = z.safeParse(JournalRecord, v)
      if (parsed.success) valid.push(parsed.data)
    }
    const deletes = keys.map((k) => journal.delete(k))
    const ops = [...writeInto(tx, combine(valid), recentSignals, onInvalid), ...deletes]
    const all = Promise.all(ops).catch((e: unknown) => {
      abort(tx)
      throw e
    })
    await Promise.all([all, tx.done])
    return values.length - valid.length
  }

  return {
    kind: 'indexeddb',

    async load(): Promise<LoadResult> {
      const conn = live()
      const cutoff = now() - retentionDays * DAY_MS
      const data = emptyData()
      const stale: Array<[StoreName, IDBValidKey]> = []
      let dropped = 0
      let expired = 0
      try {
        const tx = conn.transaction([...ALL, JOURNAL_STORE], 'readonly')
        const [snapshot, journal] = await Promise.all([
          Promise.all(
            ALL.map(async (name) => {
              const store = tx.objectStore(name)
              const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()])
              return { name, keys, values }
            }),
          ),
          tx.objectStore(JOURNAL_STORE).getAll(),
          tx.done,
        ])
        for (const { name, keys, values } of snapshot) {
          values.forEach((value, i) => {
            const v = judge(name, value, cutoff)
            if (!v.ok) {
              stale.push([name, keys[i]])
              if (v.expired) expired++
              else dropped++
            } else if (name === RING_STORE) data.signals.push(v.record as SignalRecord)
            else if (name === 'meta') data.visitor = v.record as typeof data.visitor
            else (data[name] as Record<string, object>)[String(keys[i])] = v.record
          })
        }
        // A ring longer than `recentSignals` (the option was lowered, or a write stopped before
        // trimming) keeps its newest entries; the next write trims the store itself.
        data.signals.splice(0, data.signals.length - recentSignals)
        // Deltas journalled on page hide count now; `compact()` folds them into the stores later,
        // after start-up, so the read-write transaction is not on the way to `ready`.
        const valid: JournalRecord[] = []
        for (const value of journal) {
          const parsed = z.safeParse(JournalRecord, value)
          if (parsed.success) valid.push(parsed.data)
          else dropped++
        }
        if (valid.length) applyDelta(data, combine(valid), recentSignals)
        if (stale.length) {
          const names = [...new Set(stale.map(([name]) => name))]
          const rw = conn.transaction(names, 'readwrite')
          // Another tab may have refreshed a record since the snapshot: judge it again before deleting.
          const deletes = stale.map(async ([name, key]) => {
            const store = rw.objectStore(name)
            const value = await store.get(key)
            if (value !== undefined && !judge(name, value, cutoff).ok) await store.delete(key)
          })
          await Promise.all([...deletes, rw.done])
        }
      } catch (e) {
        throw toFault(e, 'read')
      }
      return { data, dropped, expired }
    },

    async readModels(): Promise<ModelRecord[]> {
      try {
        const values: unknown[] = await live().transaction('models', 'readonly').objectStore('models').getAll()
        return values.flatMap((v) => {
          const r = z.safeParse(ModelRecord, v)
          return r.success ? [r.data] : []
        })
      } catch (e) {
        throw toFault(e, 'read')
      }
    },

    async compact(): Promise<void> {
      try {
        await compact()
      } catch (e) {
        throw writeError(e)
      }
    },

    async write(delta: ProfileDelta): Promise<void> {
      const names = storesOf(delta)
      if (!names.length) return
      let tx: Tx
      try {
        tx = live().transaction(names, 'readwrite')
      } catch (e) {
        throw writeError(e)
      }
      await runInto(tx, delta)
    },

    async append(delta: ProfileDelta): Promise<void> {
      if (!storesOf(delta).length) return
      let tx: Tx
      try {
        tx = live().transaction([JOURNAL_STORE], 'readwrite')
        void tx.objectStore(JOURNAL_STORE).add({ ...delta, t: now() }).catch(() => {})
        // Commit now: on pagehide the page may be gone before an auto-commit.
        ;(tx as unknown as { commit?: () => void }).commit?.()
      } catch (e) {
        throw writeError(e)
      }
      try {
        await tx.done
      } catch (e) {
        throw writeError(e)
      }
    },

    erase(): Promise<void> {
      shut()
      return eraseDatabase(dbName)
    },

    close: shut,
  }
}

/**
 * Deletes the database, whether or not this page has it open (storage may be down, or consent
 * never granted on this page while an earlier visit stored a profile). No IndexedDB, nothing to
 * delete.
 */
export const eraseDatabase = async (dbName: string): Promise<void> => {
  if (!getIndexedDB()) return
  try {
    // If another connection blocks the delete, the request waits until it closes (our other
    // tabs close on versionchange) and then succeeds, so the promise still resolves.
    await deleteDB(dbName)
  } catch (e) {
    throw new TacitError(`Tacit could not delete IndexedDB "${dbName}"; clear the site data to remove it.`, e)
  }
}
