import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SIGNAL_TYPES, TacitArgumentError, createTacit, type Tacit, type TacitOptions, type TacitProfile } from '@tacit/core'

/**
 * Property: every public method, given anything a page might pass (empty and 10,000-character
 * names, emoji, lone surrogates, NaN and infinities, duplicate variants, thousands of items,
 * values of the wrong type), either does its job or throws a `TacitArgumentError` (in
 * development; NODE_ENV is 'test' here); in production it never throws. Afterwards the profile
 * is still valid, `export()` is JSON, and what was recorded is exactly what was accepted.
 */

const RUNS = 100
/** A property makes several hundred calls; on a busy two-core machine that can take more than 5 s. */
const TIMEOUT = 60_000
const FUNNELS = { checkout: ['cart', 'details', 'done'], '🛒 büy': ['a', 'b'] } as const
const RECENT = 50

let dbCount = 0
let errors: unknown[] = []
const tacits: Tacit[] = []

const make = async (storage: 'memory' | 'indexeddb', extra: TacitOptions = {}): Promise<Tacit> => {
  const t = createTacit({
    consent: storage === 'indexeddb' ? 'granted' : 'pending',
    dbName: `tacit-arguments-${++dbCount}`,
    funnels: { ...FUNNELS } as unknown as Record<string, string[]>,
    recentSignals: RECENT,
    onError: (e) => errors.push(e),
    ...extra,
  })
  tacits.push(t)
  await t.ready
  expect(t.storage).toBe(storage)
  return t
}

beforeEach(() => {
  errors = []
  document.body.innerHTML = '<button id="b">b</button><div data-tacit-item="sku-1" data-tacit-tags="premium,luggage">x</div>'
})
afterEach(async () => {
  for (const t of tacits.splice(0)) t.destroy()
  vi.unstubAllEnvs()
  // Faults inside Tacit go to onError; bad arguments in development are thrown, not reported.
  expect(errors).toEqual([])
})

// ---- the oracle: what each argument should be, from the TSDoc and error messages ----------------

/** A goal, funnel, step or slot name: a non-empty string of at most 200 characters. */
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 200
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
/** Finite but beyond any count or amount: a bound on values (a clear error) is as good as accepting them. */
const huge = (v: unknown) => typeof v === 'number' && Math.abs(v) > 1e9
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k)
const variantId = (v: unknown): unknown => (typeof v === 'string' ? v : v && typeof v === 'object' ? (v as { id?: unknown }).id : undefined)
const variantTagsOk = (v: unknown) =>
  typeof v === 'string' || (v !== null && typeof v === 'object' && ((v as { tags?: unknown }).tags === undefined || Array.isArray((v as { tags?: unknown }).tags)))

/**
 * The variant names when `decide(slot, variants, options)` is a valid call, else undefined.
 * Options that are not an object (null, a number) are either ignored or a clear error: see `apply`.
 */
const validDecide = (slot: unknown, variants: unknown, options: unknown): string[] | undefined => {
  if (!isName(slot) || !Array.isArray(variants) || variants.length < 1 || variants.length > 100) return undefined
  const ids = variants.map(variantId)
  if (!ids.every(isName) || new Set(ids).size !== ids.length || !variants.every(variantTagsOk)) return undefined
  const fallback = options && typeof options === 'object' ? (options as { fallback?: unknown }).fallback : undefined
  if (fallback !== undefined && !ids.includes(fallback as string)) return undefined
  return ids as string[]
}

const validItems = (items: unknown): boolean =>
  Array.isArray(items) &&
  items.every((it) => {
    if (!it || typeof it !== 'object') return false
    const { id, tags } = it as { id?: unknown; tags?: unknown }
    return typeof id === 'string' && id !== '' && (tags === undefined || Array.isArray(tags))
  })

/** `explain(slot)`, `explain({ item })` or `explain({ predict: 'convert' | 'dropOff' })`. */
const validExplain = (what: unknown): boolean => {
  if (typeof what === 'string') return isName(what)
  if (!what || typeof what !== 'object') return false
  const { item, predict } = what as { item?: unknown; predict?: unknown }
  if (item !== undefined) return validItems([item])
  return predict === 'convert' || predict === 'dropOff'
}

// ---- generators ------------------------------------------------------------------------------

const LONG = 'x'.repeat(10_000)
const names = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t\n',
      '\u200b',
      '\0',
      '🛒',
      '👩‍👩‍👧‍👦'.repeat(20),
      '\uD800',
      'a\uDC00b',
      '\u202Eevil',
      'x'.repeat(200),
      'x'.repeat(201),
      LONG,
      'purchase',
      'checkout',
      'cart',
      'hero',
      '🛒 büy',
      'a',
      'b',
    ),
  },
)
/** Names JavaScript objects already carry: a plain-object lookup finds something for them. */
const inherited = fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', '__defineGetter__')
const notAString = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, 0, 1, NaN, Infinity, true, [], ['purchase'], {}, { toString: () => 'purchase' }, () => 'purchase', Symbol('s'), 1n, new String('purchase')),
  fc.anything({ maxDepth: 1 }),
)

const numbers = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, 1e15),
)
const anyNumber = fc.oneof({ weight: 6, arbitrary: numbers }, { weight: 1, arbitrary: notAString })

type Call =
  | { m: 'track'; goal: unknown; value?: unknown; withValue: boolean }
  | { m: 'step'; funnel: unknown; step: unknown }
  | { m: 'decide'; slot: unknown; variants: unknown; options: unknown }
  | { m: 'reward'; slot: unknown; value: unknown }
  | { m: 'rank'; items: unknown }
  | { m: 'predict' }
  | { m: 'explain'; slot: unknown }
  | { m: 'on'; type: unknown; cb: unknown }
type Method = Call['m']

const declaredStep = fc.constantFrom(...Object.entries(FUNNELS).flatMap(([f, steps]) => steps.map((s) => [f, s] as const)))

/**
 * Calls of every method. `withInherited` adds names such as `constructor` and `__proto__`
 * everywhere a name goes: they hit one cross-cutting fault, tested on its own and in the mix,
 * and kept out of the per-method properties so that each of those fails for its own reason.
 */
const callsOf = (withInherited: boolean) => {
  // fast-check itself slips `__proto__`, `valueOf` and the like into strings now and then.
  const nameish = withInherited ? fc.oneof(names, inherited) : names.filter((n) => !(n in {}))
  const anyName = fc.oneof({ weight: 6, arbitrary: nameish }, { weight: 1, arbitrary: notAString })
  const tagLists = fc.oneof(
    fc.constant(undefined),
    fc.array(nameish, { maxLength: 4 }),
    fc.constantFrom<unknown>('premium', 5, null, {}, ['premium', 'premium'], [1, null, {}]),
  )
  const variant = fc.oneof(
    { weight: 4, arbitrary: nameish },
    { weight: 2, arbitrary: fc.record({ id: nameish, tags: tagLists }, { requiredKeys: ['id'] }) },
    { weight: 1, arbitrary: notAString },
  )
  const variantLists = fc.oneof(
    { weight: 6, arbitrary: fc.array(variant, { minLength: 1, maxLength: 6 }) },
    // Duplicates: the same name twice, as a string and as an object.
    { weight: 2, arbitrary: fc.tuple(names, fc.array(names, { maxLength: 3 })).map(([n, rest]) => [n, ...rest, { id: n }]) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([], Array.from({ length: 100 }, (_, i) => `v${i}`), Array.from({ length: 101 }, (_, i) => `v${i}`)) },
    { weight: 1, arbitrary: notAString },
  )
  const decideOptions = fc.oneof(
    fc.constant(undefined),
    fc.record({ fallback: fc.oneof(names, notAString) }, { requiredKeys: [] }),
    notAString,
  )
  const item = fc.record({ id: fc.oneof({ weight: 8, arbitrary: nameish }, { weight: 1, arbitrary: notAString }), tags: tagLists }, { requiredKeys: ['id'] })
  const itemLists = fc.oneof(
    { weight: 6, arbitrary: fc.array(item, { maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constant(null).map(() => Array.from({ length: 5000 }, (_, i) => ({ id: `sku-${i}`, tags: i % 3 ? ['premium'] : ['budget'] }))) },
    { weight: 1, arbitrary: fc.array(fc.oneof(item, notAString), { maxLength: 5 }) },
    { weight: 1, arbitrary: notAString },
  )
  const byMethod: Record<Method, fc.Arbitrary<Call>> = {
    track: fc.record({ m: fc.constant('track' as const), goal: anyName, value: anyNumber, withValue: fc.boolean() }),
    step: fc.oneof(
      declaredStep.map(([funnel, step]) => ({ m: 'step' as const, funnel, step })),
      fc.record({ m: fc.constant('step' as const), funnel: fc.oneof(anyName, fc.constantFrom('checkout', '🛒 büy')), step: anyName }),
    ),
    decide: fc.record({ m: fc.constant('decide' as const), slot: anyName, variants: variantLists, options: decideOptions }),
    reward: fc.record({ m: fc.constant('reward' as const), slot: anyName, value: anyNumber }),
    rank: fc.record({ m: fc.constant('rank' as const), items: itemLists }),
    predict: fc.constant({ m: 'predict' as const }),
    // A slot name, { item } (why rank puts it there) or { predict } (why this prediction).
    explain: fc.record({
      m: fc.constant('explain' as const),
      slot: fc.oneof(
        { weight: 3, arbitrary: anyName },
        { weight: 1, arbitrary: fc.record({ item: fc.oneof(item, notAString) }) },
        { weight: 1, arbitrary: fc.record({ predict: fc.oneof(fc.constantFrom<unknown>('convert', 'dropOff', 'Convert', 'drop-off'), notAString) }) },
      ),
    }),
    on: fc.record({
      m: fc.constant('on' as const),
      type: fc.oneof(fc.constantFrom<unknown>(...SIGNAL_TYPES, 'signal'), fc.constantFrom<unknown>('hesitatoin', 'Dwell', '', 'constructor'), notAString),
      cb: fc.oneof(fc.constant(() => {}), notAString),
    }),
  }
  return { byMethod, any: fc.oneof(...Object.values(byMethod)) }
}
const plainCalls = callsOf(false)
const allCalls = callsOf(true)

// ---- running calls against the oracle ----------------------------------------------------------

/** What a valid call recorded, to compare with the profile afterwards. */
interface Model {
  outcomes: Map<string, number>
}

/** Runs `fn`; returns what it returned or the error it threw. */
const run = <T,>(fn: () => T): { threw: false; value: T } | { threw: true; error: unknown } => {
  try {
    return { threw: false, value: fn() }
  } catch (error) {
    return { threw: true, error }
  }
}

const expectArgumentError = (r: ReturnType<typeof run>, what: string) => {
  if (!r.threw) throw new Error(`${what}: expected a TacitArgumentError, got ${show(r.value)}`)
  expect(r.error, what).toBeInstanceOf(TacitArgumentError)
  // A clear error names the method it came from.
  expect((r.error as Error).message).toMatch(/^\w+\(\): /)
}
const expectNoThrow = (r: ReturnType<typeof run>, what: string) => {
  if (r.threw) throw new Error(`${what}: threw ${String(r.error)}`, { cause: r.error })
}

const show = (v: unknown): string => {
  try {
    if (typeof v === 'string' && v.length > 40) return `"${v.slice(0, 20)}…" (${v.length})`
    if (Array.isArray(v) && v.length) return `[${v.slice(0, 6).map(show).join(', ')}${v.length > 6 ? `, … (${v.length})` : ''}]`
    const text = JSON.stringify(v) ?? String(v)
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  } catch {
    // BigInt inside, or an object without a prototype (no toString).
    return typeof v === 'bigint' ? `${v}n` : Object.prototype.toString.call(v)
  }
}

/** Applies one call in development mode and checks it against the oracle. */
const apply = (t: Tacit, c: Call, model: Model): void => {
  switch (c.m) {
    case 'track': {
      const args = c.withValue ? [c.goal, c.value] : [c.goal]
      const r = run(() => (t.track as (...a: unknown[]) => void)(...args))
      const valid = isName(c.goal) && (!c.withValue || c.value === undefined || isFiniteNumber(c.value))
      if (!valid) return expectArgumentError(r, `track(${args.map(show).join(', ')})`)
      if (c.withValue && huge(c.value) && r.threw) return expectArgumentError(r, `track(${args.map(show).join(', ')})`)
      expectNoThrow(r, `track(${show(c.goal)})`)
      model.outcomes.set(c.goal as string, (model.outcomes.get(c.goal as string) ?? 0) + 1)
      return
    }
    case 'step': {
      const r = run(() => t.step(c.funnel as string, c.step as string))
      const steps = typeof c.funnel === 'string' && own(FUNNELS, c.funnel) ? (FUNNELS as Record<string, readonly string[]>)[c.funnel] : undefined
      const valid = isName(c.funnel) && isName(c.step) && !!steps && steps.includes(c.step as string)
      if (!valid) return expectArgumentError(r, `step(${show(c.funnel)}, ${show(c.step)})`)
      return expectNoThrow(r, `step(${show(c.funnel)}, ${show(c.step)})`)
    }
    case 'decide': {
      const what = `decide(${show(c.slot)}, ${show(c.variants)}, ${show(c.options)})`
      const r = run(() => t.decide(c.slot as string, c.variants as string[], c.options as never))
      const ids = validDecide(c.slot, c.variants, c.options)
      if (!ids) return expectArgumentError(r, what)
      const optionsOk = c.options === undefined || (typeof c.options === 'object' && c.options !== null)
      if (!optionsOk && r.threw) return expectArgumentError(r, what)
      expectNoThrow(r, what)
      const d = (r as { value: ReturnType<Tacit['decide']> }).value
      expect(ids, what).toContain(d.variant)
      expect(d.probability, what).toBeGreaterThanOrEqual(0)
      expect(d.probability, what).toBeLessThanOrEqual(1)
      expect(typeof d.explanation).toBe('string')
      expect(d.explanation.length).toBeGreaterThan(0)
      return
    }
    case 'reward': {
      const what = `reward(${show(c.slot)}, ${show(c.value)})`
      const r = run(() => t.reward(c.slot as string, c.value as number))
      if (!isName(c.slot) || !isFiniteNumber(c.value) || (huge(c.value) && r.threw)) return expectArgumentError(r, what)
      expectNoThrow(r, what)
      expect(typeof (r as { value: unknown }).value, what).toBe('boolean')
      return
    }
    case 'rank': {
      const what = `rank(${Array.isArray(c.items) && c.items.length > 30 ? `${c.items.length} items` : show(c.items)})`
      const r = run(() => t.rank(c.items as never[]))
      if (!validItems(c.items)) return expectArgumentError(r, what)
      expectNoThrow(r, what)
      const out = (r as { value: unknown[] }).value
      const input = c.items as unknown[]
      // A permutation: the same objects, each as often as given.
      expect(out).not.toBe(input)
      expect(out.length, what).toBe(input.length)
      const count = (xs: unknown[]) => xs.reduce<Map<unknown, number>>((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map())
      expect(count(out), what).toEqual(count(input))
      return
    }
    case 'predict': {
      const p = t.predict()
      for (const v of [p.convert, p.dropOff]) {
        expect(Number.isFinite(v)).toBe(true)
        expect(v).toBeGreaterThanOrEqual(0)
        expect(v).toBeLessThanOrEqual(1)
      }
      return
    }
    case 'explain': {
      const what = `explain(${show(c.slot)})`
      const r = run(() => t.explain(c.slot as string))
      if (!validExplain(c.slot)) return expectArgumentError(r, what)
      expectNoThrow(r, what)
      const text = (r as { value: unknown }).value
      expect(typeof text, what).toBe('string')
      expect((text as string).length, what).toBeGreaterThan(0)
      return
    }
    case 'on': {
      const what = `on(${show(c.type)}, ${show(c.cb)})`
      const r = run(() => t.on(c.type as 'signal', c.cb as () => void))
      const valid = (c.type === 'signal' || SIGNAL_TYPES.includes(c.type as never)) && typeof c.cb === 'function'
      if (!valid) return expectArgumentError(r, what)
      expectNoThrow(r, what)
      const off = (r as { value: unknown }).value
      expect(typeof off).toBe('function')
      ;(off as () => void)()
      ;(off as () => void)()
      return
    }
  }
}

// ---- profile invariants, from the public types (independent of the zod schemas) ---------------

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
const count = (v: unknown) => finite(v) && (v as number) >= 0
const id = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200

/** Paths of values JSON cannot carry faithfully: non-finite numbers, functions, undefined in arrays. */
const notJson = (value: unknown, path = 'profile', out: string[] = []): string[] => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} = ${value}`)
  } else if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    out.push(`${path} is a ${typeof value}`)
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) out.push(`${path}[${i}] is undefined`)
      else notJson(value[i], `${path}[${i}]`, out)
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) notJson(v, `${path}.${k}`, out)
  }
  return out
}

/** Checks what a user would rely on in `profile()` and `export()`. */
const expectValidProfile = async (t: Tacit, model?: Model) => {
  const p: TacitProfile = await t.profile()
  // Plain JSON: no NaN, no Infinity, no functions, no undefined inside arrays.
  expect(notJson(p)).toEqual([])
  const unique = (keys: string[]) => expect(new Set(keys).size).toBe(keys.length)
  for (const r of [...p.items, ...p.tags]) {
    for (const k of ['dwellMs', 'hoverMs', 'hovers', 'clicks', 'hesitations', 'hesitationMs'] as const) expect(count(r[k]), k).toBe(true)
    expect(r.interest === undefined || finite(r.interest)).toBe(true)
    expect(finite(r.updatedAt)).toBe(true)
  }
  for (const r of p.items) expect(id(r.id) && Array.isArray(r.tags) && r.tags.every(id), show(r)).toBe(true)
  for (const r of p.tags) expect(id(r.tag), show(r)).toBe(true)
  unique(p.items.map((r) => r.id))
  unique(p.tags.map((r) => r.tag))
  for (const r of p.outcomes) {
    expect(id(r.goal), show(r)).toBe(true)
    expect(Number.isInteger(r.count) && r.count >= 1, show(r)).toBe(true)
    expect(finite(r.valueSum) && finite(r.lastAt) && finite(r.updatedAt), show(r)).toBe(true)
  }
  unique(p.outcomes.map((r) => r.goal))
  for (const r of p.sessions) {
    expect(id(r.id)).toBe(true)
    for (const k of ['pages', 'engagedMs', 'maxScroll'] as const) expect(count(r[k])).toBe(true)
    expect(Object.values(r.counts).every(count)).toBe(true)
  }
  for (const r of p.funnels) {
    expect(own(FUNNELS, r.funnel), show(r)).toBe(true)
    const steps = (FUNNELS as Record<string, readonly string[]>)[r.funnel]
    expect(Number.isInteger(r.furthest) && r.furthest >= -1 && r.furthest < steps.length, show(r)).toBe(true)
    expect(count(r.completions) && count(r.dropOffs)).toBe(true)
  }
  expect(p.signals.length).toBeLessThanOrEqual(RECENT)
  for (const d of p.decisions) {
    expect(id(d.slot), show(d.slot)).toBe(true)
    expect(d.variants.length >= 1 && d.variants.length <= 100 && new Set(d.variants).size === d.variants.length).toBe(true)
    expect(d.variants).toContain(d.variant)
    expect(d.probability >= 0 && d.probability <= 1, show(d)).toBe(true)
    expect(d.context.every(finite)).toBe(true)
    expect(['bandit', 'interest', 'fallback']).toContain(d.policy)
  }
  unique(p.decisions.map((d) => d.slot))
  for (const m of p.models) expect(id(m.key)).toBe(true)
  if (model) {
    // Exactly what was accepted: nothing lost, nothing invented.
    const got = new Map(p.outcomes.map((o) => [o.goal, o.count]))
    expect(got).toEqual(model.outcomes)
  }
  const exported = JSON.parse(await t.export())
  expect(exported.format).toBe('tacit-export')
  // (through JSON, as the export went: -0 becomes 0)
  expect(exported.outcomes).toEqual(expect.arrayContaining(JSON.parse(JSON.stringify(p.outcomes))))
  expect(exported.outcomes).toHaveLength(p.outcomes.length)
}

// ---- properties ------------------------------------------------------------------------------

/**
 * One property run: the calls, then the profile checks. `t` is a fresh instance, or one shared by
 * the runs of a property and erased first (creating an instance costs ~20 ms, erasing ~5).
 */
const runCalls = async (t: Tacit, calls: Call[], fresh = false) => {
  errors.length = 0
  if (!fresh) await t.erase()
  // Attention on a tagged item, so that rank and decide have tag affinities to read.
  document.querySelector('[data-tacit-item]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
  const model: Model = { outcomes: new Map() }
  for (const c of calls) apply(t, c, model)
  await expectValidProfile(t, model)
  // Faults inside Tacit are a failure of this run, not only of the test.
  expect(errors.splice(0)).toEqual([])
}
/**
 * Goals train the intent model in idle slices (8 ms each, a timer apart in happy-dom), which
 * would make each run wait behind training. Arguments never reach the model (it sees a fixed-size
 * feature vector), so the per-method properties count no goal as a conversion; the mixed
 * properties keep the default and train.
 */
const QUICK: TacitOptions = { model: { convertGoals: ['a goal no property tracks'] } }

const runFresh = async (storage: 'memory' | 'indexeddb', calls: Call[]) => {
  const t = await make(storage)
  try {
    await runCalls(t, calls, true)
  } finally {
    t.destroy()
    tacits.splice(tacits.indexOf(t), 1)
  }
}

const PER_METHOD: Array<[string, Method[]]> = [
  ['track', ['track']],
  ['step', ['step']],
  // Decisions are rewarded and explained, so that every path of a slot is taken.
  ['decide', ['decide', 'reward', 'explain']],
  ['reward', ['reward']],
  ['rank', ['rank']],
  ['explain and predict', ['explain', 'predict']],
  ['on', ['on']],
]

describe('method arguments, property-based (development: bad arguments throw TacitArgumentError)', () => {
  for (const [label, methods] of PER_METHOD) {
    it(`${label}: each call works or throws a clear error; the profile stays valid`, async () => {
      const mine = fc.oneof(...methods.map((m) => plainCalls.byMethod[m]))
      // Goals tracked in between: what each method does must not disturb what was recorded.
      const calls = fc.array(fc.oneof({ weight: 4, arbitrary: mine }, { weight: 1, arbitrary: plainCalls.byMethod.track }), { minLength: 1, maxLength: 6 })
      const t = await make('memory', QUICK)
      await fc.assert(
        fc.asyncProperty(calls, (cs) => runCalls(t, cs)),
        { numRuns: RUNS },
      )
    }, TIMEOUT)
  }

  for (const storage of ['memory', 'indexeddb'] as const) {
    it(`any mix of calls and names, ${storage} storage: the profile stays valid and holds exactly what was accepted`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(allCalls.any, { minLength: 1, maxLength: 10 }), (cs) => runFresh(storage, cs)),
        { numRuns: storage === 'memory' ? RUNS / 2 : RUNS / 5 },
      )
    }, TIMEOUT)
  }

  it('names JavaScript objects already carry are names like any other', async () => {
    const t = await make('memory')
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(() => t.track(name, 2)).not.toThrow()
      expect(t.explain(name)).toMatch(/No decision/)
      expect(t.reward(name, 1)).toBe(false)
      expect(t.decide(name, ['a', 'b']).variant).toMatch(/^[ab]$/)
      expect(t.reward(name, 1)).toBe(true)
      expect(typeof t.explain(name)).toBe('string')
      // Not declared: a clear error, not a TypeError reported to onError.
      expect(() => t.step(name, 'cart')).toThrow(TacitArgumentError)
    }
    const p = await t.profile()
    expect(p.outcomes.map((o) => [o.goal, o.count, o.valueSum]).sort()).toEqual(
      [['__proto__', 1, 2], ['constructor', 1, 2], ['hasOwnProperty', 1, 2], ['toString', 1, 2]],
    )
    expect(p.decisions.map((d) => d.slot).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString'])
    await expectValidProfile(t)
  })

  it('huge finite values: a clear error, or sums that stay finite and models that keep deciding', async () => {
    const t = await make('memory')
    const accepted = (fn: () => unknown) => {
      const r = run(fn)
      if (r.threw) expect(r.error).toBeInstanceOf(TacitArgumentError)
      return !r.threw
    }
    for (let i = 0; i < 3; i++) accepted(() => t.track('purchase', Number.MAX_VALUE))
    t.decide('hero', ['a', 'b', 'c'])
    accepted(() => t.reward('hero', Number.MAX_VALUE))
    t.decide('side', ['a', 'b', 'c'])
    accepted(() => t.reward('side', -Number.MAX_VALUE))
    for (const slot of ['next', 'hero', 'side']) {
      const d = t.decide(`${slot}-2`, ['a', 'b', 'c'])
      expect(['a', 'b', 'c']).toContain(d.variant)
      expect(Number.isFinite(d.probability)).toBe(true)
    }
    const p = t.predict()
    expect(Number.isFinite(p.convert) && Number.isFinite(p.dropOff)).toBe(true)
    await expectValidProfile(t)
  })

  it('variant tags and item tags of the wrong type are a clear error', async () => {
    const t = await make('memory')
    // Give the interest model something to go on, so that decide reads the tags.
    document.querySelector('[data-tacit-item]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(() => t.decide('hero', [{ id: 'a', tags: 'premium' as never }, 'b'])).toThrow(TacitArgumentError)
    expect(() => t.rank([{ id: 'a', tags: 5 as never }])).toThrow(TacitArgumentError)
  })

  it('thousands of items: rank returns a permutation, the items this person looks at first', async () => {
    const t = await make('memory')
    document.querySelector('[data-tacit-item]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `sku-${i + 2}`, tags: i % 2 ? ['budget'] : ['other'] }))
    items.push({ id: 'sku-x', tags: ['premium'] })
    const ranked = t.rank(items)
    expect(ranked).toHaveLength(items.length)
    expect(new Set(ranked)).toEqual(new Set(items))
    expect(ranked[0].id).toBe('sku-x')
    // Ties keep the page's order.
    expect(ranked.slice(1)).toEqual(items.slice(0, -1))
  })
})

/** Calls the method of `c` as a page would, with whatever arguments it holds. */
const callAsPage = (t: Tacit, c: Call): unknown => {
  switch (c.m) {
    case 'track':
      return c.withValue ? t.track(c.goal as string, c.value as number) : t.track(c.goal as string)
    case 'step':
      return t.step(c.funnel as string, c.step as string)
    case 'decide':
      return t.decide(c.slot as string, c.variants as string[], c.options as never)
    case 'reward':
      return t.reward(c.slot as string, c.value as number)
    case 'rank':
      return t.rank(c.items as never[])
    case 'predict':
      return t.predict()
    case 'explain':
      return t.explain(c.slot as string)
    case 'on':
      return t.on(c.type as 'signal', c.cb as () => void)
  }
}

describe('method arguments in production: nothing throws, bad calls are reported and ignored', () => {
  it('any call returns a usable answer; decide returns one of the given variants', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const t = await make('memory', QUICK)
    await fc.assert(
      fc.asyncProperty(fc.array(allCalls.any, { minLength: 1, maxLength: 8 }), async (calls) => {
        await t.erase()
        errors.length = 0
        try {
          for (const c of calls) {
            const what = `${c.m}(${Object.values(c).slice(1).map(show).join(', ')})`
            const r = run(() => callAsPage(t, c))
            expectNoThrow(r, what)
            const value = (r as { value: unknown }).value
            if (c.m === 'decide') {
              // Whatever went wrong, the page gets something it can render: one of its variants.
              const given = Array.isArray(c.variants) ? c.variants.map(variantId).filter(isName) : []
              const d = value as ReturnType<Tacit['decide']>
              if (given.length) expect(given, what).toContain(d.variant)
              else expect(typeof d.variant, what).toBe('string')
            }
            if (c.m === 'rank') expect(Array.isArray(value), what).toBe(true)
            if (c.m === 'reward') expect(typeof value, what).toBe('boolean')
            if (c.m === 'explain') expect(typeof value, what).toBe('string')
            if (c.m === 'on') expect(typeof value, what).toBe('function')
          }
          // Every bad call was reported as what it is: a bad argument, not a TypeError from inside.
          expect(errors.splice(0).filter((e) => !(e instanceof TacitArgumentError))).toEqual([])
          await expectValidProfile(t)
        } finally {
          errors.length = 0
        }
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('a bad decide call still returns a variant the page can render, and is reported', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const t = await make('memory', QUICK)
    const cases: Array<[unknown, unknown, string[]]> = [
      [['a', 'b'], { fallback: 'z' }, ['a', 'b']],
      [['a', 'b'], { fallback: NaN }, ['a', 'b']],
      [[{ id: '' }, 'b'], undefined, ['b']],
      [[5, 'b'], undefined, ['b']],
      [['a', 'a'], undefined, ['a']],
      [['a', { id: 'b', tags: 'premium' }], undefined, ['a', 'b']],
    ]
    try {
      for (const [variants, options, allowed] of cases) {
        const d = t.decide('hero', variants as string[], options as never)
        expect(allowed, `decide('hero', ${show(variants)}, ${show(options)})`).toContain(d.variant)
      }
      // Each bad call reported, as a bad argument.
      expect(errors.length).toBeGreaterThanOrEqual(cases.length)
      expect(errors.filter((e) => !(e instanceof TacitArgumentError))).toEqual([])
    } finally {
      errors.length = 0
    }
  })
})
