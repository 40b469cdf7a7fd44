import * as z from 'zod/mini'
import { SIGNAL_TYPES } from '../signals/types'
import { schemas } from './schemas'

/**
 * Exact shortcuts for zod's validation of the most numerous records, items, tags and signals:
 * hundreds of items and tags are validated at every start-up and merged at every write, every
 * signal is checked when journalled, and zod (jitless, for pages with a strict
 * Content-Security-Policy) spends tens of microseconds on each while the code is still cold, which
 * made validation the largest share of Tacit's own start-up time.
 *
 * The zod schemas stay the definition. A shortcut accepts only a value that the schema accepts and
 * returns unchanged (a plain object with exactly the schema's keys, every value valid); anything
 * else, valid or not, goes to zod. A property test (test/properties/fastCheck.property.test.ts)
 * holds the two together on generated records.
 */
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0
const isFiniteNumber = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n)
const isId = (s: unknown): boolean => typeof s === 'string' && s.length >= 1 && s.length <= 200
const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

const TOTALS = ['dwellMs', 'hoverMs', 'hovers', 'clicks', 'hesitations', 'hesitationMs'] as const

/** The totals of items and tags, and no keys but `keys` others. */
const totalsOnly = (r: Record<string, unknown>, others: number): boolean => {
  for (const k of TOTALS) if (!isCount(r[k])) return false
  if (!isFiniteNumber(r.updatedAt)) return false
  // Optional: absent, or present as undefined (merges write it so, and zod keeps it so), or finite.
  const interest = own(r, 'interest')
  if (interest && r.interest !== undefined && !isFiniteNumber(r.interest)) return false
  return Object.keys(r).length === others + TOTALS.length + 1 + (interest ? 1 : 0)
}

const isIdList = (v: unknown): boolean => {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false
  for (let i = 0; i < v.length; i++) if (!isId(v[i])) return false
  return true
}

const isItem = (v: unknown): boolean => isPlain(v) && isId(v.id) && isIdList(v.tags) && totalsOnly(v, 2)
const isTag = (v: unknown): boolean => isPlain(v) && isId(v.tag) && totalsOnly(v, 1)

const isString = (v: unknown): boolean => typeof v === 'string'
const isStringList = (v: unknown): boolean => {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false
  // Indexed, not `every`, which skips the holes of a sparse array (zod reads them as undefined).
  for (let i = 0; i < v.length; i++) if (!isString(v[i])) return false
  return true
}
const OUTCOMES: readonly unknown[] = ['abandoned', 'clicked', 'field']
/** The optional fields of a signal record, each with its check. */
const SIGNAL_FIELDS: ReadonlyArray<[string, (v: unknown) => boolean]> = [
  ['item', isString],
  ['tags', isStringList],
  ['ms', isCount],
  ['clicks', isCount],
  ['percent', isCount],
  ['fields', isCount],
  ['index', isFiniteNumber],
  ['outcome', (v) => OUTCOMES.includes(v)],
  ['field', isString],
  ['funnel', isString],
  ['step', isString],
]

/** A signal of the ring: every page's signals are journalled, a few hundred a minute on a busy page. */
const isSignal = (v: unknown): boolean => {
  if (!isPlain(v) || !(SIGNAL_TYPES as readonly unknown[]).includes(v.type) || !isFiniteNumber(v.t)) return false
  if (typeof v.target !== 'string' || v.target.length > 200) return false
  let keys = 3
  for (const [k, check] of SIGNAL_FIELDS) {
    if (!own(v, k)) continue
    keys++
    // Optional: present as undefined is what zod accepts and keeps.
    if (v[k] !== undefined && !check(v[k])) return false
  }
  return Object.keys(v).length === keys
}

/** The shortcut of `schema`, if it has one. */
const shortcut = (schema: unknown): ((v: unknown) => boolean) | undefined => {
  const s = schemas()
  return schema === s.ItemRecord ? isItem : schema === s.TagRecord ? isTag : schema === s.SignalRecord ? isSignal : undefined
}

/** `z.safeParse(schema, value)`, through the shortcut when `schema` has one and `value` passes it. */
export const safeParseRecord = <S extends z.ZodMiniType>(schema: S, value: unknown): { success: true; data: z.output<S> } | { success: false } =>
  shortcut(schema)?.(value) ? { success: true, data: value as z.output<S> } : z.safeParse(schema, value)

/** Whether `schema` has a shortcut, and `value` passes it (for tests). */
export const passesShortcut = (schema: unknown, value: unknown): boolean => !!shortcut(schema)?.(value)
