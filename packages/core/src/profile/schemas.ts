import * as z from 'zod/mini'
import { between, lengthBetween, recordOf, whole } from '../checks'
import { finiteArray } from '../model/finiteArray'
import { SIGNAL_TYPES, type SignalType as SignalTypeName } from '../signals/types'

/**
 * Every record Tacit stores, as a zod schema. A stored record that fails its schema is dropped
 * and counted at load; nothing else is ever written. No schema has a field for text, input
 * values or full URLs.
 */

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
export const ItemRecord = z.object({ id, tags: z.array(id), ...totals })
export type ItemRecord = z.infer<typeof ItemRecord>

/** Per tag (`data-tacit-tags`), summed over the items that carry it. */
export const TagRecord = z.object({ tag: id, ...totals })
export type TagRecord = z.infer<typeof TagRecord>

const SignalTypeSchema = z.enum(SIGNAL_TYPES as [SignalTypeName, ...SignalTypeName[]])

/** One visit: pages seen, engaged time, deepest scroll, signals counted by type. */
export const SessionRecord = z.object({
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
export type SessionRecord = z.infer<typeof SessionRecord>

/** Progress through one declared funnel in the current session, and totals over sessions. */
export const FunnelRecord = z.object({
  funnel: id,
  sessionId: z.string(),
  /** Index of the furthest step reached in `sessionId`, or -1 for none. */
  furthest: z.number().check(whole(-1)),
  completions: count,
  dropOffs: count,
  updatedAt: finite,
})
export type FunnelRecord = z.infer<typeof FunnelRecord>

/** A goal from `track(goal, value?)`: how often, and the sum of values. */
export const OutcomeRecord = z.object({ goal: id, count, valueSum: finite, lastAt: finite, updatedAt: finite })
export type OutcomeRecord = z.infer<typeof OutcomeRecord>

/** One entry of the bounded ring of recent signals (the last `recentSignals`, 500 by default). */
export const SignalRecord = z.object({
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
export type SignalRecord = z.infer<typeof SignalRecord>

/** The page of the previous navigation, kept to recognise a quick back. Path only, no query. */
export const PageRecord = z.object({
  path: z.string().check(lengthBetween(0, 500)),
  arrivedAt: finite,
  leftAt: finite,
  interacted: z.boolean(),
})
export type PageRecord = z.infer<typeof PageRecord>

/** One per browser profile: visits and the current session. */
export const VisitorRecord = z.object({
  key: z.literal('visitor'),
  firstSeen: finite,
  lastSeen: finite,
  visits: count,
  sessionId: z.string(),
  lastPage: z.optional(PageRecord),
  updatedAt: finite,
})
export type VisitorRecord = z.infer<typeof VisitorRecord>

/**
 * Model state (intent weights, one bandit posterior per slot), validated again by the model code
 * when loaded. `state` is the model's own JSON (see `model/`).
 */
export const ModelRecord = z.object({
  key: id,
  state: z.unknown(),
  /** Only in a pending change (and the journal): the state the change started from (`modelMerge.ts`). */
  base: z.optional(z.unknown()),
  updatedAt: finite,
})
export type ModelRecord = z.infer<typeof ModelRecord>

/** The last decision of a slot: sticky within its session, rewarded at most once. */
export const DecisionRecord = z.object({
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
export type DecisionRecord = z.infer<typeof DecisionRecord>

/** Object stores, their key paths and the schema of their records. */
export const STORES = {
  items: { keyPath: 'id', schema: ItemRecord },
  tags: { keyPath: 'tag', schema: TagRecord },
  sessions: { keyPath: 'id', schema: SessionRecord },
  funnels: { keyPath: 'funnel', schema: FunnelRecord },
  outcomes: { keyPath: 'goal', schema: OutcomeRecord },
  meta: { keyPath: 'key', schema: VisitorRecord },
  models: { keyPath: 'key', schema: ModelRecord },
  decisions: { keyPath: 'slot', schema: DecisionRecord },
} as const

/** The ring of recent signals is a store of its own with an auto-incremented key. */
export const RING_STORE = 'signals'

/**
 * Deltas written blind on page hide (no read, so the transaction commits even as the page goes
 * away); the next start-up folds them into the stores and deletes them.
 */
export const JOURNAL_STORE = 'journal'
export const JournalRecord = z.object({
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
export type JournalRecord = z.infer<typeof JournalRecord>
/** Key of the start-up copy in `meta` (see `startupCopy.ts`); not a visitor record. */
export const STARTUP_KEY = 'startup'

/** 1: the first release. 2: adds `models` and `decisions` (the upgrade only adds stores). */
export const DB_VERSION = 2
