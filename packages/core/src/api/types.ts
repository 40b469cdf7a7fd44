import type { Consent } from '../options'
import type {
  FunnelRecord,
  ItemRecord,
  OutcomeRecord,
  SessionRecord,
  SignalRecord,
  TagRecord,
  VisitorRecord,
} from '../profile/schemas'
import type { SignalListener } from '../signals/bus'
import type { Signal, SignalOf, SignalType } from '../signals/types'

/** Everything Tacit knows about this person, as returned by `profile()` and `export()`. */
export interface TacitProfile {
  /** Identifies the export format; `version` changes when the shape does. */
  format: 'tacit-profile'
  version: 1
  consent: Consent
  storage: 'indexeddb' | 'memory'
  visitor: VisitorRecord | null
  /** The session this page belongs to. */
  session: SessionRecord | null
  items: ItemRecord[]
  tags: TagRecord[]
  sessions: SessionRecord[]
  funnels: FunnelRecord[]
  outcomes: OutcomeRecord[]
  /** The most recent signals, oldest first (at most `recentSignals`). */
  signals: SignalRecord[]
  /** Records dropped at start-up: failed validation, or older than `retentionDays`. */
  health: { droppedRecords: number; expiredRecords: number }
}

/** The object `createTacit` returns. */
export interface Tacit {
  /** Resolves when the stored profile is loaded (or Tacit fell back to memory). Never rejects. */
  readonly ready: Promise<void>
  /** Where the profile lives now: IndexedDB, or memory (consent pending or denied, or no IndexedDB). */
  readonly storage: 'indexeddb' | 'memory'
  /** The consent in effect (after Global Privacy Control). */
  readonly consent: Consent
  /** Calls `cb` for each signal of `type` (or every signal, with `'signal'`). Returns the unsubscribe. */
  on<T extends SignalType>(type: T, cb: SignalListener<SignalOf<T>>): () => void
  on(type: 'signal', cb: SignalListener<Signal>): () => void
  /** Records that a goal was reached, with an optional finite number (a value, a count). */
  track(goal: string, value?: number): void
  /** Records a step of a funnel declared in `options.funnels`. */
  step(funnel: string, step: string): void
  /** Everything stored about this person, as plain JSON. */
  profile(): Promise<TacitProfile>
  /** The same as a JSON string, for a "download my data" button. */
  export(): Promise<string>
  /** Deletes the database and every trace in memory, here and in other open tabs of the site. */
  erase(): Promise<void>
  setConsent(consent: Consent): void
  /** Removes every listener, observer and timer Tacit added. */
  destroy(): void
}
