import { TacitConfigError, describeValue, pathOf } from './errors'
import { isPlainObject } from './plainObject'
import { SIGNAL_TYPES, type SignalType } from './signals/types'

export type Consent = 'pending' | 'granted' | 'denied'

/** The on-device models' options (`createTacit({ model })`). */
export interface ModelOptions {
  /** Intent priors from the training tool: one for `convert`, or `{ convert, dropOff }`. */
  prior?: object
  /** Minimum probability of every variant of a slot (capped at 1 / variants). Default 0.05. */
  minExplore?: number
  /** Step size of on-device fine-tuning of the intent model. Default 0.01. */
  learningRate?: number
  /** Rewards a slot collects before the bandit, not tag affinity, decides for tagged variants. Default 10. */
  warmStartRewards?: number
  /** A decision not rewarded within this many ms counts as 0. Default: by the end of its session. */
  rewardWindowMs?: number
  /** Goals that count as a conversion for the intent model. Default: every goal. */
  convertGoals?: string[]
}

/** Options accepted by `createTacit`. Every threshold has the default of DESIGN.md. */
export interface TacitOptions {
  /** `pending` (default): in memory for this page only. `granted`: persisted. `denied`: nothing captured. */
  consent?: Consent
  /** Default true: a browser sending Global Privacy Control is treated as `pending` at most. */
  respectGlobalPrivacyControl?: boolean
  /** Default 30. */
  retentionDays?: number
  /** Default 'tacit'. */
  dbName?: string
  /**
   * Store every record encrypted (AES-GCM, under a non-extractable key Tacit makes in this
   * browser and keeps in the database), with no item id, tag or signal name in clear text. Guards
   * copies of the stored data read outside the page, not script running in the page: see
   * docs/privacy.md, "Encryption at rest". Needs WebCrypto (https or localhost). Switching it on
   * or off drops the profile stored the other way. Default false.
   */
  encrypt?: boolean
  /** Funnel name to its steps, in order (at least two). */
  funnels?: Record<string, string[]>
  /** The detectors to run. Default: every signal type. */
  signals?: SignalType[]
  /** Query parameters kept in page paths (every other one is dropped). Default none. */
  keepQueryParams?: string[]
  /** Pending changes are written at most this often (and at once when the page hides). Default 5000. */
  flushIntervalMs?: number
  /** Recent signals kept in the ring. Default 500. */
  recentSignals?: number
  /** Default 1000. */
  hesitationMs?: number
  /** Default 3000. */
  fieldHesitationMs?: number
  /** Default 3. */
  rageClickCount?: number
  /** Default 1000. */
  rageClickIntervalMs?: number
  /** Default 30. */
  rageClickDistancePx?: number
  /** Default 2500. */
  deadClickMutationMs?: number
  /** Default 100. */
  deadClickScrollMs?: number
  /** Default 1000. */
  deadClickNavigationMs?: number
  /** Default 0.5. */
  dwellVisibleRatio?: number
  /** Default 30000. */
  activeWindowMs?: number
  /** Default 30000. */
  idleMs?: number
  /** Default [25, 50, 75, 90, 100]. */
  scrollMarks?: number[]
  /** Default 30 minutes. */
  sessionTimeoutMs?: number
  /** Default 5000. */
  quickBackMs?: number
  /** Interest in a tag halves after this many days without new attention. Default 7. */
  interestHalfLifeDays?: number
  /** The on-device models: intent priors, exploration, learning rate. */
  model?: ModelOptions
  /** Where faults inside Tacit go (never thrown into the page). */
  onError?: (error: unknown) => void
}

/** Options after validation, with every default filled in. */
export type ResolvedOptions = Required<Omit<TacitOptions, 'onError' | 'model'>> & {
  model: Required<Pick<ModelOptions, 'minExplore' | 'learningRate' | 'warmStartRewards'>> & ModelOptions
  onError?: (error: unknown) => void
}

/**
 * Options are checked by hand, with no schema library: they are read in the script's first task.
 * Measured, when zod still defined the stored records: `@tacit/core` up front 20.1 -> 14.2 KB
 * gzip. (Stored records now have Tacit's own schemas, `schema.ts`, which copy when they drop a
 * key; options are always copied.)
 *
 * A check gets a value and its path below the options, and returns the value it accepts (a copy,
 * for lists and objects, so that no instance shares one with the page or another instance) or
 * throws `Refused`: what is expected and where, or (with no message) that an object has a key
 * Tacit does not know.
 */
type Path = PropertyKey[]
class Refused {
  constructor(
    readonly message: string,
    readonly at: Path,
  ) {}
}
type Check<T> = (v: unknown, at: Path) => T

const refuse = (message: string, at: Path): never => {
  throw new Refused(message, at)
}

/** A finite number that passes `ok` (NaN, ±Infinity and boxed numbers are refused). */
const number =
  (message: string, ok: (n: number) => boolean): Check<number> =>
  (v, at) =>
    typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : refuse(message, at)

const positive = number('must be a positive number', (n) => n > 0)
const whole = (min: number) => number(`must be a whole number of at least ${min}`, (n) => Number.isSafeInteger(n) && n >= min)
const is =
  <T,>(test: (v: unknown) => boolean, message: string): Check<T> =>
  (v, at) =>
    test(v) ? (v as T) : refuse(message, at)
const bool = is<boolean>((v) => typeof v === 'boolean', 'must be true or false')

// The same rule as the methods' names (api/arguments.ts checkName): a declared funnel must be usable.
const isName = (s: unknown): boolean => typeof s === 'string' && s.trim() !== '' && s.length <= 200
const name = is<string>(isName, 'must be a non-empty string of at most 200 characters')

/** An array of `item`s (a hole is an undefined item), copied; at least `min` long. */
const list =
  <T,>(item: Check<T>, message: string, min = 0, short = message): Check<T[]> =>
  (v, at) => {
    if (!Array.isArray(v)) return refuse(message, at)
    const out: T[] = []
    for (let i = 0; i < v.length; i++) out.push(item(v[i], [...at, i]))
    return out.length < min ? refuse(short, at) : out
  }

/**
 * Name to `value`, as stored records take records (plainObject.ts): its own enumerable keys, each
 * a name, each value passing `value`; copied. (`__proto__` never reaches here: resolveOptions
 * refuses it with a message of its own.)
 */
const record =
  <T,>(value: Check<T>, message: string): Check<Record<string, T>> =>
  (v, at) => {
    if (!isPlainObject(v)) return refuse(message, at)
    const out: Record<string, T> = {}
    for (const k of Reflect.ownKeys(v)) {
      if (!Object.prototype.propertyIsEnumerable.call(v, k)) continue
      if (!isName(k)) refuse(message, [...at, k])
      out[k as string] = value(v[k], [...at, k])
    }
    return out
  }

const isPrior = (v: unknown): boolean =>
  !!v && typeof v === 'object' && (v as { version?: unknown }).version === 1 && Array.isArray((v as { layers?: unknown }).layers) && Array.isArray((v as { inputs?: unknown }).inputs)
const PRIOR_HINT = 'must be a prior written by scripts/train-intent.ts ({ version: 1, inputs, layers })'
const isPriorPair = (v: unknown): boolean =>
  !!v &&
  typeof v === 'object' &&
  Object.keys(v).length > 0 &&
  Object.entries(v).every(([k, p]) => (k === 'convert' || k === 'dropOff') && (p === undefined || isPrior(p)))

/**
 * The fields of an object, each with its check and its default (a list or an object is made
 * afresh per call, by a function: no two instances share one), in the order they are checked; a
 * key not among them is refused.
 */
const fields =
  <T,>(all: Record<string, [Check<unknown>, unknown?]>): Check<T> =>
  (v, at) => {
    const input = v as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const key in all) {
      const [check, def] = all[key]
      const value = input[key] !== undefined ? check(input[key], [...at, key]) : typeof def === 'function' ? def() : def
      if (value !== undefined) out[key] = value
    }
    // Every key read through, own or inherited, as zod's objects do.
    for (const key in input) if (!Object.prototype.hasOwnProperty.call(all, key)) throw new Refused('', [...at, key])
    return out as T
  }

const model = fields<ResolvedOptions['model']>({
  prior: [is((v) => isPrior(v) || isPriorPair(v), `${PRIOR_HINT}, or { convert, dropOff } of such priors`)],
  minExplore: [number('must be a number from 0 to 0.5', (n) => n >= 0 && n <= 0.5), 0.05],
  learningRate: [positive, 0.01],
  warmStartRewards: [whole(0), 10],
  rewardWindowMs: [positive],
  // Goal names, by the rule of `track`'s (a goal it would refuse could never count).
  convertGoals: [list(name, 'must be an array of goal names')],
})

/** Every option, in the order they are checked. */
const options = fields<ResolvedOptions>({
  consent: [is((v) => v === 'pending' || v === 'granted' || v === 'denied', "must be 'pending', 'granted' or 'denied'"), 'pending'],
  respectGlobalPrivacyControl: [bool, true],
  retentionDays: [positive, 30],
  dbName: [name, 'tacit'],
  encrypt: [bool, false],
  funnels: [record(list(name, 'must be an array of step names', 2, 'must list at least two steps'), 'must be an object of funnel name to step names'), () => ({})],
  signals: [
    list(is((v) => SIGNAL_TYPES.includes(v as SignalType), `must list signal types (${SIGNAL_TYPES.join(', ')})`), 'must be an array of signal types'),
    () => [...SIGNAL_TYPES],
  ],
  keepQueryParams: [list(name, 'must be an array of query parameter names'), () => []],
  flushIntervalMs: [positive, 5000],
  recentSignals: [whole(0), 500],
  hesitationMs: [positive, 1000],
  fieldHesitationMs: [positive, 3000],
  rageClickCount: [whole(2), 3],
  rageClickIntervalMs: [positive, 1000],
  rageClickDistancePx: [positive, 30],
  deadClickMutationMs: [positive, 2500],
  deadClickScrollMs: [positive, 100],
  deadClickNavigationMs: [positive, 1000],
  dwellVisibleRatio: [number('must be a number above 0 and at most 1', (n) => n > 0 && n <= 1), 0.5],
  activeWindowMs: [positive, 30000],
  idleMs: [positive, 30000],
  scrollMarks: [list(number('must be percentages between 1 and 100', (n) => n >= 1 && n <= 100), 'must be an array of percentages'), () => [25, 50, 75, 90, 100]],
  sessionTimeoutMs: [positive, 30 * 60 * 1000],
  quickBackMs: [positive, 5000],
  interestHalfLifeDays: [positive, 7],
  model: [
    (v, at) => (v && typeof v === 'object' && !Array.isArray(v) ? model(v, at) : refuse('must be an object of model options (see TacitOptions.model)', at)),
    () => model({}, ['model']),
  ],
  onError: [is((v) => typeof v === 'function', 'must be a function')],
})

/** Validates options at the public boundary; throws `TacitConfigError` naming the field. */
export const resolveOptions = (input: unknown = {}): ResolvedOptions => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TacitConfigError('options', `createTacit options must be an object, got ${describeValue(input)}`)
  }
  // A funnel named `__proto__` could not be kept in an object of funnels: say so.
  const funnels = (input as { funnels?: unknown }).funnels
  if (funnels && typeof funnels === 'object' && Object.prototype.hasOwnProperty.call(funnels, '__proto__')) {
    throw new TacitConfigError('funnels.__proto__', 'funnels.__proto__ cannot be a funnel name: name it otherwise')
  }
  let resolved: ResolvedOptions
  try {
    resolved = options(input, [])
  } catch (e) {
    if (!(e instanceof Refused)) throw e
    throw e.message ? configError(input, e.at, e.message) : unknownOption(pathOf(e.at))
  }
  resolved.scrollMarks = [...new Set(resolved.scrollMarks)].sort((a, b) => a - b)
  return resolved
}

const unknownOption = (field: string): TacitConfigError => {
  const shown = /^[\w$.[\]]+$/.test(field) ? field : JSON.stringify(field)
  return new TacitConfigError(field, `${shown} is not a Tacit option (check the spelling; see TacitOptions)`)
}


/** The error for a refused value, naming the field by its path from the options. */
const configError = (input: object, at: Path, message: string): TacitConfigError => {
  const path = pathOf(at)
  const got = at.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as any)[k as any] : undefined), input)
  return new TacitConfigError(path, `${path} ${message}, got ${describeValue(got)}`)
}
