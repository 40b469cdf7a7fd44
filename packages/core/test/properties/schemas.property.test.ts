import fc from 'fast-check'
import * as z from 'zod/mini'
import { describe, expect, it } from 'vitest'
import { LinearThompsonBandit } from '../../src/model/bandit'
import { mergeItem, mergeTag } from '../../src/profile/merge'
import { schemas } from '../../src/profile/schemas'
import { safeParse, type Schema } from '../../src/schema'
import { SIGNAL_TYPES } from '../../src/signals/types'
import { banditStateSchema, priorSchema, recordSchemas } from './zodReference'

// The intent prior's schema is private to intentPrior.ts; it is reached through parseIntentPrior.
import { parseIntentPrior } from '../../src/model/intentPrior'

const S = schemas()

/**
 * Property: Tacit's schemas (src/schema.ts, profile/schemas.ts, the model states) accept exactly
 * the values that the zod schemas they replaced accept (test/properties/zodReference.ts), and
 * return the same data: unknown keys dropped, absent optional keys absent, defaults filled in.
 * And a valid record as Tacit writes it comes back as the same object, so that reading hundreds
 * of records at start-up allocates nothing.
 */

const RUNS = 3000

/** Numbers around every boundary the schemas draw: negatives, zero, NaN, infinities, huge. */
const anyNumber = fc.oneof(fc.double(), fc.constantFrom(0, -0, -1, 1, NaN, Infinity, -Infinity, Number.MAX_VALUE), fc.integer())
const goodCount = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e12, noNaN: true }))
const goodId = fc.string({ minLength: 1, maxLength: 200 })
const anyId = fc.oneof(goodId, fc.constantFrom('', 'x'.repeat(201), 'x'.repeat(200)), fc.anything())

const totals = (count: fc.Arbitrary<unknown>, finite: fc.Arbitrary<unknown>) => ({
  dwellMs: count,
  hoverMs: count,
  hovers: count,
  clicks: count,
  hesitations: count,
  hesitationMs: count,
  interest: finite,
  updatedAt: finite,
})
const good = { ...totals(goodCount, fc.double({ noNaN: true, noDefaultInfinity: true })) }
const bad = { ...totals(fc.oneof(goodCount, anyNumber, fc.anything()), fc.oneof(anyNumber, fc.anything())) }

const validItem = fc.record({ id: goodId, tags: fc.array(goodId, { maxLength: 16 }), ...good }, { requiredKeys: ['id', 'tags', 'dwellMs', 'hoverMs', 'hovers', 'clicks', 'hesitations', 'hesitationMs', 'updatedAt'] }).map((r) => ({ ...r })) // plain objects, as IndexedDB returns them
const validTag = fc
  .record({ tag: goodId, ...good }, { requiredKeys: ['tag', 'dwellMs', 'hoverMs', 'hovers', 'clicks', 'hesitations', 'hesitationMs', 'updatedAt'] })
  .map((r) => ({ ...r }))

/** Near misses: any field possibly wrong or missing, extra keys, and arbitrary values. */
const extra = fc.dictionary(fc.constantFrom('extra', 'constructor', '__proto__', 'toString', 'interest', 'id'), fc.anything(), { maxKeys: 2 })
const nearItem = fc.oneof(
  fc.tuple(fc.record({ id: anyId, tags: fc.oneof(fc.array(anyId, { maxLength: 4 }), fc.anything()), ...bad }, { requiredKeys: [] }), extra).map(([r, e]) => ({ ...r, ...e })),
  validItem.map((r) => ({ ...r, interest: undefined })),
  validItem.map((r) => Object.assign(Object.create({ inherited: 1 }), r)),
  validItem.map((r) => ({ ...r, tags: Object.assign([], r.tags, { length: r.tags.length + 1 }) })),
  fc.anything(),
)
const nearTag = fc.oneof(
  fc.tuple(fc.record({ tag: anyId, ...bad }, { requiredKeys: [] }), extra).map(([r, e]) => ({ ...r, ...e })),
  validTag.map((r) => ({ ...r, interest: undefined })),
  fc.anything(),
)

/** Signals as detectors emit them: the fields of their type, optional ones present or not. */
const SIGNAL_OPTIONAL = ['item', 'tags', 'ms', 'clicks', 'percent', 'fields', 'index', 'outcome', 'field', 'funnel', 'step'] as const
const validSignal = fc
  .record(
    {
      type: fc.constantFrom(...SIGNAL_TYPES),
      t: fc.double({ noNaN: true, noDefaultInfinity: true }),
      target: fc.string({ maxLength: 200 }),
      item: fc.string(),
      tags: fc.array(fc.string(), { maxLength: 16 }),
      ms: goodCount,
      clicks: goodCount,
      percent: goodCount,
      fields: goodCount,
      index: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
      outcome: fc.constantFrom('abandoned', 'clicked', 'field'),
      field: fc.string(),
      funnel: fc.string(),
      step: fc.string(),
    },
    { requiredKeys: ['type', 't', 'target'] },
  )
  .map((r) => ({ ...r }))
const nearSignal = fc.oneof(
  fc
    .tuple(
      fc.record(
        {
          type: fc.oneof(fc.constantFrom(...SIGNAL_TYPES, 'hover', ''), fc.anything()),
          t: fc.oneof(anyNumber, fc.anything()),
          target: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('x'.repeat(201), 'x'.repeat(200)), fc.anything()),
          ...Object.fromEntries(SIGNAL_OPTIONAL.map((k) => [k, fc.oneof(fc.constant(undefined), anyNumber, fc.string(), fc.array(fc.anything(), { maxLength: 2 }), fc.constantFrom('abandoned', 'clicked', 'field'), fc.anything())])),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.constantFrom('extra', 'constructor', '__proto__', 'toString', 'ms', 'value', 'text'), fc.anything(), { maxKeys: 2 }),
    )
    .map(([r, e]) => ({ ...r, ...e })),
  validSignal.map((r) => ({ ...r, item: undefined, ms: undefined })),
  validSignal.map((r) => ({ ...r, tags: Object.assign([], r.tags ?? [], { length: (r.tags?.length ?? 0) + 1 }) })),
  validSignal.map((r) => Object.assign(Object.create({ inherited: 1 }), r)),
  fc.anything(),
)

const agrees = (ours: Schema<unknown>, reference: z.ZodMiniType, value: unknown): void => {
  const zod = z.safeParse(reference, value)
  const result = safeParse(ours, value)
  expect(result.success).toBe(zod.success)
  if (result.success) expect(result.data).toStrictEqual(zod.data)
}

/** Tricky values: every boundary the schemas draw, and other types. */
const TRICKY: unknown[] = [undefined, null, NaN, Infinity, -Infinity, -1, -0, 0, 0.5, 1, 2 ** 53, '', 'x', 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(501), true, false, [], {}, [1], [''], ['a'], [NaN], new Date(0), Object.create(null)]
const tricky = fc.oneof(fc.constantFrom(...TRICKY), fc.anything())
const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'toString', 'value', 'text']

/** `v` with one change somewhere inside it: a value replaced, a key dropped or added, a prototype. */
const mutate = (v: unknown, depth = 0): fc.Arbitrary<unknown> => {
  const options: fc.Arbitrary<unknown>[] = [fc.constant(v), tricky]
  if (depth > 4) return fc.oneof(...options)
  if (Array.isArray(v) && v.length > 0) {
    options.push(fc.nat(v.length - 1).chain((i) => mutate(v[i], depth + 1).map((x) => v.map((y, j) => (j === i ? x : y)))))
    options.push(fc.constant(Object.assign([], v, { length: v.length + 1 }))) // a hole at the end
    options.push(fc.constant([])) // too short for some
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length > 0) {
      options.push(fc.constantFrom(...keys).chain((k) => mutate(o[k], depth + 1).map((x) => ({ ...o, [k]: x }))))
      options.push(fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))))
      options.push(fc.constantFrom(...keys).map((k) => ({ ...o, [k]: undefined })))
    }
    options.push(fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.anything()).map(([k, x]) => ({ ...o, [k]: x })))
    options.push(fc.constant(Object.assign(Object.create({ inherited: 1 }), o)))
    options.push(fc.constant(Object.assign(Object.create(null), o)))
  }
  return fc.oneof(...options)
}
/** One to three changes. */
const nearTo = (seed: unknown) => mutate(seed).chain((v) => fc.oneof(fc.constant(v), mutate(v), mutate(v).chain((w) => mutate(w))))

const T = 1_767_000_000_000
const item = { id: 'sku-1', tags: ['premium', 'shoes'], dwellMs: 1200, hoverMs: 300, hovers: 2, clicks: 1, hesitations: 1, hesitationMs: 900, interest: -3.25, updatedAt: T }
const tag = { tag: 'premium', dwellMs: 1200, hoverMs: 300, hovers: 2, clicks: 1, hesitations: 1, hesitationMs: 900, updatedAt: T }
const session = { id: 's1', start: T, lastActive: T + 5000, pages: 3, engagedMs: 5000, maxScroll: 75, counts: { dwell: 4, rageClick: 1 }, hesitationMs: 1200, updatedAt: T }
const funnel = { funnel: 'checkout', sessionId: 's1', furthest: 1, completions: 0, dropOffs: 1, updatedAt: T }
const outcome = { goal: 'purchase', count: 2, valueSum: 59.9, lastAt: T, updatedAt: T }
const signal = { type: 'dwell', t: T, ms: 1200, target: 'sku-1', item: 'sku-1', tags: ['premium'] }
const visitor = { key: 'visitor', firstSeen: T, lastSeen: T, visits: 3, sessionId: 's1', lastPage: { path: '/shop', arrivedAt: T, leftAt: T + 1, interacted: true }, updatedAt: T }
const model = { key: 'intent', state: { weights: [1, 2] }, base: { weights: [1, 1] }, updatedAt: T }
const decision = { slot: 'hero', sessionId: 's1', variants: ['a', 'b'], variant: 'a', probability: 0.5, context: [0.1, 0.2], t: T, policy: 'bandit', rewarded: false, updatedAt: T }
const journal = { t: T, items: [item], tags: [tag], sessions: [session], funnels: [funnel], outcomes: [outcome], visitor, signals: [signal], models: [model], decisions: [decision] }
const prior = {
  version: 1,
  inputs: ['a', 'b'],
  layers: [
    { weights: [[0.1, 0.2], [0.3, 0.4]], bias: [0, 0], activation: 'relu' },
    { weights: [[0.5], [0.6]], bias: [0.1], activation: 'sigmoid' },
  ],
  normalisation: { mean: [0, 1], std: [1, 2] },
  output: 'convert',
  meta: { rows: 10, file: 'x.csv', seeded: true },
}
const banditState = new LinearThompsonBandit({ dim: 2, arms: 2 }).toJSON()

/** The prior's schema alone: parseIntentPrior's shape checks (rows chain to one sigmoid) come after it. */
const oursPrior = (v: unknown): unknown => {
  try {
    return parseIntentPrior(v)
  } catch (e) {
    const message = (e as Error).message
    // A refusal by the shape checks after the schema: the schema itself accepted the value.
    if (!/^Intent prior rejected: [^:]*(has \d+ (rows|columns)|must be one sigmoid|must use relu|need \d+ entries|duplicate)/.test(message)) throw new (class extends Error {})(message)
    return v
  }
}

const KINDS: Array<[string, Schema<unknown>, z.ZodMiniType, unknown]> = [
  ['item', S.ItemRecord, recordSchemas.ItemRecord, item],
  ['tag', S.TagRecord, recordSchemas.TagRecord, tag],
  ['session', S.SessionRecord, recordSchemas.SessionRecord, session],
  ['funnel', S.FunnelRecord, recordSchemas.FunnelRecord, funnel],
  ['outcome', S.OutcomeRecord, recordSchemas.OutcomeRecord, outcome],
  ['signal', S.SignalRecord, recordSchemas.SignalRecord, signal],
  ['visitor', S.VisitorRecord, recordSchemas.VisitorRecord, visitor],
  ['model', S.ModelRecord, recordSchemas.ModelRecord, model],
  ['decision', S.DecisionRecord, recordSchemas.DecisionRecord, decision],
  ['journal entry', S.JournalRecord, recordSchemas.JournalRecord, journal],
]

describe('Tacit\'s schemas agree with the zod schemas they replaced', () => {
  for (const [kind, ours, reference, seed] of KINDS) {
    it(`${kind}: the same verdict and the same data, on near misses of a valid record and on junk`, () => {
      expect(safeParse(ours, seed).success).toBe(true)
      fc.assert(fc.property(fc.oneof(nearTo(seed), tricky), (v) => agrees(ours, reference, v)), { numRuns: RUNS })
    })
  }

  it('items, tags and signals: the same verdict and data on generated records and near misses', () => {
    for (const [ours, reference, valid, near] of [
      [S.ItemRecord, recordSchemas.ItemRecord, validItem, nearItem],
      [S.TagRecord, recordSchemas.TagRecord, validTag, nearTag],
      [S.SignalRecord, recordSchemas.SignalRecord, validSignal, nearSignal],
    ] as const) {
      fc.assert(fc.property(valid, (r) => {
        // Valid as Tacit writes them: accepted, and returned as the same object.
        expect(safeParse(ours as Schema<unknown>, r)).toEqual({ success: true, data: r })
        expect((ours as Schema<unknown>)(r)).toBe(r)
      }), { numRuns: RUNS })
      fc.assert(fc.property(near, (v) => agrees(ours as Schema<unknown>, reference, v)), { numRuns: RUNS })
    }
  })

  it('a journal entry written before models and decisions were journalled gets empty lists, as with zod', () => {
    const { models: _m, decisions: _d, ...old } = journal
    const result = safeParse(S.JournalRecord, old)
    expect(result).toEqual({ success: true, data: { ...old, models: [], decisions: [] } })
    agrees(S.JournalRecord, recordSchemas.JournalRecord, old)
  })

  it('intent priors: the same verdict as the zod schema, on near misses and junk', () => {
    expect(parseIntentPrior(prior)).toStrictEqual(prior)
    fc.assert(fc.property(fc.oneof(nearTo(prior), tricky), (v) => {
      const zod = z.safeParse(priorSchema, v)
      let accepted: boolean
      try {
        oursPrior(v)
        accepted = true
      } catch {
        accepted = false
      }
      expect(accepted).toBe(zod.success)
    }), { numRuns: RUNS })
  })

  it('bandit states: the same verdict as the zod schema, on near misses and junk', () => {
    expect(LinearThompsonBandit.fromJSON(banditState).toJSON()).toStrictEqual(banditState)
    const ours = (v: unknown): boolean => {
      try {
        LinearThompsonBandit.fromJSON(v)
        return true
      } catch (e) {
        // The checks after the schema (sizes, positive-definite precision) refuse in words of their own.
        return /wrong size|positive|precision/.test((e as Error).message) && !/: must /.test((e as Error).message)
      }
    }
    fc.assert(fc.property(fc.oneof(nearTo(banditState), tricky), (v) => {
      expect(ours(v)).toBe(z.safeParse(banditStateSchema, v).success)
    }), { numRuns: RUNS })
  })

  it('says where and why a value was refused', () => {
    const bad = { ...journal, items: [item, { ...item, tags: ['ok', ''] }] }
    const result = safeParse(S.JournalRecord, bad)
    expect(result.success).toBe(false)
    if (!result.success) {
      expect(result.error.path).toEqual(['items', 1, 'tags', 1])
      expect(result.error.message).toBe('must be a string of 1 to 200 characters')
    }
    expect(() => parseIntentPrior({ ...prior, layers: [{ ...prior.layers[0], activation: 'tanh' }, prior.layers[1]] })).toThrow(
      'Intent prior rejected: layers[0].activation: must be "relu" or "sigmoid"',
    )
  })

  it('drops unknown keys, keeps what zod keeps, and copies only when it must', () => {
    expect(safeParse(S.SignalRecord, { ...signal, value: 'typed text' })).toEqual({ success: true, data: signal })
    const merged = mergeItem(item, item)
    expect(S.ItemRecord(merged)).toBe(merged) // as Tacit's merges write it, `interest: undefined` included
    const { id: _id, tags: _tags, ...totals } = item
    const mergedTag = mergeTag({ tag: 'x', ...totals }, { tag: 'x', ...totals })
    expect(S.TagRecord(mergedTag)).toBe(mergedTag)
    const inherited = Object.assign(Object.create({ inherited: 1 }), tag)
    expect(S.TagRecord(inherited)).not.toBe(inherited)
    expect(Object.getPrototypeOf(S.TagRecord(inherited))).toBe(Object.prototype)
  })
})
