import * as z from 'zod/mini'
import { above, between, lengthBetween, recordOf, whole } from './checks'
import { TacitConfigError, describeValue } from './errors'
import { SIGNAL_TYPES, type SignalType } from './signals/types'

export type Consent = 'pending' | 'granted' | 'denied'

const positive = (def: number) =>
  z._default(z.number({ error: 'must be a positive number' }).check(above(0, 'must be a positive number')), def)
const count = (def: number, min: number) =>
  z._default(z.number({ error: `must be a whole number of at least ${min}` }).check(whole(min, Infinity, `must be a whole number of at least ${min}`)), def)
const bool = (def: boolean) => z._default(z.boolean({ error: 'must be true or false' }), def)
// The same rule as the methods' names (api/arguments.ts checkName): a declared funnel must be usable.
const isName = (s: string): boolean => s.trim() !== '' && s.length <= 200
const name = z.string({ error: 'must be a non-empty string of at most 200 characters' }).check(
  z.refine(isName, { error: 'must be a non-empty string of at most 200 characters' }),
)

const isPrior = (v: unknown): boolean =>
  !!v && typeof v === 'object' && (v as { version?: unknown }).version === 1 && Array.isArray((v as { layers?: unknown }).layers) && Array.isArray((v as { inputs?: unknown }).inputs)
const PRIOR_HINT = 'must be a prior written by scripts/train-intent.ts ({ version: 1, inputs, layers })'
const isPriorPair = (v: unknown): boolean =>
  !!v &&
  typeof v === 'object' &&
  Object.keys(v).length > 0 &&
  Object.entries(v).every(([k, p]) => (k === 'convert' || k === 'dropOff') && (p === undefined || isPrior(p)))

const modelSchema = () =>
  z.strictObject({
    /** Intent priors from the training tool: one for `convert`, or `{ convert, dropOff }`. */
    prior: z.optional(z.custom<object>((v) => isPrior(v) || isPriorPair(v), { error: `${PRIOR_HINT}, or { convert, dropOff } of such priors` })),
    /** Minimum probability of every variant of a slot (capped at 1 / variants). */
    minExplore: z._default(
      z.number({ error: 'must be a number from 0 to 0.5' }).check(between(0, 0.5, 'must be a number from 0 to 0.5')),
      0.05,
    ),
    /** Step size of on-device fine-tuning of the intent model. */
    learningRate: positive(0.01),
    /** Rewards a slot collects before the bandit, not tag affinity, decides for tagged variants. */
    warmStartRewards: count(10, 0),
    /** A decision not rewarded within this many ms counts as 0. Default: by the end of its session. */
    rewardWindowMs: z.optional(z.number({ error: 'must be a positive number' }).check(above(0, 'must be a positive number'))),
    /** Goals that count as a conversion for the intent model. Default: every goal. */
    convertGoals: z.optional(z.array(z.string().check(lengthBetween(1)), { error: 'must be an array of goal names' })),
  })

/**
 * The options schema, built for each `resolveOptions` call rather than once at load: options are
 * read once per instance, and about a hundred schema objects kept for the page's lifetime were
 * measured at 0.09 MiB of heap.
 */
const optionsSchema = () =>
  z.strictObject({
    /** `pending` (default): in memory for this page only. `granted`: persisted. `denied`: nothing captured. */
    consent: z._default(z.enum(['pending', 'granted', 'denied'], { error: "must be 'pending', 'granted' or 'denied'" }), 'pending'),
    respectGlobalPrivacyControl: bool(true),
    retentionDays: positive(30),
    dbName: z._default(name, 'tacit'),
    /**
     * Store every record encrypted (AES-GCM, under a non-extractable key Tacit makes in this
     * browser and keeps in the database), with no item id, tag or signal name in clear text. Guards
     * copies of the stored data read outside the page, not script running in the page: see
     * docs/privacy.md, "Encryption at rest". Needs WebCrypto (https or localhost). Switching it on
     * or off drops the profile stored the other way.
     */
    encrypt: bool(false),
    funnels: z._default(
      recordOf(
        z.array(name, { error: 'must be an array of step names' }).check(lengthBetween(2, Infinity, 'must list at least two steps')),
        isName,
        'must be an object of funnel name to step names',
      ),
      {},
    ),
    signals: z._default(
      z.array(z.enum(SIGNAL_TYPES as [SignalType, ...SignalType[]], { error: `must list signal types (${SIGNAL_TYPES.join(', ')})` }), {
        error: 'must be an array of signal types',
      }),
      [...SIGNAL_TYPES],
    ),
    keepQueryParams: z._default(z.array(name, { error: 'must be an array of query parameter names' }), []),
    /** Pending changes are written at most this often (and at once when the page hides). */
    flushIntervalMs: positive(5000),
    recentSignals: count(500, 0),
    hesitationMs: positive(1000),
    fieldHesitationMs: positive(3000),
    rageClickCount: count(3, 2),
    rageClickIntervalMs: positive(1000),
    rageClickDistancePx: positive(30),
    deadClickMutationMs: positive(2500),
    deadClickScrollMs: positive(100),
    deadClickNavigationMs: positive(1000),
    dwellVisibleRatio: z._default(
      z.number({ error: 'must be a number above 0 and at most 1' }).check(z.refine((n) => n > 0 && n <= 1, 'must be a number above 0 and at most 1')),
      0.5,
    ),
    activeWindowMs: positive(30000),
    idleMs: positive(30000),
    scrollMarks: z._default(
      z.array(
        z.number({ error: 'must be percentages between 1 and 100' }).check(between(1, 100, 'must be percentages between 1 and 100')),
        { error: 'must be an array of percentages' },
      ),
      [25, 50, 75, 90, 100],
    ),
    sessionTimeoutMs: positive(30 * 60 * 1000),
    quickBackMs: positive(5000),
    /** Interest in a tag halves after this many days without new attention. */
    interestHalfLifeDays: positive(7),
    /** The on-device models: intent priors, exploration, learning rate. */
    model: z._default(modelSchema(), {
      minExplore: 0.05,
      learningRate: 0.01,
      warmStartRewards: 10,
    }),
    onError: z.optional(z.custom<(error: unknown) => void>((v) => typeof v === 'function', { error: 'must be a function' })),
  })

/**
 * The schema for calls in one run of script: the script tag resolves its defaults and then the
 * options themselves as the page loads, and building the schema twice cost as much as a parse.
 * Dropped at the next microtask, so it is still not kept for the page's lifetime.
 */
let recent: ReturnType<typeof optionsSchema> | undefined
const schema = (): ReturnType<typeof optionsSchema> => {
  if (!recent) {
    recent = optionsSchema()
    queueMicrotask(() => (recent = undefined))
  }
  return recent
}

/** Options accepted by `createTacit`. Every threshold has the default of DESIGN.md. */
export type TacitOptions = z.input<ReturnType<typeof optionsSchema>>
/** Options after validation, with every default filled in. */
export type ResolvedOptions = z.output<ReturnType<typeof optionsSchema>>

/** Validates options at the public boundary; throws `TacitConfigError` naming the field. */
export const resolveOptions = (input: unknown = {}): ResolvedOptions => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TacitConfigError('options', `createTacit options must be an object, got ${describeValue(input)}`)
  }
  // zod drops an own `__proto__` key of a record without a word: say so instead.
  const funnels = (input as { funnels?: unknown }).funnels
  if (funnels && typeof funnels === 'object' && Object.prototype.hasOwnProperty.call(funnels, '__proto__')) {
    throw new TacitConfigError('funnels.__proto__', 'funnels.__proto__ cannot be a funnel name: name it otherwise')
  }
  const result = z.safeParse(schema(), input)
  if (result.success) {
    const out = result.data
    out.scrollMarks = [...new Set(out.scrollMarks)].sort((a, b) => a - b)
    return out
  }
  const issue = result.error.issues[0]
  const path = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${String(k)}` : String(k))).join('')
  if (issue.code === 'unrecognized_keys') {
    const key = (issue as { keys: string[] }).keys[0]
    const field = path ? `${path}.${key}` : key
    const shown = /^[\w$.[\]]+$/.test(field) ? field : JSON.stringify(field)
    throw new TacitConfigError(field, `${shown} is not a Tacit option (check the spelling; see TacitOptions)`)
  }
  const got = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as any)[k as any] : undefined), input)
  throw new TacitConfigError(path || 'options', `${path || 'options'} ${issue.message}, got ${describeValue(got)}`)
}
