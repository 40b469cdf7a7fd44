import type { RankItem } from '../model/interests'
import type { Consent } from '../options'
import type { DecideOptions, Decision, Variant } from './decisions'

/** What `explain` can explain: a decision slot, a ranked item, or a prediction. */
export type ExplainTarget = string | { item: RankItem } | { predict: 'convert' | 'dropOff' }
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
  /** Model state learned on this device: intent weights and one bandit posterior per slot. */
  models: ModelRecord[]
  /** The last decision of each slot, with the probability it was chosen with. */
  decisions: DecisionRecord[]
  /** Records dropped at start-up: failed validation, or older than `retentionDays`. */
  health: { droppedRecords: number; expiredRecords: number }
}

/**
 * The document `export()` returns as JSON: format `tacit-export`, version 1, described field by
 * field in docs/export-format.md. Every record of every object store of the database is in it.
 */
export interface TacitExport {
  /** Always `'tacit-export'`. */
  format: 'tacit-export'
  /** The version of this format; it changes only when the shape of the document does. */
  version: 1
  /** When the export was made, ISO 8601 in UTC. */
  exportedAt: string
  /** The IndexedDB database the records come from: its name and schema version (`DB_VERSION`). */
  database: { name: string; schemaVersion: number }
  /** `'memory'`: nothing was stored; the records are what this page holds in memory. */
  storage: 'indexeddb' | 'memory'
  /** The consent in effect when exporting (after Global Privacy Control). */
  consent: Consent
  /** Store `meta`: visits, first and last seen, the current session, the previous page's path. */
  visitor: VisitorRecord | null
  items: ItemRecord[]
  tags: TagRecord[]
  sessions: SessionRecord[]
  funnels: FunnelRecord[]
  outcomes: OutcomeRecord[]
  /** The ring of recent signals, oldest first. */
  signals: SignalRecord[]
  models: ModelRecord[]
  decisions: DecisionRecord[]
}

/** The object `createTacit` returns. */
export interface Tacit {
  /**
   * Resolves when the stored profile is loaded (from the start-up copy when there is one: the
   * database itself is read right after), or Tacit fell back to memory, the models are built
   * and capture has started (input from then on is captured). Never rejects.
   */
  readonly ready: Promise<void>
  /** Where the profile lives now: IndexedDB, or memory (consent pending or denied, or no IndexedDB). */
  readonly storage: 'indexeddb' | 'memory'
  /** The consent in effect (after Global Privacy Control). */
  readonly consent: Consent
  /** Calls `cb` for each signal of `type` (or every signal, with `'signal'`). Returns the unsubscribe. */
  on<T extends SignalType>(type: T, cb: SignalListener<SignalOf<T>>): () => void
  on(type: 'signal', cb: SignalListener<Signal>): () => void
  /**
   * Calls `cb` (at most once per microtask) after anything that may change what `decide`, `rank`,
   * `predict` or `profile` return: ready, a signal, a goal, a reward, training, consent, erase.
   * For UI bindings such as React's `useSyncExternalStore`. Returns the unsubscribe function.
   */
  subscribe(cb: () => void): () => void
  /** Records that a goal was reached, with an optional finite number (a value, a count). */
  track(goal: string, value?: number): void
  /** Records a step of a funnel declared in `options.funnels`. */
  step(funnel: string, step: string): void
  /**
   * Picks a variant for `slot`, synchronously: a contextual bandit over this person's features,
   * sticky within a session. Before `ready` (or with consent denied) it returns the fallback.
   */
  decide(slot: string, variants: readonly Variant[], options?: DecideOptions): Decision
  /** Rewards the last decision of `slot` (once); returns false when there was none to reward. */
  reward(slot: string, value: number): boolean
  /** The same items, those this person attends to most first; ties keep the page's order. */
  rank<T extends RankItem>(items: readonly T[]): T[]
  /** Probability to convert and risk of drop-off now, each in [0, 1] (0.5 before `ready`). */
  predict(): { convert: number; dropOff: number }
  /**
   * In plain words, for the person: `explain('hero')` why the last decision of a slot went that
   * way; `explain({ item })` why `rank` puts that item where it does; `explain({ predict: 'convert' })`
   * (or `'dropOff'`) what the prediction is and the facts that moved it most.
   */
  explain(what: ExplainTarget): string
  /** Everything stored about this person, as plain JSON. */
  profile(): Promise<TacitProfile>
  /**
   * Everything stored about this person, read afresh from the database (so other tabs' writes are
   * in it), as a JSON string of a {@link TacitExport}: for a "download my data" button.
   */
  export(): Promise<string>
  /** Deletes the database and every trace in memory, here and in other open tabs of the site. */
  erase(): Promise<void>
  setConsent(consent: Consent): void
  /** Removes every listener, observer and timer Tacit added. */
  destroy(): void
}
