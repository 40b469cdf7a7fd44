import fc from 'fast-check'
import * as z from 'zod/mini'
import { describe, expect, it } from 'vitest'
import { passesShortcut, safeParseRecord } from '../../src/profile/fastCheck'
import { mergeItem, mergeTag } from '../../src/profile/merge'
import { schemas } from '../../src/profile/schemas'
import { SIGNAL_TYPES } from '../../src/signals/types'

const { ItemRecord, TagRecord, SignalRecord } = schemas()

/**
 * Property: the validation shortcuts for items and tags (profile/fastCheck.ts) never disagree with
 * the zod schemas. A value the shortcut accepts is one zod accepts and returns equal to it; valid
 * records as Tacit writes them take the shortcut (or it would be dead code); and the result of
 * `safeParseRecord` always says what zod says.
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

const agrees = (schema: z.ZodMiniType, value: unknown): void => {
  const zod = z.safeParse(schema, value)
  if (passesShortcut(schema, value)) {
    expect(zod.success).toBe(true)
    expect(zod.data).toStrictEqual(value)
  }
  const ours = safeParseRecord(schema, value)
  expect(ours.success).toBe(zod.success)
  if (ours.success) expect(ours.data).toStrictEqual(zod.data)
}

/** Valid records take the shortcut (or it would be dead code); near misses get zod's verdict. */
const holdsTogether = (schema: z.ZodMiniType, valid: fc.Arbitrary<unknown>, near: fc.Arbitrary<unknown>): void => {
  fc.assert(fc.property(valid, (r) => {
    expect(passesShortcut(schema, r)).toBe(true)
  }), { numRuns: RUNS })
  fc.assert(fc.property(near, (v) => {
    agrees(schema, v)
  }), { numRuns: RUNS })
}

describe('validation shortcuts (profile/fastCheck.ts) agree with the zod schemas', () => {
  it('items: valid records take the shortcut; near misses and junk get zod\'s verdict', () => {
    holdsTogether(ItemRecord, validItem, nearItem)
  })

  it('tags: valid records take the shortcut; near misses and junk get zod\'s verdict', () => {
    holdsTogether(TagRecord, validTag, nearTag)
  })

  it('signals: valid records take the shortcut; near misses and junk get zod\'s verdict', () => {
    holdsTogether(SignalRecord, validSignal, nearSignal)
    // Hand-picked: a dwell as the detector emits it passes; each near miss does not.
    const dwell = { type: 'dwell', t: 5, ms: 1200, target: 'sku-1', item: 'sku-1', tags: ['premium'] }
    expect(passesShortcut(SignalRecord, dwell)).toBe(true)
    for (const wrong of [{ ...dwell, type: 'hover' }, { ...dwell, ms: -1 }, { ...dwell, t: Infinity }, { ...dwell, target: 'x'.repeat(201) }, { ...dwell, tags: [1] }, { ...dwell, outcome: 'maybe' }, { ...dwell, index: NaN }]) {
      expect(passesShortcut(SignalRecord, wrong)).toBe(false)
      expect(safeParseRecord(SignalRecord, wrong).success).toBe(false)
    }
    // Valid for zod, but stripped of the unknown key: left to zod.
    expect(passesShortcut(SignalRecord, { ...dwell, value: 'typed text' })).toBe(false)
    expect(safeParseRecord(SignalRecord, { ...dwell, value: 'typed text' })).toEqual({ success: true, data: dwell })
  })

  it('refuses what zod refuses, on hand-picked cases', () => {
    const item = { id: 'a', tags: ['x'], dwellMs: 1, hoverMs: 0, hovers: 0, clicks: 0, hesitations: 0, hesitationMs: 0, updatedAt: 5 }
    expect(passesShortcut(ItemRecord, item)).toBe(true)
    for (const wrong of [{ ...item, dwellMs: -1 }, { ...item, clicks: NaN }, { ...item, id: '' }, { ...item, tags: [''] }, { ...item, interest: Infinity }, { ...item, updatedAt: '5' }]) {
      expect(passesShortcut(ItemRecord, wrong)).toBe(false)
      expect(safeParseRecord(ItemRecord, wrong).success).toBe(false)
    }
    // Records as Tacit's merges write them (`interest: undefined` when neither side had one).
    expect(passesShortcut(ItemRecord, mergeItem(item, item))).toBe(true)
    const { id: _id, tags: _tags, ...totals } = item
    expect(passesShortcut(TagRecord, mergeTag({ tag: 'x', ...totals }, { tag: 'x', ...totals }))).toBe(true)
    // Valid for zod, but zod's output differs (the unknown key is stripped): left to zod.
    expect(passesShortcut(ItemRecord, { ...item, note: 'x' })).toBe(false)
    expect(safeParseRecord(ItemRecord, { ...item, note: 'x' })).toEqual({ success: true, data: item })
  })
})
