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
  /** When it was written: the time of the journal entry written with it (already in the copy). */
  t: number
  records: Partial<Record<StoreName, unknown[]>>
}

/** The stores the copy holds, in the order `gather` reads them. */
const COPIED: StoreName[] = ['items', 'tags', 'sessions', 'funnels', 'outcomes', 'meta', 'models', 'decisions']

const isCopy = (v: unknown): v is StartupCopy =>
  !!v &&
  typeof v === 'object' &&
  (v as StartupCopy).key === STARTUP_KEY &&
  Number.isFinite((v as StartupCopy).t) &&
  !!(v as StartupCopy).records &&
  typeof (v as StartupCopy).records === 'object'

/** The start-up copy of `data` (everything but the signals), stamped `t`. */
export const startupCopy = (data: ProfileData, t: number): StartupCopy => ({
  key: STARTUP_KEY,
  t,
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
 * Reads the copy and the journal in one readonly transaction, as a {@link Snapshot} for `gather`:
 * the copy's records, and the journal entries written after it (those written with it are in it).
 * Undefined when there is no usable copy.
 */
export const readStartupCopy = async (conn: IDBPDatabase): Promise<Snapshot | undefined> => {
  const tx = conn.transaction(['meta', JOURNAL_STORE], 'readonly')
  const journal = tx.objectStore(JOURNAL_STORE)
  const [copy, keys, values] = await Promise.all([tx.objectStore('meta').get(STARTUP_KEY), journal.getAllKeys(), journal.getAll(), tx.done])
  if (!isCopy(copy)) return undefined
  const later = values.map((v, i) => [keys[i], v] as const).filter(([, v]) => !((v as { t?: unknown })?.t as number <= copy.t))
  return {
    stores: COPIED.map((name) => {
      const list = copy.records[name]
      const records = Array.isArray(list) ? list : []
      return { name, keys: records.map(() => STARTUP_KEY), values: records }
    }),
    journal: { keys: later.map(([k]) => k), values: later.map(([, v]) => v) },
  }
}
