import fc from 'fast-check'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { SIGNAL_TYPES, TacitArgumentError, TacitConfigError, createTacit, type Tacit } from '@tacit/core'

/**
 * Property: whatever a site passes to `createTacit`, it either gets an instance or a
 * `TacitConfigError` whose `field` names the option at fault (and the message says it). Nothing
 * else escapes: no TypeError from reading a strange object, no zod error, no other throw.
 */

const RUNS = 300
/** Hundreds of instances created and destroyed: seconds on a busy two-core machine. */
const TIMEOUT = 60_000

let dbCount = 0
/** Databases of accepted instances get unique names, so instances never share one. */
const freshDb = () => `tacit-options-property-${++dbCount}`

const errors: unknown[] = []
const quiet = (e: unknown) => errors.push(e)

type Outcome = { ok: true; tacit: Tacit } | { ok: false; error: unknown }
const attempt = (input: unknown): Outcome => {
  try {
    return { ok: true, tacit: createTacit(input as never) }
  } catch (error) {
    return { ok: false, error }
  }
}

/** Destroys an accepted instance and lets its start-up finish (ready never rejects). */
const dispose = async (tacit: Tacit) => {
  tacit.destroy()
  await tacit.ready
}

/** The error names a field that the input has (or `options` for the object itself). */
const expectNamedField = (error: unknown, input: unknown) => {
  expect(error).toBeInstanceOf(TacitConfigError)
  const e = error as TacitConfigError
  expect(e.name).toBe('TacitConfigError')
  expect(typeof e.field).toBe('string')
  // Named as it is, or quoted (an empty key, a key with spaces or backslashes).
  const named = (e.field !== '' && e.message.includes(e.field)) || e.message.includes(JSON.stringify(e.field))
  expect(named, `${JSON.stringify(e.field)} in ${JSON.stringify(e.message)}`).toBe(true)
  if (e.field === 'options') return
  expect(input !== null && typeof input === 'object').toBe(true)
  // Keys may contain dots and brackets themselves: compare with each key, not a split path.
  const keys: string[] = []
  for (const k in input as object) keys.push(k)
  expect(keys.some((k) => e.field === k || e.field.startsWith(`${k}.`) || e.field.startsWith(`${k}[`))).toBe(true)
}

/** Paths of numbers in `value` that are not finite. */
const nonFinite = (value: unknown, path = '', out: string[] = []): string[] => {
  if (typeof value === 'number' && !Number.isFinite(value)) out.push(`${path} = ${value}`)
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nonFinite(v, `${path}.${k}`, out)
  return out
}

// ---- values ----------------------------------------------------------------------------------

const nonEmpty = fc.string({ minLength: 1, maxLength: 20 })
/**
 * Names every rule accepts: not blank, short. (Whether a blank or 201-character funnel name is
 * accepted is a question of its own, below; the generators of valid options stay clear of it.)
 */
const plainName = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '')
const positive = fc.oneof(
  fc.double({ min: Number.MIN_VALUE, max: 1e9, noNaN: true }),
  fc.constantFrom(Number.MIN_VALUE, 1, 1e300, Number.MAX_VALUE),
)
const whole = (min: number) => fc.oneof(fc.integer({ min, max: 10_000 }), fc.constant(Number.MAX_SAFE_INTEGER))

/** One arbitrary of accepted values per option of `packages/core/src/options.ts`. */
const VALID = {
  consent: fc.constantFrom('pending', 'granted', 'denied'),
  respectGlobalPrivacyControl: fc.boolean(),
  retentionDays: positive,
  dbName: plainName,
  funnels: fc.dictionary(
    plainName.filter((k) => k !== '__proto__'),
    fc.array(plainName, { minLength: 2, maxLength: 5 }),
    { maxKeys: 3, noNullPrototype: true },
  ),
  signals: fc.subarray([...SIGNAL_TYPES]),
  keepQueryParams: fc.array(plainName, { maxLength: 3 }),
  flushIntervalMs: positive,
  recentSignals: whole(0),
  hesitationMs: positive,
  fieldHesitationMs: positive,
  rageClickCount: whole(2),
  rageClickIntervalMs: positive,
  rageClickDistancePx: positive,
  deadClickMutationMs: positive,
  deadClickScrollMs: positive,
  deadClickNavigationMs: positive,
  dwellVisibleRatio: fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), fc.constant(1)),
  activeWindowMs: positive,
  idleMs: positive,
  scrollMarks: fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { maxLength: 6 }),
  sessionTimeoutMs: positive,
  quickBackMs: positive,
  interestHalfLifeDays: positive,
  model: fc.record(
    {
      minExplore: fc.double({ min: 0, max: 0.5, noNaN: true }),
      learningRate: positive,
      warmStartRewards: whole(0),
      rewardWindowMs: positive,
      convertGoals: fc.array(plainName, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
} as const
type Key = keyof typeof VALID
const KEYS = Object.keys(VALID) as Key[]

/** Does `options.ts` accept `v` for `key`? Written independently of zod, from the option docs. */
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isPos = (v: unknown) => isNum(v) && v > 0
const isName = (v: unknown) => typeof v === 'string' && v.length > 0
const isNames = (v: unknown) => Array.isArray(v) && v.length === Object.keys(v).length && v.every(isName)
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
const ACCEPTS: Record<Key, (v: unknown) => boolean> = {
  consent: (v) => v === 'pending' || v === 'granted' || v === 'denied',
  respectGlobalPrivacyControl: (v) => typeof v === 'boolean',
  retentionDays: isPos,
  dbName: isName,
  funnels: (v) => isPlain(v) && Object.entries(v).every(([k, s]) => isName(k) && isNames(s) && (s as unknown[]).length >= 2),
  // (objects with another prototype are left out of the one-wrong-value property: see `odd`)
  signals: (v) => Array.isArray(v) && v.length === Object.keys(v).length && v.every((s) => SIGNAL_TYPES.includes(s)),
  keepQueryParams: isNames,
  flushIntervalMs: isPos,
  recentSignals: (v) => isNum(v) && Number.isInteger(v) && v >= 0,
  hesitationMs: isPos,
  fieldHesitationMs: isPos,
  rageClickCount: (v) => isNum(v) && Number.isInteger(v) && v >= 2,
  rageClickIntervalMs: isPos,
  rageClickDistancePx: isPos,
  deadClickMutationMs: isPos,
  deadClickScrollMs: isPos,
  deadClickNavigationMs: isPos,
  dwellVisibleRatio: (v) => isNum(v) && v > 0 && v <= 1,
  activeWindowMs: isPos,
  idleMs: isPos,
  scrollMarks: (v) => Array.isArray(v) && v.length === Object.keys(v).length && v.every((m) => isNum(m) && m >= 1 && m <= 100),
  sessionTimeoutMs: isPos,
  quickBackMs: isPos,
  interestHalfLifeDays: isPos,
  // A nested object: anything but a plain object is wrong for sure; inside it, the generators decide.
  model: isPlain,
}

/**
 * Objects that are neither plain nor arrays (a Date, a class instance, an object with a prototype
 * of its own): whether they pass as a record is zod's business, so the property that predicts
 * the outcome leaves them out; the last property still requires a clean answer for them.
 */
const odd = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && !isPlain(v)

/** Values that break naive validation: wrong types, non-finite and extreme numbers, odd objects. */
const junk = fc.oneof(
  fc.constantFrom<unknown>(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    -0,
    0.5,
    2.5,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '1000',
    'granted ',
    'GRANTED',
    null,
    true,
    false,
    [],
    [''],
    [NaN],
    ['cart'],
    {},
    { __proto__: { consent: 'granted' } },
    Object.create(null),
    JSON.parse('{"__proto__": ["a", "b"]}'),
    new Date(0),
    new Map([['a', ['b', 'c']]]),
    /x/,
    () => {},
    Symbol('tacit'),
    10n,
    new Number(5),
    new String('granted'),
    new Boolean(true),
    new Float32Array([1, 2]),
    Promise.resolve(1),
  ),
  fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
)

/** Accepted options: a random subset of the option keys, each with an accepted value. */
const validOptions = fc.record(VALID, { requiredKeys: [] })

// ---- properties ------------------------------------------------------------------------------

describe('createTacit options, property-based', () => {
  afterAll(() => {
    // Start-up faults from accepted options would show up here (they go to onError, never thrown).
    expect(errors).toEqual([])
  })

  it('accepts every combination of accepted values', async () => {
    await fc.assert(
      fc.asyncProperty(validOptions, async (options) => {
        const result = attempt({ ...options, dbName: freshDb(), onError: quiet })
        if (!result.ok) throw result.error
        await dispose(result.tacit)
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('one wrong value among accepted ones: a TacitConfigError naming exactly that option', async () => {
    const oneWrong = fc
      .tuple(validOptions, fc.constantFrom(...KEYS), junk)
      .filter(([, key, value]) => value !== undefined && !odd(value) && !ACCEPTS[key](value))
    await fc.assert(
      fc.asyncProperty(oneWrong, async ([options, key, value]) => {
        const input = { ...options, onError: quiet, [key]: value }
        const result = attempt(input)
        if (result.ok) {
          await dispose(result.tacit)
          // Only `model` (checked by its fields) may take a wrong-looking value through.
          expect(key).toBe('model')
          return
        }
        expectNamedField(result.error, input)
        const field = (result.error as TacitConfigError).field
        expect(field === key || field.startsWith(`${key}.`) || field.startsWith(`${key}[`)).toBe(true)
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('misspelt options and strange inputs: an instance or a TacitConfigError, never another throw', async () => {
    const misspelt = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('', 's', 'MS', '_')).map(([k, s]) => k.toLowerCase() + s)
    const input = fc.oneof(
      junk,
      // Empty keys are a case of their own below.
      fc.object({ maxDepth: 2, key: fc.string({ minLength: 1, maxLength: 12 }), values: [junk] }),
      fc.dictionary(fc.oneof(misspelt, fc.constantFrom(...KEYS)), junk, { maxKeys: 4 }),
      fc.record({ ...VALID, model: fc.dictionary(fc.oneof(fc.constantFrom('prior', 'minExplore', 'learningRate', 'warmStartRewards', 'rewardWindowMs', 'convertGoals'), fc.string()), junk, { maxKeys: 3 }) }, { requiredKeys: [] }),
      // Options inherited through a prototype, and objects that are not plain.
      validOptions.map((o) => Object.create(o)),
      validOptions.map((o) => Object.assign(Object.create(null), o)),
      validOptions.map((o) => Object.freeze({ ...o })),
      fc.constant(new (class Options { consent = 'granted' })()),
      fc.constant(Object.assign(new Date(0), { consent: 'granted' })),
    )
    // (An empty key at the top has a test of its own, below.)
    const noEmptyKey = (v: unknown) => !(v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, ''))
    await fc.assert(
      fc.asyncProperty(input.filter(noEmptyKey), async (value) => {
        // Accepted instances get their own database and a quiet error handler.
        const withDb =
          isPlain(value) && !('dbName' in value) && !('onError' in value) ? { ...value, dbName: freshDb(), onError: quiet } : value
        const result = attempt(withDb)
        if (result.ok) await dispose(result.tacit)
        else expectNamedField(result.error, withDb)
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('the known hard cases', async () => {
    const cases: Array<[unknown, string]> = [
      [null, 'options'],
      ['granted', 'options'],
      [[], 'options'],
      [42, 'options'],
      [{ retentionDays: NaN }, 'retentionDays'],
      [{ retentionDays: Infinity }, 'retentionDays'],
      [{ hesitationMs: -Infinity }, 'hesitationMs'],
      [{ recentSignals: -1 }, 'recentSignals'],
      [{ rageClickCount: 1 }, 'rageClickCount'],
      [{ dwellVisibleRatio: 0 }, 'dwellVisibleRatio'],
      [{ scrollMarks: [0] }, 'scrollMarks[0]'],
      [{ scrollMarks: [50, NaN] }, 'scrollMarks[1]'],
      [{ model: { minExplore: 0.6 } }, 'model.minExplore'],
      [{ model: { learningRate: NaN } }, 'model.learningRate'],
      [{ model: { prior: { version: 2 } } }, 'model.prior'],
      [{ model: { convertGoals: [''] } }, 'model.convertGoals[0]'],
      [{ model: { tempo: 1 } }, 'model.tempo'],
      [{ funnels: { checkout: 'cart,done' } }, 'funnels.checkout'],
      [{ funnels: [] }, 'funnels'],
      [{ signals: 'dwell' }, 'signals'],
      [{ onError: 'console' }, 'onError'],
      [{ consnet: 'granted' }, 'consnet'],
      [JSON.parse('{"__proto__": 1}'), '__proto__'],
    ]
    for (const [input, field] of cases) {
      const result = attempt(input)
      if (result.ok) {
        await dispose(result.tacit)
        throw new Error(`accepted ${String(JSON.stringify(input))}`)
      }
      expect(result.error).toBeInstanceOf(TacitConfigError)
      expect((result.error as TacitConfigError).field).toBe(field)
    }
  })

  it('every funnel the options accept can be stepped through, to its last step', async () => {
    const odd = fc.constantFrom(' ', '\t', 'x'.repeat(201), '🛒 büy', '\uD800', 'a.b', 'constructor')
    const funnelName = fc.oneof(nonEmpty, odd).filter((k) => k !== '__proto__')
    const funnels = fc.dictionary(funnelName, fc.uniqueArray(fc.oneof(nonEmpty, odd), { minLength: 2, maxLength: 4 }), { minKeys: 1, maxKeys: 3, noNullPrototype: true })
    await fc.assert(
      fc.asyncProperty(funnels, async (declared) => {
        const faults: unknown[] = []
        const result = attempt({ funnels: declared, onError: (e: unknown) => faults.push(e) })
        if (!result.ok) return expectNamedField(result.error, { funnels: declared })
        const t = result.tacit
        try {
          for (const [funnel, steps] of Object.entries(declared)) {
            for (const step of steps) {
              const r = (() => {
                try {
                  t.step(funnel, step)
                  return undefined
                } catch (error) {
                  return error
                }
              })()
              expect(r, `step(${JSON.stringify(funnel)}, ${JSON.stringify(step)})`).toBeUndefined()
            }
          }
          const recorded = (await t.profile()).funnels
          expect(recorded.map((f) => f.funnel).sort()).toEqual(Object.keys(declared).sort())
          expect(recorded.every((f) => f.completions === 1)).toBe(true)
          expect(faults).toEqual([])
        } finally {
          await dispose(t)
        }
      }),
      { numRuns: 100 },
    )
  }, TIMEOUT)

  it('an empty key is named too, quoted', () => {
    const result = attempt({ '': 1 })
    if (result.ok) throw new Error('accepted an empty key')
    expect(result.error).toBeInstanceOf(TacitConfigError)
    expect((result.error as TacitConfigError).field).toBe('')
    // " is not a Tacit option" names nothing: the message must show the key, quoted.
    expect((result.error as TacitConfigError).message).toMatch(/^"" is not a Tacit option/)
  })

  it('a funnel called __proto__ is a funnel like any other, or a TacitConfigError', () => {
    const options = JSON.parse('{"funnels": {"__proto__": ["cart", "done"]}}')
    const faults: unknown[] = []
    const result = attempt({ ...options, onError: (e: unknown) => faults.push(e) })
    if (!result.ok) {
      expectNamedField(result.error, options)
      return
    }
    const t = result.tacit
    try {
      // Declared, so stepping through it is no error; an undeclared funnel still is one.
      expect(() => t.step('__proto__', 'cart')).not.toThrow()
      expect(() => t.step('length', 'cart')).toThrow(TacitArgumentError)
      expect(faults).toEqual([])
    } finally {
      t.destroy()
    }
  })
})

describe('accepted extreme values do what they say', () => {
  const DAY = 86_400_000
  const start = Date.UTC(2026, 11, 1, 12)
  const fakeClock = () =>
    vi.useFakeTimers({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  const hide = (state: 'hidden' | 'visible') => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }

  // Browsers (and Node, and fake timers) run a timer longer than 2^31 - 1 ms (24.8 days)
  // after 1 ms. Options accept any positive duration, so a long one must not turn into "now".
  it('a 30-day session timeout: hiding the page for a second keeps the session', async () => {
    fakeClock()
    const t = createTacit({ sessionTimeoutMs: 30 * DAY, funnels: { checkout: ['cart', 'done'] }, onError: quiet })
    try {
      await t.ready
      const drops: unknown[] = []
      t.on('drop-off', (s) => drops.push(s))
      t.step('checkout', 'cart')
      const session = (await t.profile()).session?.id
      hide('hidden')
      vi.advanceTimersByTime(1000)
      hide('visible')
      expect(drops).toEqual([])
      expect((await t.profile()).session?.id).toBe(session)
    } finally {
      t.destroy()
    }
  })

  it('a 30-day idle threshold does not run a timer every millisecond', async () => {
    fakeClock()
    const t = createTacit({ idleMs: 30 * DAY, onError: quiet })
    try {
      await t.ready
      const timers = vi.spyOn(globalThis, 'setTimeout')
      vi.advanceTimersByTime(1000)
      expect(timers.mock.calls.length).toBeLessThan(10)
    } finally {
      t.destroy()
    }
  })

  it('the shortest half-life of interest still leaves a profile of finite numbers', async () => {
    const result = attempt({ interestHalfLifeDays: Number.MIN_VALUE, onError: quiet })
    if (!result.ok) {
      expectNamedField(result.error, { interestHalfLifeDays: 0 })
      return
    }
    const t = result.tacit
    try {
      await t.ready
      document.body.innerHTML = '<div data-tacit-item="sku-1" data-tacit-tags="premium">x</div>'
      document.querySelector('[data-tacit-item]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
      const profile = await t.profile()
      expect(profile.items.map((i) => i.id)).toEqual(['sku-1'])
      // NaN and Infinity do not survive JSON (they become null in the export).
      expect(nonFinite(profile)).toEqual([])
      // (Interest that halves every 1e-308 days is gone at once: any order is right.)
      expect(t.rank([{ id: 'a' }, { id: 'sku-1' }]).map((i) => i.id).sort()).toEqual(['a', 'sku-1'])
    } finally {
      t.destroy()
    }
  })
})
