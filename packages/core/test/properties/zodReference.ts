import * as z from 'zod/mini'
import { SIGNAL_TYPES, type SignalType as SignalTypeName } from '../../src/signals/types'
import { isPlainObject } from '../../src/plainObject'

/**
 * The zod/mini schemas that defined Tacit's stored records, intent priors and bandit states until
 * `src/schema.ts` replaced zod in the SDK (zod was 5.7 KB gzip of tacit.min.js). Kept here, as
 * they were, as the reference that schemas.property.test.ts holds the new schemas to.
 */

const between = (min: number, max: number, error?: string) => z.refine<number>((n) => n >= min && n <= max, error)

const whole = (min: number, max = Infinity, error?: string) =>
  z.refine<number>((n) => Number.isSafeInteger(n) && n >= min && n <= max, error)

const lengthBetween = <T extends { length: number }>(min: number, max = Infinity, error?: string) =>
  z.refine<T>((v) => v.length >= min && v.length <= max, error)

const recordOf = <V extends z.ZodMiniType>(value: V, key?: (k: string) => boolean, error?: string) =>
  z.custom<Record<string, z.output<V>>, Record<string, z.input<V>>>(undefined, error).check(
    z.check((payload) => {
      const input: unknown = payload.value
      if (!isPlainObject(input)) {
        payload.issues.push({ code: 'custom', input })
        return
      }
      const out: Record<string, unknown> = {}
      for (const k of Reflect.ownKeys(input)) {
        if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, k)) continue
        if (typeof k !== 'string' || (key && !key(k))) {
          payload.issues.push({ code: 'custom', input: k, path: [k] })
          continue
        }
        const result = z.safeParse(value, input[k])
        if (result.success) out[k] = result.data
        else for (const issue of result.error.issues) payload.issues.push({ ...issue, input: undefined, path: [k, ...issue.path] })
      }
      payload.value = out as Record<string, z.output<V>>
    }),
  )

const isFiniteArray = (v: unknown): v is number[] => {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return false
  return true
}
const finiteArray = () => z.custom<number[]>(isFiniteArray, { error: 'must be an array of finite numbers' })

const isMetaValue = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

/** The stored records (profile/schemas.ts). */
export const recordSchemas = (() => {
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
})()

/** The intent-model prior (model/intentPrior.ts). */
export const priorSchema = (() => {
  const finite = z.number().check(z.refine(Number.isFinite, { error: 'must be a finite number' }))
  const name = z.string().check(lengthBetween(1, 200))
  /** One dense layer: `out = activation(in · weights + bias)`. */
  const layer = z.object({
    /** `[inputs][units]`, row i holds the weights of input i. */
    weights: z.array(finiteArray()).check(lengthBetween(1)),
    bias: finiteArray().check(lengthBetween(1)),
    /** Hidden layers use `relu`; the last layer is a single `sigmoid` unit. */
    activation: z.enum(['relu', 'sigmoid']),
  })
  /** Applied before the first layer: `x' = (x - mean) / std`, per input. */
  const normalisation = z.object({
    mean: finiteArray(),
    std: z.array(finite.check(z.refine((n) => n > 0, { error: 'must be above 0' }))),
  })
  return z.object({
    version: z.literal(1),
    /** Feature names, one per input, in vector order. */
    inputs: z.array(name).check(lengthBetween(1, 4096)),
    layers: z.array(layer).check(lengthBetween(1, 4)),
    normalisation: z.optional(normalisation),
    /** What the model predicts, for example `convert` or `dropOff` (informative). */
    output: z.optional(z.string().check(lengthBetween(0, 200))),
    /** Free-form provenance written by the training tool (data file, rows, metrics). */
    meta: z.optional(recordOf(z.custom<string | number | boolean>(isMetaValue))),
  })
})()

/** The bandit state (model/bandit.ts). */
export const banditStateSchema = (() => {
  const finite = z.number().check(z.refine(Number.isFinite, { error: 'must be a finite number' }))
  const ArmState = z.object({
    n: finite.check(z.refine((n) => n >= 0, { error: 'must be 0 or more' })),
    precision: finiteArray(),
    xty: finiteArray(),
    yty: finite.check(z.refine((n) => n >= 0, { error: 'must be 0 or more' })),
  })
  return z.object({
    version: z.literal(1),
    dim: z.number().check(whole(1, 1024)),
    lambda: finite.check(z.refine((n) => n > 0, { error: 'must be above 0' })),
    a0: finite.check(z.refine((n) => n > 0, { error: 'must be above 0' })),
    b0: finite.check(z.refine((n) => n > 0, { error: 'must be above 0' })),
    minExplore: finite.check(z.refine((n) => n >= 0 && n <= 1, { error: 'must be between 0 and 1' })),
    samples: z.number().check(whole(1, 100_000)),
    /** Absent in states saved before the option existed: the current default applies. */
    optimistic: z.optional(z.boolean()),
    arms: z.array(ArmState).check(lengthBetween(1)),
  })
})()
