import fc from 'fast-check'
import * as z from 'zod/mini'
import { describe, expect, it } from 'vitest'
import { passesShortcut, safeParseRecord } from '../../src/profile/fastCheck'
import { mergeItem, mergeTag } from '../../src/profile/merge'
import { schemas } from '../../src/profile/schemas'

const { ItemRecord, TagRecord } = schemas()

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

describe('validation shortcuts (profile/fastCheck.ts) agree with the zod schemas', () => {
  it('items: valid records take the shortcut; near misses and junk get zod\'s verdict', () => {
    fc.assert(fc.property(validItem, (r) => {
      expect(passesShortcut(ItemRecord, r)).toBe(true)
    }), { numRuns: RUNS })
    fc.assert(fc.property(nearItem, (v) => {
      agrees(ItemRecord, v)
    }), { numRuns: RUNS })
  })

  it('tags: valid records take the shortcut; near misses and junk get zod\'s verdict', () => {
    fc.assert(fc.property(validTag, (r) => {
      expect(passesShortcut(TagRecord, r)).toBe(true)
    }), { numRuns: RUNS })
    fc.assert(fc.property(nearTag, (v) => {
      agrees(TagRecord, v)
    }), { numRuns: RUNS })
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
