import { array, boolean, count, type Infer, number, object, oneOf, optional, record, string, unknown, whole, withDefault } from '../schema'
import { finiteArray } from '../model/finiteArray'
import { SIGNAL_TYPES } from '../signals/types'

/**
 * Every record Tacit stores, as a schema (see `../schema.ts`). A stored record that fails its
 * schema is dropped and counted at load; nothing else is ever written. No schema has a field for
 * text, input values or full URLs.
 *
 * Built at first use (`schemas()`), not when the script loads: a page reads or writes records
 * only after start-up, and a page that never persists (consent pending) never builds them.
 */
const build = () => {
  const finite = number()
  const id = string(1, 200)

  /** Interaction totals shared by items and tags. */
  const totals = {
    dwellMs: count,
    hoverMs: count,
    hovers: count,
    clicks: count,
    hesitations: count,
    hesitationMs: count,
    /** Interest, decayed by half-life, in log space (see `model/interests.ts`). */
    interest: optional(finite),
    /** Last change, epoch ms. Retention drops records not updated for `retentionDays`. */
    updatedAt: finite,
  }

  /** Per tracked element (`data-tacit-item`). */
  const ItemRecord = object({ id, tags: array(id), ...totals })

  /** Per tag (`data-tacit-tags`), summed over the items that carry it. */
  const TagRecord = object({ tag: id, ...totals })

  /** One visit: pages seen, engaged time, deepest scroll, signals counted by type. */
  const SessionRecord = object({
    id,
    start: finite,
    lastActive: finite,
    pages: count,
    engagedMs: count,
    maxScroll: count,
    counts: record(count),
    /** Sum of hesitation pauses, ms (with `counts.hesitation`, the mean pause). */
    hesitationMs: optional(count),
    updatedAt: finite,
  })

  /** Progress through one declared funnel in the current session, and totals over sessions. */
  const FunnelRecord = object({
    funnel: id,
    sessionId: string(),
    /** Index of the furthest step reached in `sessionId`, or -1 for none. */
    furthest: whole(-1),
    completions: count,
    dropOffs: count,
    updatedAt: finite,
  })

  /** A goal from `track(goal, value?)`: how often, and the sum of values. */
  const OutcomeRecord = object({ goal: id, count, valueSum: finite, lastAt: finite, updatedAt: finite })

  /** One entry of the bounded ring of recent signals (the last `recentSignals`, 500 by default). */
  const SignalRecord = object({
    type: oneOf(SIGNAL_TYPES),
    t: finite,
    target: string(0, 200),
    item: optional(string()),
    tags: optional(array(string())),
    ms: optional(count),
    clicks: optional(count),
    percent: optional(count),
    fields: optional(count),
    index: optional(finite),
    outcome: optional(oneOf(['abandoned', 'clicked', 'field'])),
    field: optional(string()),
    funnel: optional(string()),
    step: optional(string()),
  })

  /** The page of the previous navigation, kept to recognise a quick back. Path only, no query. */
  const PageRecord = object({
    path: string(0, 500),
    arrivedAt: finite,
    leftAt: finite,
    interacted: boolean,
  })

  /** One per browser profile: visits and the current session. */
  const VisitorRecord = object({
    key: oneOf(['visitor']),
    firstSeen: finite,
    lastSeen: finite,
    visits: count,
    sessionId: string(),
    lastPage: optional(PageRecord),
    updatedAt: finite,
  })

  /**
   * Model state (intent weights, one bandit posterior per slot), validated again by the model code
   * when loaded. `state` is the model's own JSON (see `model/`).
   */
  const ModelRecord = object({
    key: id,
    state: unknown,
    /** Only in a pending change (and the journal): the state the change started from (`modelMerge.ts`). */
    base: optional(unknown),
    updatedAt: finite,
  })

  /** The last decision of a slot: sticky within its session, rewarded at most once. */
  const DecisionRecord = object({
    slot: id,
    sessionId: string(),
    variants: array(string(), 1, 100),
    variant: string(),
    /** The probability with which the policy chose this variant. */
    probability: number((n) => n >= 0 && n <= 1, 'must be a number from 0 to 1'),
    /** The feature vector the decision saw (the bandit learns from it when rewarded). */
    context: finiteArray(),
    t: finite,
    /**
     * How it was chosen: `bandit` (Thompson sampling), `interest` (warm start by tag affinity), or
     * `fallback` (shown before Tacit was ready, and kept so the page does not flicker).
     */
    policy: oneOf(['bandit', 'interest', 'fallback']),
    rewarded: boolean,
    updatedAt: finite,
  })

  // Deltas written blind on page hide (see JOURNAL_STORE).
  const JournalRecord = object({
    t: finite,
    items: array(ItemRecord),
    tags: array(TagRecord),
    sessions: array(SessionRecord),
    funnels: array(FunnelRecord),
    outcomes: array(OutcomeRecord),
    visitor: optional(VisitorRecord),
    signals: array(SignalRecord),
    models: withDefault(array(ModelRecord), () => []),
    decisions: withDefault(array(DecisionRecord), () => []),
  })
  return { ItemRecord, TagRecord, SessionRecord, FunnelRecord, OutcomeRecord, SignalRecord, PageRecord, VisitorRecord, ModelRecord, DecisionRecord, JournalRecord }
}

/** The record schemas (see `build`). */
export type Schemas = ReturnType<typeof build>
let built: Schemas | undefined
export const schemas = (): Schemas => (built ??= build())

/** Per tracked element (`data-tacit-item`). */
export type ItemRecord = Infer<Schemas['ItemRecord']>
/** Per tag (`data-tacit-tags`), summed over the items that carry it. */
export type TagRecord = Infer<Schemas['TagRecord']>
/** One visit: pages seen, engaged time, deepest scroll, signals counted by type. */
export type SessionRecord = Infer<Schemas['SessionRecord']>
/** Progress through one declared funnel in the current session, and totals over sessions. */
export type FunnelRecord = Infer<Schemas['FunnelRecord']>
/** A goal from `track(goal, value?)`: how often, and the sum of values. */
export type OutcomeRecord = Infer<Schemas['OutcomeRecord']>
/** One entry of the bounded ring of recent signals. */
export type SignalRecord = Infer<Schemas['SignalRecord']>
/** The page of the previous navigation, kept to recognise a quick back. Path only, no query. */
export type PageRecord = Infer<Schemas['PageRecord']>
/** One per browser profile: visits and the current session. */
export type VisitorRecord = Infer<Schemas['VisitorRecord']>
/** Model state (intent weights, one bandit posterior per slot). */
export type ModelRecord = Infer<Schemas['ModelRecord']>
/** The last decision of a slot: sticky within its session, rewarded at most once. */
export type DecisionRecord = Infer<Schemas['DecisionRecord']>
/** A delta written blind on page hide (see `JOURNAL_STORE`). */
export type JournalRecord = Infer<Schemas['JournalRecord']>

/** Object stores, their key paths and the schema of their records (a key of `schemas()`). */
export const STORES = {
  items: { keyPath: 'id', schema: 'ItemRecord' },
  tags: { keyPath: 'tag', schema: 'TagRecord' },
  sessions: { keyPath: 'id', schema: 'SessionRecord' },
  funnels: { keyPath: 'funnel', schema: 'FunnelRecord' },
  outcomes: { keyPath: 'goal', schema: 'OutcomeRecord' },
  meta: { keyPath: 'key', schema: 'VisitorRecord' },
  models: { keyPath: 'key', schema: 'ModelRecord' },
  decisions: { keyPath: 'slot', schema: 'DecisionRecord' },
} as const

/** The ring of recent signals is a store of its own with an auto-incremented key. */
export const RING_STORE = 'signals'

/**
 * Deltas written blind on page hide (no read, so the transaction commits even as the page goes
 * away); the next start-up folds them into the stores and deletes them.
 */
export const JOURNAL_STORE = 'journal'
/** Key of the start-up copy in `meta` (see `startupCopy.ts`); not a visitor record. */
export const STARTUP_KEY = 'startup'

/** 1: the first release. 2: adds `models` and `decisions` (the upgrade only adds stores). */
export const DB_VERSION = 2
