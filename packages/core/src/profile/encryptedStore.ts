import type { IDBPDatabase } from 'idb'
import { getNavigator, now as clock } from '../env'
import { StorageFault, toFault } from './faults'
import {
  addToJournal,
  ALL,
  appendRing,
  byKey,
  combine,
  connect,
  DAY_MS,
  deleteStale,
  eraseDatabase,
  gather,
  guard,
  KEYED,
  mergeInto,
  readAll,
  recordsOf,
  storesOf,
  settle,
  abortTx,
  unexpired,
  validEntries,
  validModels,
  validSignals,
  writeError,
  type IdbStoreOptions,
  type Snapshot,
  type StoreName,
  type Tx,
} from './idbStore'
import { JOURNAL_STORE, RING_STORE, STORES, type ModelRecord } from './schemas'
import type { LoadResult, ProfileDelta, ProfileStore, WriteControl } from './types'

/**
 * `encrypt: true`: the same object stores as `idbStore.ts`, each record sealed with AES-GCM.
 *
 * A keyed record is stored as `{ [keyPath]: hash, iv, data }`: `hash` is an HMAC-SHA-256 of the
 * store name and the real key (item id, tag, goal…), so no key is in clear text and every tab
 * finds the same record; `data` is the ciphertext of the record's JSON, bound (additional data)
 * to its store and hash so that a record moved elsewhere does not decrypt. Ring and journal
 * entries are `{ iv, data }`. Both keys are non-extractable WebCrypto keys made in this browser
 * and kept in the `meta` store (IndexedDB stores a CryptoKey as it is), so a reload decrypts and
 * `erase()` deletes them with the database.
 *
 * WebCrypto is asynchronous, and a transaction that waits on anything but its own requests
 * commits early, so a write cannot decrypt, merge and encrypt inside one transaction. It reads in
 * a readonly transaction, merges in memory and puts in a readwrite one, under a Web Lock per
 * database, so that tabs still add up instead of overwriting each other.
 */

/** Key of the `meta` record that holds the keys (the other keys are hex hashes: no clash). */
const KEYS = 'crypto'
const AES = 'AES-GCM'

interface Keys {
  key: typeof KEYS
  aes: CryptoKey
  mac: CryptoKey
}

/** A record as stored (keyed stores add their hashed key). */
interface Sealed {
  iv: Uint8Array<ArrayBuffer>
  data: ArrayBuffer
}

const subtle = (): SubtleCrypto => {
  // WebCrypto exists only in secure contexts (https, localhost). Without it nothing is stored.
  const s = globalThis.crypto?.subtle
  if (!s) throw new StorageFault('missing', undefined, 'WebCrypto is not available (the page is not served over https), so `encrypt: true` cannot store the profile.')
  return s
}

const bytes = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s)

const isKeys = (v: any): v is Keys => v?.aes?.algorithm?.name === AES && v?.mac?.algorithm?.name === 'HMAC'

/**
 * The keys of the database, or new ones, stored. When there were none (a new database, or the
 * record was deleted), records sealed under older keys no longer decrypt: `load()` drops them.
 */
const keysOf = async (db: IDBPDatabase): Promise<Keys> => {
  const stored: unknown = await db.get('meta', KEYS)
  if (isKeys(stored)) return stored
  const made: Keys = {
    key: KEYS,
    aes: await crypto.subtle.generateKey({ name: AES, length: 256 }, false, ['encrypt', 'decrypt']),
    mac: await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  }
  // Two tabs may make keys at once: check and put in one transaction, so all use the first stored.
  const tx = db.transaction('meta', 'readwrite')
  const current: unknown = await tx.store.get(KEYS)
  const keys = isKeys(current) ? current : made
  if (keys === made) void tx.store.put(made)
  await tx.done
  return keys
}

let queue: Promise<unknown> = Promise.resolve()

/**
 * Runs `fn` alone: under the Web Lock `tacit:<dbName>`, held by one tab at a time. Where Web Locks
 * are missing (browsers before 2022, happy-dom), writes of this page still run one at a time, but
 * two tabs writing the same record at the same moment can lose one of the two additions.
 */
const exclusive = <T>(dbName: string, fn: () => Promise<T>): Promise<T> => {
  const locks = getNavigator()?.locks
  if (locks) return locks.request(`tacit:${dbName}`, fn)
  const run = queue.then(fn)
  queue = run.catch(() => {})
  return run
}

/** Additional data of a sealed value: its store, and for keyed stores its hashed key. */
const aad = (name: string, id?: IDBValidKey): Uint8Array<ArrayBuffer> => bytes(typeof id === 'string' ? `${name}/${id}` : name)

/** The encrypted profile store; rejects like `openIdbStore`, and also when WebCrypto is missing. */
export const openEncryptedStore = async (opts: IdbStoreOptions): Promise<ProfileStore> => {
  const { dbName, retentionDays, recentSignals, now = clock } = opts
  const onInvalid = guard(opts.onInvalid)
  const cs = subtle()
  const { live, shut } = await connect(dbName, opts.openTimeoutMs)
  let keys: Keys
  try {
    keys = await keysOf(live())
  } catch (e) {
    shut()
    throw toFault(e, 'open')
  }

  const seal = async (name: string, value: unknown, id?: string): Promise<Sealed> => {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    return { iv, data: await cs.encrypt({ name: AES, iv, additionalData: aad(name, id) }, keys.aes, bytes(JSON.stringify(value))) }
  }

  /** What stored values decrypt to; undefined for one missing, altered, or sealed under other keys. */
  const unseal = (name: string, ids: readonly IDBValidKey[], values: readonly unknown[]): Promise<unknown[]> =>
    Promise.all(
      values.map(async (v, i) => {
        try {
          const { iv, data } = v as Sealed
          return JSON.parse(new TextDecoder().decode(await cs.decrypt({ name: AES, iv, additionalData: aad(name, ids[i]) }, keys.aes, data)))
        } catch {
          return undefined
        }
      }),
    )

  const hash = async (name: string, key: string): Promise<string> => {
    const mac = new Uint8Array(await cs.sign('HMAC', keys.mac, bytes(`${name}/${key}`)), 0, 16)
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
  }

  /**
   * Adds `delta` to the stored records and deletes the journal entries `folded`, in one readwrite
   * transaction. Runs under `exclusive`, so no other tab writes between its read and its put.
   */
  const commit = async (delta: ProfileDelta, folded: readonly IDBValidKey[] = [], control?: WriteControl): Promise<void> => {
    // Cancelled (page hide) before its transaction opened: it never writes.
    let cancelled = false
    let tx: Tx | undefined
    if (control) control.cancel = () => (tx ? abortTx(tx) : (cancelled = true))
    const touched = await Promise.all(
      KEYED.flatMap((name) => [...byKey(name, recordsOf(delta, name))].map(async ([key, d]) => ({ name, key, d, id: await hash(name, key) }))),
    )
    const read = touched.length ? live().transaction(KEYED, 'readonly') : undefined
    const stored = await Promise.all(touched.map((t) => read!.objectStore(t.name).get(t.id)))
    const puts = await Promise.all(
      touched.map(async ({ name, key, d, id }, i) => {
        const next = mergeInto(name, key, (await unseal(name, [id], [stored[i]]))[0], d, onInvalid)
        return next && { name, value: { [STORES[name].keyPath]: id, ...(await seal(name, next, id)) } }
      }),
    )
    const ring = await Promise.all(validSignals(delta.signals, onInvalid).map((s) => seal(RING_STORE, s)))
    if (cancelled || (!puts.some(Boolean) && !ring.length && !folded.length)) return
    // Every store: this runs under the lock, so a wider scope blocks no other writer.
    tx = live().transaction([...ALL, JOURNAL_STORE], 'readwrite') as Tx
    const ops: Promise<unknown>[] = puts.flatMap((p) => (p ? [tx.objectStore(p.name).put(p.value)] : []))
    if (ring.length) ops.push(appendRing(tx, ring, recentSignals))
    for (const k of folded) ops.push(tx.objectStore(JOURNAL_STORE).delete(k))
    await settle(tx, ops)
  }

  /** Reads `names` (and the journal), decrypts, and deletes what is invalid or expired. */
  const clean = async (names: readonly StoreName[], journal: boolean, control?: WriteControl): Promise<LoadResult> => {
    const conn = live()
    const cutoff = now() - retentionDays * DAY_MS
    try {
      const raw = await readAll(conn, names, journal, control)
      // The keys are not part of the profile.
      const meta = raw.stores.find((s) => s.name === 'meta')
      const at = meta ? meta.keys.indexOf(KEYS) : -1
      if (meta && at >= 0) meta.keys.splice(at, 1), meta.values.splice(at, 1)
      const open: Snapshot = {
        stores: await Promise.all(raw.stores.map(async (s) => ({ ...s, values: await unseal(s.name, s.keys, s.values) }))),
        journal: { ...raw.journal, values: await unseal(JOURNAL_STORE, raw.journal.keys, raw.journal.values) },
      }
      // What does not decrypt counts as invalid. Every write has a new IV: a record whose IV
      // changed since it was read was rewritten by another tab, and is kept.
      const { data, stale, dropped, expired } = gather(open, cutoff, recentSignals, raw)
      await deleteStale(conn, stale, (_, value, read) => String((value as Sealed).iv) === String((read as Sealed).iv))
      return { data, dropped, expired }
    } catch (e) {
      throw toFault(e, 'read')
    }
  }

  const locked = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await exclusive(dbName, fn)
    } catch (e) {
      throw writeError(e)
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
        const store = live().transaction('models', 'readonly').store
        const [ids, values] = await Promise.all([store.getAllKeys(), store.getAll()])
        return validModels(await unseal('models', ids, values))
      } catch (e) {
        throw toFault(e, 'read')
      }
    },

    // Folding the journal reads it under the lock, so two tabs cannot fold the same entry twice.
    compact: (control) => {
      let early = false
      if (control) control.cancel = () => (early = true)
      return locked(async () => {
        if (early) return
        const store = live().transaction(JOURNAL_STORE, 'readonly').store
        const [ids, values] = await Promise.all([store.getAllKeys(), store.getAll()])
        if (ids.length) await commit(unexpired(combine(validEntries(await unseal(JOURNAL_STORE, ids, values))), now() - retentionDays * DAY_MS)[0], ids, control)
      })
    },

    write: (delta, control) => {
      // Cancelled while waiting for the lock: it never writes.
      let early = false
      if (control) control.cancel = () => (early = true)
      return locked(() => (early ? Promise.resolve() : commit(delta, [], control)))
    },

    // Page hide: one sealed journal entry, added without reading. The page may be torn down
    // before the encryption settles (it takes well under a millisecond), losing this last delta.
    async append(delta: ProfileDelta): Promise<void> {
      if (!storesOf(delta).length) return
      const t = now()
      const entry = await seal(JOURNAL_STORE, { ...delta, t })
      let conn: IDBPDatabase
      try {
        conn = live()
      } catch (e) {
        throw writeError(e)
      }
      await addToJournal(conn, entry)
    },

    erase(): Promise<void> {
      shut()
      return eraseDatabase(dbName)
    },

    close: shut,
  }
}
