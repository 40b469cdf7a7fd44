import type { IDBPDatabase } from 'idb'
import { JOURNAL_STORE, STARTUP_KEY } from './schemas'
import type { Snapshot, StoreName } from './idbStore'
import type { ProfileData } from './types'

/**
 * The start-up copy: one record (`meta`, key `startup`) holding every record of the profile but
 * the ring of recent signals, as this page knew them when it hid.
 *
 * Why: reading the stores record by record is most of the time to `ready` (measured in Chromium:
 * 60-120 ms for a profile of 400 items and 150 tags, against 11-16 ms for the same records as one
 * value). So a page writes this copy when it hides, and the next start-up reads it and the journal,
 * decides from that, and reads the stores themselves in idle time right after `ready`
 * (`Persistence`), which also brings in what other tabs changed since the copy was written.
 *
 * It is a cache, never the truth: records in it are validated like stored ones, a missing or
 * malformed copy means a full read, and nothing is ever merged from it into the stores.
 */
interface StartupCopy {
  key: typeof STARTUP_KEY
  /** When it was written. */
  t: number
  /**
   * The highest journal key this page had read or written when it wrote the copy (0: none): the
   * key of the entry written with it, at the least (journal keys are chosen by the page, see
   * `journalKey`). Entries up to it are in the copy (this page's, or read by it) or in the stores
   * read right after start-up (another tab's); only later ones are read with it, so start-up does
   * not read again what the copy already holds.
   */
  after: IDBValidKey
  records: Partial<Record<StoreName, unknown[]>>
}

/** The stores the copy holds, in the order `gather` reads them. */
const COPIED: StoreName[] = ['items', 'tags', 'sessions', 'funnels', 'outcomes', 'meta', 'models', 'decisions']

/** A number or an array key: what `journalKey` and IndexedDB's key generator give. */
const isKey = (k: unknown): k is IDBValidKey => (typeof k === 'number' && !Number.isNaN(k)) || Array.isArray(k)

const isCopy = (v: unknown): v is StartupCopy =>
  !!v &&
  typeof v === 'object' &&
  (v as StartupCopy).key === STARTUP_KEY &&
  Number.isFinite((v as StartupCopy).t) &&
  isKey((v as StartupCopy).after) &&
  !!(v as StartupCopy).records &&
  typeof (v as StartupCopy).records === 'object'

/** The start-up copy of `data` (everything but the signals), stamped `t`, after journal key `after`. */
export const startupCopy = (data: ProfileData, t: number, after: IDBValidKey): StartupCopy => ({
  key: STARTUP_KEY,
  t,
  after,
  records: {
    items: Object.values(data.items),
    tags: Object.values(data.tags),
    sessions: Object.values(data.sessions),
    funnels: Object.values(data.funnels),
    outcomes: Object.values(data.outcomes),
    meta: data.visitor ? [data.visitor] : [],
    models: Object.values(data.models),
    decisions: Object.values(data.decisions),
  },
})

/**
 * Replaces the start-up copy. Its transaction covers the journal too, so it starts after a journal
 * entry added just before has committed. It issues its only request at once and commits: a page
 * that is closing runs no callback after `pagehide`, so a copy that waited on a read (as it once
 * did, for the last journal key) was never written when the person navigated away. If the page
 * goes away before it commits, the previous copy stays, and the entries after it (this page's
 * among them) are still read with it.
 */
export const writeStartupCopy = async (conn: IDBPDatabase, copy: StartupCopy): Promise<void> => {
  const tx = conn.transaction(['meta', JOURNAL_STORE], 'readwrite')
  // Awaited below; marked handled now, since a request failing first (the connection closed, the
  // page went away) would leave the transaction's own rejection unheard.
  tx.done.catch(() => {})
  void tx.objectStore('meta').put(copy).catch(() => {})
  ;(tx as unknown as { commit?: () => void }).commit?.()
  await tx.done
}

/**
 * Reads the copy, then the journal entries written after it, in one readonly transaction, as a
 * {@link Snapshot} for `gather`. Undefined when there is no usable copy.
 */
export const readStartupCopy = async (conn: IDBPDatabase): Promise<Snapshot | undefined> => {
  const tx = conn.transaction(['meta', JOURNAL_STORE], 'readonly')
  tx.done.catch(() => {}) // as in writeStartupCopy
  const copy: unknown = await tx.objectStore('meta').get(STARTUP_KEY)
  if (!isCopy(copy)) return undefined
  const journal = tx.objectStore(JOURNAL_STORE)
  let later: IDBKeyRange
  try {
    later = IDBKeyRange.lowerBound(copy.after, true)
  } catch {
    return undefined // not a valid key after all (e.g. an array holding something else)
  }
  const [keys, values] = await Promise.all([journal.getAllKeys(later), journal.getAll(later), tx.done])
  return {
    stores: COPIED.map((name) => {
      const list = copy.records[name]
      const records = Array.isArray(list) ? list : []
      return { name, keys: records.map(() => STARTUP_KEY), values: records }
    }),
    journal: { keys, values },
    lastKey: keys.length ? keys[keys.length - 1] : copy.after,
  }
}
