import type {
  DecisionRecord,
  ModelRecord,
  FunnelRecord,
  ItemRecord,
  OutcomeRecord,
  SessionRecord,
  SignalRecord,
  TagRecord,
  VisitorRecord,
} from './schemas'

/** Everything stored about this person, keyed as in the object stores. */
export interface ProfileData {
  items: Record<string, ItemRecord>
  tags: Record<string, TagRecord>
  sessions: Record<string, SessionRecord>
  funnels: Record<string, FunnelRecord>
  outcomes: Record<string, OutcomeRecord>
  visitor?: VisitorRecord
  /** The ring of recent signals, oldest first. */
  signals: SignalRecord[]
  models: Record<string, ModelRecord>
  decisions: Record<string, DecisionRecord>
}

/** What changed on this page since the last write; added to the stored records by `merge.ts`. */
export interface ProfileDelta {
  items: ItemRecord[]
  tags: TagRecord[]
  sessions: SessionRecord[]
  funnels: FunnelRecord[]
  outcomes: OutcomeRecord[]
  visitor?: VisitorRecord
  signals: SignalRecord[]
  models: ModelRecord[]
  decisions: DecisionRecord[]
}

export interface LoadResult {
  data: ProfileData
  /** Records that failed their schema and were dropped (and deleted from the database). */
  dropped: number
  /** Records older than `retentionDays` that were deleted. */
  expired: number
  /**
   * Read from the start-up copy (`startupCopy.ts`): what this or another page knew when it last
   * hid. The stores are to be read later (nothing was validated in them, deleted or counted yet).
   */
  partial?: boolean
}

/** Where the profile persists. `memory` persists nothing: the in-memory profile is all there is. */
export interface ProfileStore {
  readonly kind: 'indexeddb' | 'memory'
  /**
   * Reads the stored profile: validates every record, drops what is invalid or expired, and adds
   * the journal on top. With `ring: false` the ring of recent signals is left out (start-up: no
   * decision needs it, and it is the largest store); {@link ProfileStore.pruneRing} then checks it
   * in idle time.
   */
  load(options?: { ring?: boolean; control?: WriteControl }): Promise<LoadResult>
  /** Drops the ring's invalid and expired entries (what `load` does for the other stores). */
  pruneRing(): Promise<Omit<LoadResult, 'data'>>
  /**
   * Adds a delta in one readwrite transaction over every store it touches. The store sets
   * `control.cancel`, which stops the write if it has not committed yet (true), so that the
   * caller can journal the delta instead on page hide.
   */
  write(delta: ProfileDelta, control?: WriteControl): Promise<void>
  /**
   * Saves a delta without reading anything (a journal entry, folded in at the next load), for
   * page hide: a transaction that must read first may never commit once the page is gone. With
   * `data` (the whole profile as the page knows it), it also replaces the start-up copy.
   */
  append(delta: ProfileDelta, data?: ProfileData): Promise<void>
  /** The stored model records (other tabs' learning included), read in one readonly transaction. */
  readModels(): Promise<ModelRecord[]>
  /** Folds journalled deltas into the stores (in one readwrite transaction); run after start-up. */
  compact(control?: WriteControl): Promise<void>
  /** Closes the connection and deletes the database. */
  erase(): Promise<void>
  close(): void
}

/** Keyed by names from the page (goals, slots, item ids): no prototype, so `constructor` is a name. */
const map = () => Object.create(null)
export const emptyData = (): ProfileData => ({
  items: map(),
  tags: map(),
  sessions: map(),
  funnels: map(),
  outcomes: map(),
  signals: [],
  models: map(),
  decisions: map(),
})

export const emptyDelta = (): ProfileDelta => ({
  items: [],
  tags: [],
  sessions: [],
  funnels: [],
  outcomes: [],
  signals: [],
  models: [],
  decisions: [],
})

/** See `ProfileStore.write`. */
export interface WriteControl {
  /** True when the write is now sure never to commit; false when it has (or is committing). */
  cancel?: () => boolean
}
