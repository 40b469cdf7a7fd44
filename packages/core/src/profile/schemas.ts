import * as z from 'zod/mini'
import { between, lengthBetween, recordOf, whole } from '../checks'
import { finiteArray } from '../model/finiteArray'
import { SIGNAL_TYPES, type SignalType as SignalTypeName } from '../signals/types'

/**
 * Every record Tacit stores, as a zod schema. A stored record that fails its schema is dropped
 * and counted at load; nothing else is ever written. No schema has a field for text, input
 * values or full URLs.
 *
 * Built at first use (`schemas()`), not when the script loads: a page reads or writes records
 * only after start-up, and building these eighty-odd zod objects was part of the script's own
 * first task; a page that never persists (consent pending) never builds them.
 */
const build = () => {
  const finite = z.number().check(z.refine(Number.isFinite))
  const count = z.number().check(z.refine((n) => Number.isFinite(n) && n >= 0))
  const id = z.string().check(lengthBetween(1, 200))

  /** Interaction totals shared by items and tags. */
  const totals = {
    dwellMs: count,
    hoverMs: count,
    hovers: count,
    clicks: count,
    hesitations: count,
    hesitationMs: count,
    /** Interest, decayed by half-life, in log space (see `model/interests.ts`). */
    interest: z.optional(finite),
    /** Last change, epoch ms. Retention drops records not updated for `retentionDays`. */
    updatedAt: finite,
  }

  /** Per tracked element (`data-tacit-item`). */
  const ItemRecord = z.object({ id, tags: z.array(id), ...totals })

  /** Per tag (`data-tacit-tags`), summed over the items that carry it. */
  const TagRecord = z.object({ tag: id, ...totals })

  const SignalTypeSchema = z.enum(SIGNAL_TYPES as [SignalTypeName, ...SignalTypeName[]])

  /** One visit: pages seen, engaged time, deepest scroll, signals counted by type. */
  const SessionRecord = z.object({
    id,
    start: finite,
    lastActive: finite,
    pages: count,
    engagedMs: count,
    maxScroll: count,
    counts: recordOf(count),
    /** Sum of hesitation pauses, ms (with `counts.hesitation`, the mean pause). */
    hesitationMs: z.optional(count),
    updatedAt: finite,
  })

  /** Progress through one declared funnel in the current session, and totals over sessions. */
  const FunnelRecord = z.object({
    funnel: id,
    sessionId: z.string(),
    /** Index of the furthest step reached in `sessionId`, or -1 for none. */
    furthest: z.number().check(whole(-1)),
    completions: count,
    dropOffs: count,
    updatedAt: finite,
  })

  /** A goal from `track(goal, value?)`: how often, and the sum of values. */
  const OutcomeRecord = z.object({ goal: id, count, valueSum: finite, lastAt: finite, updatedAt: finite })

  /** One entry of the bounded ring of recent signals (the last `recentSignals`, 500 by default). */
  const SignalRecord = z.object({
    type: SignalTypeSchema,
    t: finite,
    target: z.string().check(lengthBetween(0, 200)),
    item: z.optional(z.string()),
    tags: z.optional(z.array(z.string())),
    ms: z.optional(count),
    clicks: z.optional(count),
    percent: z.optional(count),
    fields: z.optional(count),
    index: z.optional(z.number()),
    outcome: z.optional(z.enum(['abandoned', 'clicked', 'field'])),
    field: z.optional(z.string()),
    funnel: z.optional(z.string()),
    step: z.optional(z.string()),
  })

  /** The page of the previous navigation, kept to recognise a quick back. Path only, no query. */
  const PageRecord = z.object({
    path: z.string().check(lengthBetween(0, 500)),
    arrivedAt: finite,
    leftAt: finite,
    interacted: z.boolean(),
  })

  /** One per browser profile: visits and the current session. */
  const VisitorRecord = z.object({
    key: z.literal('visitor'),
    firstSeen: finite,
    lastSeen: finite,
    visits: count,
    sessionId: z.string(),
    lastPage: z.optional(PageRecord),
    updatedAt: finite,
  })

  /**
   * Model state (intent weights, one bandit posterior per slot), validated again by the model code
   * when loaded. `state` is the model's own JSON (see `model/`).
   */
  const ModelRecord = z.object({
    key: id,
    state: z.unknown(),
    /** Only in a pending change (and the journal): the state the change started from (`modelMerge.ts`). */
    base: z.optional(z.unknown()),
    updatedAt: finite,
  })

  /** The last decision of a slot: sticky within its session, rewarded at most once. */
  const DecisionRecord = z.object({
    slot: id,
    sessionId: z.string(),
    variants: z.array(z.string()).check(lengthBetween(1, 100)),
    variant: z.string(),
    /** The probability with which the policy chose this variant. */
    probability: z.number().check(between(0, 1)),
    /** The feature vector the decision saw (the bandit learns from it when rewarded). */
    context: finiteArray(),
    t: finite,
    /**
     * How it was chosen: `bandit` (Thompson sampling), `interest` (warm start by tag affinity), or
     * `fallback` (shown before Tacit was ready, and kept so the page does not flicker).
     */
    policy: z.enum(['bandit', 'interest', 'fallback']),
    rewarded: z.boolean(),
    updatedAt: finite,
  })

  // Deltas written blind on page hide (see JOURNAL_STORE).
  const JournalRecord = z.object({
    t: finite,
    items: z.array(ItemRecord),
    tags: z.array(TagRecord),
    sessions: z.array(SessionRecord),
    funnels: z.array(FunnelRecord),
    outcomes: z.array(OutcomeRecord),
    visitor: z.optional(VisitorRecord),
    signals: z.array(SignalRecord),
    models: z._default(z.array(ModelRecord), []),
    decisions: z._default(z.array(DecisionRecord), []),
  })
  return { ItemRecord, TagRecord, SessionRecord, FunnelRecord, OutcomeRecord, SignalRecord, PageRecord, VisitorRecord, ModelRecord, DecisionRecord, JournalRecord }
}

/** The record schemas (see `build`). */
export type Schemas = ReturnType<typeof build>
let built: Schemas | undefined
export const schemas = (): Schemas => (built ??= build())

/** Per tracked element (`data-tacit-item`). */
export type ItemRecord = z.infer<Schemas['ItemRecord']>
/** Per tag (`data-tacit-tags`), summed over the items that carry it. */
export type TagRecord = z.infer<Schemas['TagRecord']>
/** One visit: pages seen, engaged time, deepest scroll, signals counted by type. */
export type SessionRecord = z.infer<Schemas['SessionRecord']>
/** Progress through one declared funnel in the current session, and totals over sessions. */
export type FunnelRecord = z.infer<Schemas['FunnelRecord']>
/** A goal from `track(goal, value?)`: how often, and the sum of values. */
export type OutcomeRecord = z.infer<Schemas['OutcomeRecord']>
/** One entry of the bounded ring of recent signals. */
export type SignalRecord = z.infer<Schemas['SignalRecord']>
/** The page of the previous navigation, kept to recognise a quick back. Path only, no query. */
export type PageRecord = z.infer<Schemas['PageRecord']>
/** One per browser profile: visits and the current session. */
export type VisitorRecord = z.infer<Schemas['VisitorRecord']>
/** Model state (intent weights, one bandit posterior per slot). */
export type ModelRecord = z.infer<Schemas['ModelRecord']>
/** The last decision of a slot: sticky within its session, rewarded at most once. */
export type DecisionRecord = z.infer<Schemas['DecisionRecord']>
/** A delta written blind on page hide (see `JOURNAL_STORE`). */
export type JournalRecord = z.infer<Schemas['JournalRecord']>

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
