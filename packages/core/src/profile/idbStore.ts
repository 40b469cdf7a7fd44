import { deleteDB, openDB, type IDBPDatabase, type IDBPTransaction } from 'idb'
import { clearTimer, getIndexedDB, now as clock, setTimer } from '../env'
import { safeParse, type Schema } from '../schema'
import { TacitError } from '../errors'
import { StorageFault, toFault } from './faults'
import { mergeModel, storedModel } from './modelMerge'
import { applyDelta, mergeFunnel, mergeItem, mergeNewer, mergeOutcome, mergeSession, mergeTag, mergeVisitor } from './merge'
import { DB_VERSION, JOURNAL_STORE, RING_STORE, schemas, STARTUP_KEY, STORES, type JournalRecord, type ModelRecord, type SignalRecord, type VisitorRecord } from './schemas'
import { readStartupCopy, removeStartupCopy, startupCopy, writeStartupCopy } from './startupCopy'
import { emptyData, emptyDelta, type LoadResult, type ProfileData, type ProfileDelta, type ProfileStore, type WriteControl } from './types'

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

// Exported for `encryptedStore.ts`, which stores the same records sealed, through the same helpers.
export type KeyedStore = keyof typeof STORES
export type StoreName = KeyedStore | typeof RING_STORE
type AnyStore = StoreName | typeof JOURNAL_STORE
export type Tx = IDBPTransaction<unknown, AnyStore[], 'readwrite'>
export type OnInvalid = (error: TacitError) => void

export const KEYED = Object.keys(STORES) as KeyedStore[]
export const ALL: StoreName[] = [...KEYED, RING_STORE]
export const DAY_MS = 86_400_000

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

const schemaOf = (name: StoreName): Schema<object> => schemas()[name === RING_STORE ? 'SignalRecord' : STORES[name].schema]

type Verdict = { ok: true; record: object } | { ok: false; expired: boolean }

/** Validates a stored value and checks its age; `record` is the parsed (clean) copy. */
const judge = (name: StoreName, value: unknown, cutoff: number): Verdict => {
  const parsed = safeParse(schemaOf(name), value)
  if (!parsed.success) return { ok: false, expired: false }
  const record: object = parsed.data
  const touched = (record as Record<string, number>)[AGE_FIELD[name]]
  return touched < cutoff ? { ok: false, expired: true } : { ok: true, record }
}

export const writeError = (e: unknown): StorageFault => toFault(e, 'abort')

const upgrade = (db: IDBPDatabase): void => {
  // Created one by one so a later DB_VERSION only adds what is missing.
  for (const name of KEYED)
    if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: STORES[name].keyPath })
  if (!db.objectStoreNames.contains(RING_STORE)) db.createObjectStore(RING_STORE, { autoIncrement: true })
  if (!db.objectStoreNames.contains(JOURNAL_STORE)) db.createObjectStore(JOURNAL_STORE, { autoIncrement: true })
}

/** What a connection calls when it is lost; swapped when a parked connection is taken (see `parked`). */
type Lost = { fn: (raw?: IDBDatabase) => void }

/**
 * Connections that finished opening after their open had timed out, by database name, for the
 * next open of that database (a retry) to take at once. Measured in Chromium 150 on a busy
 * machine: right after another page of the site had the database, an open took over 3 s; if every
 * retry timed out the same way and closed its late connection, the page would never store. A
 * parked connection still closes on versionchange (another tab's upgrade, or `erase()`).
 */
const parked = new Map<string, { db: IDBPDatabase; lost: Lost }>()

/**
 * Opens the database, or rejects if it is missing, fails, or takes longer than `timeoutMs`; a
 * connection parked by an earlier open that timed out is taken at once.
 */
const openDatabase = (name: string, timeoutMs: number, onLost: (raw?: IDBDatabase) => void): Promise<IDBPDatabase> => {
  const late = parked.get(name)
  if (late) {
    parked.delete(name)
    late.lost.fn = onLost
    return Promise.resolve(late.db)
  }
  if (!getIndexedDB()) return Promise.reject(new StorageFault('missing'))
  const lost: Lost = { fn: onLost }
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
        blocking: (_current, _next, event) => lost.fn(event.target as IDBDatabase),
        terminated: () => lost.fn(),
      })
    } catch (e) {
      pending = Promise.reject(e)
    }
    pending.then(
      (db) => {
        if (settled) {
          // Opened after we gave up: kept for the retry (one per name), closed if lost meanwhile.
          const entry = { db, lost }
          parked.get(name)?.db.close()
          parked.set(name, entry)
          lost.fn = () => {
            db.close()
            if (parked.get(name) === entry) parked.delete(name)
          }
          return
        }
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
 * Opens the database for a store: `live()` is the connection, or throws a `closed` fault once
 * another tab upgraded or deleted the database or the browser closed it; `shut()` closes it.
 */
export const connect = async (dbName: string, timeoutMs = 3000): Promise<{ live: () => IDBPDatabase; shut: () => void }> => {
  let db: IDBPDatabase | undefined
  const shut = (): void => {
    db?.close()
    db = undefined
  }
  db = await openDatabase(dbName, timeoutMs, (raw) => {
    raw?.close()
    shut()
  })
  return {
    live: () => {
      if (!db) throw new StorageFault('closed')
      return db
    },
    shut,
  }
}

/** `onInvalid` made safe: a faulty callback must not abort the write. */
export const guard =
  (onInvalid?: OnInvalid): OnInvalid =>
  (error) => {
    try {
      onInvalid?.(error)
    } catch {
      // Ignored, see above.
    }
  }

/** How a keyed store adds a delta's record to the stored one. */
const MERGE: Record<KeyedStore, (a: any, d: any) => object> = {
  items: mergeItem,
  tags: mergeTag,
  sessions: mergeSession,
  funnels: mergeFunnel,
  outcomes: mergeOutcome,
  meta: mergeVisitor,
  models: mergeModel,
  decisions: mergeNewer,
}

/** The records a delta has for a keyed store. */
export const recordsOf = (delta: ProfileDelta, name: KeyedStore): readonly object[] =>
  name === 'meta' ? (delta.visitor ? [delta.visitor] : []) : delta[name]

/** Records of one store by key, those of the same key merged first so none overwrites another. */
export const byKey = (name: KeyedStore, records: readonly object[]): Map<string, object> => {
  const out = new Map<string, object>()
  for (const r of records) {
    const key = (r as Record<string, string>)[STORES[name].keyPath]
    out.set(key, MERGE[name](out.get(key), r))
  }
  return out
}

/**
 * `d` added to the stored value (a corrupt one is replaced rather than merged into), in its stored
 * form (models drop the base of their change); undefined, reported, if the result fails its schema.
 */
export const mergeInto = (name: KeyedStore, key: string, stored: unknown, d: object, onInvalid: OnInvalid): object | undefined => {
  const schema: Schema<object> = schemas()[STORES[name].schema]
  const current = stored !== undefined && safeParse(schema, stored)
  const merged = MERGE[name](current && current.success ? current.data : undefined, d)
  const next = name === 'models' ? storedModel(merged as ModelRecord) : merged
  if (safeParse(schema, next).success) return next
  onInvalid(new TacitError(`Tacit did not store the ${name} record "${key}": it fails its schema (a value out of range, too long or not finite).`))
}

/** Gets the stored record of each key, merges the delta in and puts the result, inside `tx`. */
const upsert = (tx: Tx, name: KeyedStore, records: readonly object[], onInvalid: OnInvalid): Promise<unknown>[] => {
  const store = tx.objectStore(name)
  return [...byKey(name, records)].map(async ([key, d]) => {
    const next = mergeInto(name, key, await store.get(key), d, onInvalid)
    if (next) await store.put(next)
  })
}

/** The signals that pass their schema; each other one is reported. */
export const validSignals = (signals: readonly SignalRecord[], onInvalid: OnInvalid): SignalRecord[] =>
  signals.filter((s) => {
    const ok = safeParse(schemas().SignalRecord, s).success
    if (!ok) onInvalid(new TacitError(`Tacit did not store a "${s.type}" signal: it fails its schema (a value out of range, too long or not finite).`))
    return ok
  })

/** Appends entries to the ring, then deletes the oldest entries beyond `keep`. */
export const appendRing = async (tx: Tx, entries: readonly object[], keep: number): Promise<void> => {
  const ring = tx.objectStore(RING_STORE)
  const adds = entries.map((s) => ring.add(s))
  // Requests run in order within a transaction, so the count includes the additions. Awaited
  // together, so no request is left rejecting unhandled when the transaction aborts.
  const [size] = await Promise.all([ring.count(), ...adds])
  if (size <= keep) return
  const oldest = await ring.getAllKeys(null, size - keep)
  await Promise.all(oldest.map((k) => ring.delete(k)))
}

/** The stores a delta writes to. */
export const storesOf = (delta: ProfileDelta): AnyStore[] => {
  const names: AnyStore[] = KEYED.filter((name) => recordsOf(delta, name).length)
  if (delta.signals.length) names.push(RING_STORE)
  return names
}

/** Merges every record of `delta` into the stores, inside `tx`. */
const writeInto = (tx: Tx, delta: ProfileDelta, recentSignals: number, onInvalid: OnInvalid): Promise<unknown>[] => {
  const ops = KEYED.flatMap((name) => {
    const records = recordsOf(delta, name)
    return records.length ? upsert(tx, name, records, onInvalid) : []
  })
  if (delta.signals.length) ops.push(appendRing(tx, validSignals(delta.signals, onInvalid), recentSignals))
  return ops
}

/** Concatenates journal entries into one delta (the merge functions then fold duplicates). */
export const combine = (entries: readonly JournalRecord[]): ProfileDelta => {
  const out = emptyDelta()
  for (const e of entries) {
    // Every list of the delta (the visitor is one record).
    for (const k in out) if (k !== 'visitor') (out[k as 'items'] as object[]).push(...e[k as 'items'])
    if (e.visitor) out.visitor = out.visitor ? mergeVisitor(out.visitor, e.visitor) : e.visitor
  }
  return out
}

/**
 * `delta` without its records older than `cutoff` (by the field retention looks at), and how many
 * those were: a journal entry is folded at the next start-up, so one that old means the person
 * was away longer than `retentionDays`, and its records would be deleted as soon as folded.
 */
export const unexpired = (delta: ProfileDelta, cutoff: number): [ProfileDelta, number] => {
  let expired = 0
  const out = { ...delta }
  for (const name of ALL) {
    const kept = recordsOf(delta, name as KeyedStore).filter((r) => (r as Record<string, number>)[AGE_FIELD[name]] >= cutoff || !++expired)
    if (name === 'meta') out.visitor = kept[0] as VisitorRecord | undefined
    else (out[name] as object[]) = kept
  }
  return [out, expired]
}

/** The journal entries that pass their schema. */
export const validEntries = (values: readonly unknown[]): JournalRecord[] =>
  values.flatMap((v) => {
    const parsed = safeParse(schemas().JournalRecord, v)
    return parsed.success ? [parsed.data] : []
  })

/** The model records that pass their schema. */
export const validModels = (values: readonly unknown[]): ModelRecord[] =>
  values.flatMap((v) => {
    const r = safeParse(schemas().ModelRecord, v)
    return r.success ? [r.data] : []
  })

/** Waits for `ops` and for `tx` to commit; a failed op aborts `tx`. Rejects with a write fault. */
export const settle = async (tx: Tx, ops: Promise<unknown>[]): Promise<void> => {
  const all = Promise.all(ops).catch((e: unknown) => {
    try {
      tx.abort()
    } catch {
      // Already finished or aborted.
    }
    throw e
  })
  try {
    await Promise.all([all, tx.done])
  } catch (e) {
    throw writeError(e)
  }
}

/**
 * The records of `delta` that pass their schema, as a journal entry written at `t` (each other
 * record reported and left out, so that one bad record does not cost the entry at its next read).
 * Models are left out when `models` is false; undefined when nothing is left to journal.
 */
export const journalEntry = (delta: ProfileDelta, t: number, onInvalid: OnInvalid, models = true): object | undefined => {
  const entry: Record<string, unknown> = { t, signals: validSignals(delta.signals, onInvalid) }
  for (const name of KEYED) {
    // Merged into nothing: the record as it is, checked against its schema like any merge.
    const valid = name === 'models' && !models ? [] : recordsOf(delta, name).filter((r) => mergeInto(name, (r as Record<string, string>)[STORES[name].keyPath], undefined, r, onInvalid))
    if (name !== 'meta') entry[name] = valid
    else if (valid[0]) entry.visitor = valid[0]
  }
  return storesOf(entry as unknown as ProfileDelta).length ? entry : undefined
}

/** Adds one entry to the journal without reading anything, and commits at once. */
export const addToJournal = async (conn: IDBPDatabase, entry: object): Promise<void> => {
  let tx: Tx
  try {
    tx = conn.transaction([JOURNAL_STORE], 'readwrite')
    void tx.objectStore(JOURNAL_STORE).add(entry).catch(() => {})
    // Commit now: on pagehide the page may be gone before an auto-commit.
    ;(tx as unknown as { commit?: () => void }).commit?.()
  } catch (e) {
    throw writeError(e)
  }
  await settle(tx, [])
}

/** What the stores read hold, keys and values, and the journal, read in one readonly transaction. */
export interface Snapshot {
  stores: Array<{ name: StoreName; keys: IDBValidKey[]; values: unknown[] }>
  journal: { keys: IDBValidKey[]; values: unknown[] }
  /** A start-up copy that an earlier version of Tacit kept in `meta`: deleted with the stale records. */
  old?: Stale[]
}

/**
 * Reads `names` (every store by default) and the journal (unless `journal` is false) in one
 * readonly transaction. A keyed store's keys are its records' key fields (IndexedDB requires
 * them), so only the ring and the journal, whose keys are generated, cost a `getAllKeys`.
 */
export const readAll = async (conn: IDBPDatabase, names: readonly StoreName[] = ALL, journal = true, control?: WriteControl): Promise<Snapshot> => {
  const tx = conn.transaction(journal ? [...names, JOURNAL_STORE] : [...names], 'readonly')
  // A page hide aborts it: the hide's journal write would otherwise wait for it, and a closing
  // page's read never finishes (measured: the hide's writes were lost with it).
  if (control) control.cancel = () => abortTx(tx)
  const old: Stale[] = []
  const read = async (name: StoreName | typeof JOURNAL_STORE) => {
    const store = tx.objectStore(name)
    if (name === RING_STORE || name === JOURNAL_STORE) {
      const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()])
      return { name, keys, values }
    }
    const path = STORES[name].keyPath
    let values: unknown[] = await store.getAll()
    if (name === 'meta') {
      // An earlier version kept the start-up copy in `meta`: not a record of the profile, deleted
      // with the stale ones.
      values = values.filter((v) => {
        const copy = (v as { key?: unknown }).key === STARTUP_KEY
        if (copy) old.push([name, STARTUP_KEY, v])
        return !copy
      })
    }
    return { name, keys: values.map((v) => (v as Record<string, IDBValidKey>)[path]), values }
  }
  const [stores, log] = await Promise.all([Promise.all(names.map(read)), journal ? read(JOURNAL_STORE) : undefined, tx.done])
  return { stores: stores as Snapshot['stores'], journal: log ?? { keys: [], values: [] }, old }
}

/** A record to delete at load (invalid or expired), with the value it had when read. */
export type Stale = [name: StoreName, key: IDBValidKey, read: unknown]

/**
 * The profile in `snap` (whose values are the stored records, or what they decrypt to): valid
 * records go into `data`, journal entries are added on top, the rest is counted and listed as stale.
 * `raw` holds the values as read when they differ from those of `snap`.
 */
export const gather = (snap: Snapshot, cutoff: number, recentSignals: number, raw = snap) => {
  const data: ProfileData = emptyData()
  const stale: Stale[] = []
  let dropped = 0
  let expired = 0
  snap.stores.forEach(({ name, keys, values }, s) => {
    values.forEach((value, i) => {
      const v = judge(name, value, cutoff)
      if (!v.ok) {
        stale.push([name, keys[i], raw.stores[s].values[i]])
        if (v.expired) expired++
        else dropped++
      } else if (name === RING_STORE) data.signals.push(v.record as SignalRecord)
      else if (name === 'meta') data.visitor = v.record as VisitorRecord
      else (data[name] as Record<string, object>)[(v.record as Record<string, string>)[STORES[name].keyPath]] = v.record
    })
  })
  // A ring longer than `recentSignals` (the option was lowered, or a write stopped before
  // trimming) keeps its newest entries; the next write trims the store itself.
  data.signals.splice(0, data.signals.length - recentSignals)
  // Deltas journalled on page hide count now; `compact()` folds them into the stores later,
  // after start-up, so the read-write transaction is not on the way to `ready`.
  const valid = validEntries(snap.journal.values)
  dropped += snap.journal.values.length - valid.length
  if (valid.length) {
    const [delta, old] = unexpired(combine(valid), cutoff)
    expired += old
    applyDelta(data, delta, recentSignals)
  }
  return { data, stale, dropped, expired }
}

/** Aborts `tx` if it has not committed; false when it is too late (it finished or is committing). */
export const abortTx = (tx: { abort(): void }): boolean => {
  try {
    tx.abort()
    return true
  } catch {
    return false
  }
}

/**
 * Deletes the stale records, in one readwrite transaction, each only if `still(name, value, read)`
 * holds for what is stored by then: another tab may have refreshed it since it was read.
 */
export const deleteStale = async (conn: IDBPDatabase, stale: readonly Stale[], still: (name: StoreName, value: unknown, read: unknown) => boolean): Promise<void> => {
  if (!stale.length) return
  const rw = conn.transaction([...new Set(stale.map(([name]) => name))], 'readwrite')
  const deletes = stale.map(async ([name, key, read]) => {
    const store = rw.objectStore(name)
    const value = await store.get(key)
    if (value !== undefined && still(name, value, read)) await store.delete(key)
  })
  await Promise.all([...deletes, rw.done])
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
  const { dbName, retentionDays, recentSignals, now = clock } = opts
  const onInvalid = guard(opts.onInvalid)
  const { live, shut } = await connect(dbName, opts.openTimeoutMs)

  /**
   * Folds the journal (deltas appended on page hide, without reading) into the stores, in one
   * readwrite transaction, so two tabs starting at once cannot fold the same entry twice.
   */
  const compact = async (control?: WriteControl): Promise<void> => {
    let cancelled = false
    if (control) control.cancel = () => (cancelled = true)
    // Most start-ups have nothing to fold: a readonly count first keeps the read-write transaction
    // over every store (which a page-hide journal write would queue behind) for when it is needed.
    if (!(await live().transaction(JOURNAL_STORE, 'readonly').objectStore(JOURNAL_STORE).count()) || cancelled) return
    const tx = live().transaction([...ALL, JOURNAL_STORE], 'readwrite') as Tx
    // A fold cancelled (aborted) while it reads the journal never reaches `settle`: its
    // transaction's rejection is handled here, or it would surface as unhandled.
    tx.done.catch(() => {})
    if (control) control.cancel = () => abortTx(tx)
    const journal = tx.objectStore(JOURNAL_STORE)
    const [keys, values] = await Promise.all([journal.getAllKeys(), journal.getAll()])
    const deletes = keys.map((k) => journal.delete(k))
    const [delta] = unexpired(combine(validEntries(values)), now() - retentionDays * DAY_MS)
    await settle(tx, keys.length ? [...writeInto(tx, delta, recentSignals, onInvalid), ...deletes] : [])
  }

  /** Reads `names` (and the journal), and deletes what is invalid or expired. */
  const clean = async (names: readonly StoreName[], journal: boolean, control?: WriteControl): Promise<LoadResult> => {
    const conn = live()
    const cutoff = now() - retentionDays * DAY_MS
    try {
      const snap = await readAll(conn, names, journal, control)
      const { data, stale, dropped, expired } = gather(snap, cutoff, recentSignals)
      await deleteStale(conn, [...stale, ...(snap.old ?? [])], (name, value) => !judge(name, value, cutoff).ok)
      return { data, dropped, expired }
    } catch (e) {
      throw toFault(e, 'read')
    }
  }

  return {
    kind: 'indexeddb',

    load: ({ ring = true, control } = {}) => clean(ring ? ALL : KEYED, true, control),

    async pruneRing() {
      const { dropped, expired } = await clean([RING_STORE], false)
      return { dropped, expired }
    },

    async readModels(): Promise<ModelRecord[]> {
      try {
        return validModels(await live().transaction('models', 'readonly').objectStore('models').getAll())
      } catch (e) {
        throw toFault(e, 'read')
      }
    },

    async compact(control?: WriteControl): Promise<void> {
      try {
        await compact(control)
      } catch (e) {
        throw writeError(e)
      }
    },

    /**
     * Model changes are added into the `models` store at once (other tabs, told of the write, read
     * that store); the rest of the delta is journalled, one request and no read, and folded into
     * the stores later (`compact`). A get and a put per changed record, and an add per signal, in
     * every flush were about 70 requests a flush in `bench:session`, and 78 ms of the main
     * thread's wall time in IndexedDB calls over its session (29 ms now); waiting, not CPU.
     */
    async write(delta: ProfileDelta, control?: WriteControl): Promise<void> {
      const entry = journalEntry(delta, now(), onInvalid, false)
      const names: AnyStore[] = delta.models.length ? ['models'] : []
      if (entry) names.push(JOURNAL_STORE)
      if (!names.length) return
      let tx: Tx
      try {
        tx = live().transaction(names, 'readwrite')
      } catch (e) {
        throw writeError(e)
      }
      if (control) control.cancel = () => abortTx(tx)
      const ops = delta.models.length ? upsert(tx, 'models', delta.models, onInvalid) : []
      // Async, so that a request that throws (a full quota) rejects like the others and aborts `tx`.
      if (entry) ops.push((async () => tx.objectStore(JOURNAL_STORE).add(entry))())
      await settle(tx, ops)
    },

    async append(delta: ProfileDelta, data?: ProfileData): Promise<void> {
      let conn: IDBPDatabase
      try {
        conn = live()
      } catch (e) {
        throw writeError(e)
      }
      const t = now()
      // The journal entry is requested first; the copy (in localStorage) is written at once.
      const entry = journalEntry(delta, t, onInvalid)
      const journalled = entry ? addToJournal(conn, entry) : undefined
      if (data) writeStartupCopy(dbName, startupCopy(data, t))
      await journalled
    },

    erase(): Promise<void> {
      shut()
      return eraseDatabase(dbName)
    },

    close: shut,
  }
}

/**
 * The profile as this page's start-up copy holds it (startupCopy.ts), validated and without what
 * retention drops, marked `partial`; undefined when there is no usable copy. An encrypted profile
 * has none: a copy found then (plain text, from before encryption was turned on) is removed.
 */
export const loadStartupCopy = (opts: Pick<IdbStoreOptions, 'dbName' | 'retentionDays' | 'recentSignals' | 'now'> & { encrypt?: boolean }): LoadResult | undefined => {
  if (opts.encrypt) {
    removeStartupCopy(opts.dbName)
    return undefined
  }
  const snap = readStartupCopy(opts.dbName)
  return snap && { ...gather(snap, (opts.now ?? clock)() - opts.retentionDays * DAY_MS, opts.recentSignals), dropped: 0, expired: 0, partial: true }
}

/**
 * Deletes the database, whether or not this page has it open (storage may be down, or consent
 * never granted on this page while an earlier visit stored a profile). No IndexedDB, nothing to
 * delete.
 */
export const eraseDatabase = async (dbName: string): Promise<void> => {
  removeStartupCopy(dbName)
  if (!getIndexedDB()) return
  try {
    // If another connection blocks the delete, the request waits until it closes (our other
    // tabs close on versionchange) and then succeeds, so the promise still resolves.
    await deleteDB(dbName)
  } catch (e) {
    throw new TacitError(`Tacit could not delete IndexedDB "${dbName}"; clear the site data to remove it.`, e)
  }
}
