import type { Snapshot, StoreName } from './idbStore'
import type { ProfileData } from './types'

/**
 * The start-up copy: every record of the profile but the ring of recent signals, as this page knew
 * them when it hid, as one JSON string in `localStorage` (key `tacit:<dbName>:startup`).
 *
 * Why: opening IndexedDB is most of the time to `ready`, and the page cannot make it faster
 * (measured in Chromium with a profile of 400 items: open 30-40 ms, then 25-36 ms to read the
 * copy back when it was an IndexedDB record, against 26 ms to `ready` for a page with no storage
 * at all). `localStorage` answers at once. So a page writes this copy when it hides, and the next
 * start-up decides from it without waiting for the database, which it opens meanwhile; the stores
 * themselves are read in idle time once it is open (`Persistence`), which also brings in what
 * other tabs changed since the copy was written.
 *
 * It is a cache, never the truth: records in it are validated like stored ones, a missing or
 * malformed copy means a full read before `ready`, and nothing is ever merged from it into the
 * stores. It holds what the stores hold, readable by the same scripts (the page's origin), and it
 * goes with them: `erase()` and consent `'denied'` remove it, an encrypted profile never has one
 * (it would be plain text), and a copy too large for its share of the site's `localStorage` quota
 * is not kept.
 */
interface StartupCopy {
  /** When it was written. */
  t: number
  records: Partial<Record<StoreName, unknown[]>>
}

/**
 * The longest copy kept, in characters (UTF-16 code units): 5% of the 5 million that browsers give
 * an origin's `localStorage`, which the site shares. A profile of 400 items takes about 41,000.
 */
export const MAX_COPY_CHARS = 262_144

/** The stores the copy holds. */
const COPIED: StoreName[] = ['items', 'tags', 'sessions', 'funnels', 'outcomes', 'meta', 'models', 'decisions']

const keyOf = (dbName: string): string => `tacit:${dbName}:startup`

/** The page's `localStorage`, or undefined where there is none or it is blocked (access then throws). */
const storage = (): Storage | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}

/** The start-up copy of `data` (everything but the signals), stamped `t`. */
export const startupCopy = (data: ProfileData, t: number): StartupCopy => ({
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

/** Removes the copy of `dbName`, if any. Never throws. */
export const removeStartupCopy = (dbName: string): void => {
  try {
    storage()?.removeItem(keyOf(dbName))
  } catch {
    // Storage blocked: there is no copy to remove either.
  }
}

/**
 * Replaces the copy, synchronously (a page that is closing runs no callback after `pagehide`).
 * Never throws: a copy too large, or over the quota, is removed instead, and the next start-up
 * reads the stores.
 */
export const writeStartupCopy = (dbName: string, copy: StartupCopy): void => {
  try {
    const json = JSON.stringify(copy)
    if (json.length > MAX_COPY_CHARS) throw new RangeError('too large')
    storage()?.setItem(keyOf(dbName), json)
  } catch {
    removeStartupCopy(dbName)
  }
}

/** The copy as a {@link Snapshot} for `gather`; undefined when there is no usable copy. */
export const readStartupCopy = (dbName: string): Snapshot | undefined => {
  let copy: StartupCopy
  try {
    copy = JSON.parse(storage()?.getItem(keyOf(dbName)) ?? 'null')
  } catch {
    return undefined
  }
  if (!copy || !Number.isFinite(copy.t) || !copy.records || typeof copy.records !== 'object') return undefined
  return {
    stores: COPIED.map((name) => {
      const list = copy.records[name]
      const records = Array.isArray(list) ? list : []
      return { name, keys: records.map(() => name), values: records }
    }),
    journal: { keys: [], values: [] },
  }
}
