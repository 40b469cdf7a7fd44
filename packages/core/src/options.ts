import * as z from 'zod/mini'
import { above, between, lengthBetween, recordOf, whole } from './checks'
import { TacitConfigError, describeValue } from './errors'
import { SIGNAL_TYPES, type SignalType } from './signals/types'

export type Consent = 'pending' | 'granted' | 'denied'

/**
 * An option: the schema of its value, built only when a page passes the option (see
 * `resolveOptions`), and its default. Building the whole options schema (about a hundred zod
 * objects) took most of the time of the first options read, in the script's first task, for the
 * two or three options a page passes; the parse itself is a few microseconds.
 */
type Field<S extends z.ZodMiniType, D> = [schema: () => S, def: D]
const field = <S extends z.ZodMiniType, D extends z.output<S> | undefined = z.output<S>>(schema: () => S, def: D): Field<S, D> => [schema, def]

const positiveNumber = () => z.number({ error: 'must be a positive number' }).check(above(0, 'must be a positive number'))
const positive = (def: number) => field(positiveNumber, def)
const wholeNumber = (min: number) => () =>
  z.number({ error: `must be a whole number of at least ${min}` }).check(whole(min, Infinity, `must be a whole number of at least ${min}`))
const count = (def: number, min: number) => field(wholeNumber(min), def)
const bool = (def: boolean) => field(() => z.boolean({ error: 'must be true or false' }), def)
// The same rule as the methods' names (api/arguments.ts checkName): a declared funnel must be usable.
const isName = (s: string): boolean => s.trim() !== '' && s.length <= 200
const name = () =>
  z.string({ error: 'must be a non-empty string of at most 200 characters' }).check(
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
    learningRate: z._default(positiveNumber(), 0.01),
    /** Rewards a slot collects before the bandit, not tag affinity, decides for tagged variants. */
    warmStartRewards: z._default(wholeNumber(0)(), 10),
    /** A decision not rewarded within this many ms counts as 0. Default: by the end of its session. */
    rewardWindowMs: z.optional(positiveNumber()),
    /** Goals that count as a conversion for the intent model. Default: every goal. */
    convertGoals: z.optional(z.array(z.string().check(lengthBetween(1)), { error: 'must be an array of goal names' })),
  })

/** Every option, in the order they are checked, with defaults of its own for each call. */
const fields = () => ({
  /** `pending` (default): in memory for this page only. `granted`: persisted. `denied`: nothing captured. */
  consent: field(() => z.enum(['pending', 'granted', 'denied'], { error: "must be 'pending', 'granted' or 'denied'" }), 'pending'),
  respectGlobalPrivacyControl: bool(true),
  retentionDays: positive(30),
  dbName: field(name, 'tacit'),
  /**
   * Store every record encrypted (AES-GCM, under a non-extractable key Tacit makes in this
   * browser and keeps in the database), with no item id, tag or signal name in clear text. Guards
   * copies of the stored data read outside the page, not script running in the page: see
   * docs/privacy.md, "Encryption at rest". Needs WebCrypto (https or localhost). Switching it on
   * or off drops the profile stored the other way.
   */
  encrypt: bool(false),
  funnels: field(
    () =>
      recordOf(
        z.array(name(), { error: 'must be an array of step names' }).check(lengthBetween(2, Infinity, 'must list at least two steps')),
        isName,
        'must be an object of funnel name to step names',
      ),
    {},
  ),
  signals: field(
    () =>
      z.array(z.enum(SIGNAL_TYPES as [SignalType, ...SignalType[]], { error: `must list signal types (${SIGNAL_TYPES.join(', ')})` }), {
        error: 'must be an array of signal types',
      }),
    [...SIGNAL_TYPES],
  ),
  keepQueryParams: field(() => z.array(name(), { error: 'must be an array of query parameter names' }), []),
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
  dwellVisibleRatio: field(
    () => z.number({ error: 'must be a number above 0 and at most 1' }).check(z.refine((n) => n > 0 && n <= 1, 'must be a number above 0 and at most 1')),
    0.5,
  ),
  activeWindowMs: positive(30000),
  idleMs: positive(30000),
  scrollMarks: field(
    () =>
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
  model: field(modelSchema, { minExplore: 0.05, learningRate: 0.01, warmStartRewards: 10 }),
  onError: field(() => z.custom<(error: unknown) => void>((v) => typeof v === 'function', { error: 'must be a function' }), undefined),
})

type Fields = ReturnType<typeof fields>
type In<K extends keyof Fields> = z.input<ReturnType<Fields[K][0]>>
type Out<K extends keyof Fields> = z.output<ReturnType<Fields[K][0]>>
type Optional = { [K in keyof Fields]: Fields[K][1] extends undefined ? K : never }[keyof Fields]

/** Options accepted by `createTacit`. Every threshold has the default of DESIGN.md. */
export type TacitOptions = { [K in keyof Fields]?: In<K> }
/** Options after validation, with every default filled in. */
export type ResolvedOptions = { [K in Exclude<keyof Fields, Optional>]: Out<K> } & { [K in Optional]?: Out<K> }

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
  const all = fields()
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(all) as Array<keyof Fields>) {
    const value = (input as Record<string, unknown>)[key]
    const [schema, def] = all[key]
    if (value === undefined) {
      if (def !== undefined) out[key] = def
      continue
    }
    const result = z.safeParse(schema() as z.ZodMiniType, value)
    if (!result.success) throw configError(input, [key, ...result.error.issues[0].path], result.error.issues[0])
    out[key] = result.data
  }
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(all, key)) throw unknownOption(key)
  }
  const resolved = out as ResolvedOptions
  resolved.scrollMarks = [...new Set(resolved.scrollMarks)].sort((a, b) => a - b)
  return resolved
}

const unknownOption = (field: string): TacitConfigError => {
  const shown = /^[\w$.[\]]+$/.test(field) ? field : JSON.stringify(field)
  return new TacitConfigError(field, `${shown} is not a Tacit option (check the spelling; see TacitOptions)`)
}

/** The error for the first issue zod found, naming the field by its path from the options. */
const configError = (input: object, at: PropertyKey[], issue: z.core.$ZodIssue): TacitConfigError => {
  const path = at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${String(k)}` : String(k))).join('')
  if (issue.code === 'unrecognized_keys') return unknownOption(`${path}.${issue.keys[0]}`)
  const got = at.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as any)[k as any] : undefined), input)
  return new TacitConfigError(path, `${path} ${issue.message}, got ${describeValue(got)}`)
}
