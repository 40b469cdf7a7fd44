import { pathOf } from './errors'
import { isPlainObject } from './plainObject'

/**
 * The schemas of stored records and model states: a small validator in zod's image, written for
 * Tacit because zod/mini was 5.7 KB gzip of tacit.min.js (of a 40 KB budget) and about 200 KiB of
 * its heap, for the dozen shapes below.
 *
 * A schema is a function: it returns the value it accepts, or throws {@link Invalid}, which says
 * what was expected and where. The rules are zod 4's, and a property test holds them to the zod
 * schemas they replace (test/properties/schemas.property.test.ts):
 * - `number` is a finite number (zod 4 refuses NaN and ±Infinity too);
 * - an object reads each key of its shape (inherited ones too) and drops keys it does not know;
 *   an optional key that is absent stays absent, one present as undefined stays present;
 * - an array or object comes back as it went in when nothing changed (a plain object with no key
 *   but its shape's), or else as a clean copy, as zod returns. Stored records are read in the
 *   hundreds at start-up, so the common case allocates nothing.
 */

/** Why a value was refused: what was expected, and where (keys and indexes from the top). */
export class Invalid {
  readonly path: PropertyKey[] = []
  constructor(readonly message: string) {}
}

/** Checks a value; returns it (or its clean copy) or throws {@link Invalid}. */
export interface Schema<T> {
  (value: unknown): T
  /** An object's fields (what docs/privacy.md must describe). */
  readonly shape?: Shape
  /** The values of an enum. */
  readonly values?: readonly unknown[]
  /** What an optional or defaulted schema wraps. */
  readonly inner?: Schema<unknown>
}
/** A schema whose key an object may leave out. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true
}
type Shape = Readonly<Record<string, Schema<unknown>>>

/** The type a schema returns. */
export type Infer<S> = S extends Schema<infer T> ? T : never
type Flat<T> = { [K in keyof T]: T[K] } & {}
/** An object of a shape: optional schemas make optional keys. */
export type ObjectOf<S extends Shape> = Flat<
  { [K in keyof S as S[K] extends { optional: true } ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends { optional: true } ? K : never]?: Infer<S[K]>
  }
>

const fail = (message: string): never => {
  throw new Invalid(message)
}

/** `e` with `key` put in front of its path, if it is an {@link Invalid}. */
const under = (e: unknown, key: PropertyKey): unknown => {
  if (e instanceof Invalid) e.path.unshift(key)
  return e
}

/** A value that passes `test` (zod's `z.custom`). */
export const custom = <T>(test: (v: unknown) => boolean, message: string): Schema<T> => ((v: unknown) => (test(v) ? v : fail(message))) as Schema<T>

/** A finite number that passes `ok`. */
export const number = (ok: (n: number) => boolean = () => true, message = 'must be a finite number'): Schema<number> =>
  custom((v) => typeof v === 'number' && Number.isFinite(v) && ok(v), message)

/** A number of 0 or more. */
export const count = number((n) => n >= 0, 'must be a number of 0 or more')

/** A safe integer from `min` to `max`. */
export const whole = (min: number, max = Infinity): Schema<number> =>
  number((n) => Number.isSafeInteger(n) && n >= min && n <= max, `must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ''}`)

/** A string of `min` to `max` characters. */
export const string = (min = 0, max = Infinity): Schema<string> =>
  custom((v) => typeof v === 'string' && v.length >= min && v.length <= max, max < Infinity ? `must be a string of ${min} to ${max} characters` : 'must be a string')

export const boolean: Schema<boolean> = custom((v) => typeof v === 'boolean', 'must be true or false')

/** One of `values` (zod's `z.enum`, and `z.literal` with one value). */
export const oneOf = <const T extends readonly (string | number)[]>(values: T): Schema<T[number]> =>
  Object.assign(custom<T[number]>((v) => values.includes(v as T[number]), `must be ${values.map((v) => JSON.stringify(v)).join(' or ')}`), { values })

/** Anything, undefined included. */
export const unknown: Schema<unknown> = (v) => v

/** `schema`, or undefined; in an object, a key that may be left out. */
export const optional = <T>(schema: Schema<T>): OptionalSchema<T> =>
  Object.assign((v: unknown) => (v === undefined ? v : schema(v)), { optional: true as const, inner: schema })

/** `schema`, or `make()` for undefined (zod's `z._default`). */
export const withDefault = <T>(schema: Schema<T>, make: () => T): Schema<T> =>
  Object.assign((v: unknown) => (v === undefined ? make() : schema(v)), { inner: schema })

/** An array of `min` to `max` items. */
export const array = <T>(item: Schema<T>, min = 0, max = Infinity): Schema<T[]> => {
  const message = min > 0 || max < Infinity ? `must be a list of ${min} to ${max} entries` : 'must be a list'
  return (v) => {
    if (!Array.isArray(v)) return fail(message)
    let out: T[] | undefined
    for (let i = 0; i < v.length; i++) {
      let x: T
      try {
        x = item(v[i])
      } catch (e) {
        throw under(e, i)
      }
      if (out) out.push(x)
      else if (x !== v[i]) (out = v.slice(0, i)).push(x)
    }
    if (v.length < min || v.length > max) fail(message)
    return out ?? (Object.getPrototypeOf(v) === Array.prototype ? (v as T[]) : Array.from(v as T[]))
  }
}

/** Puts `value` under `key` as zod's objects do: an absent optional key stays absent. */
const put = (out: Record<string, unknown>, input: Record<string, unknown>, key: string, value: unknown): void => {
  if (value !== undefined || key in input) out[key] = value
}

/**
 * An object with the fields of `shape`; other keys are dropped. As in zod, a key of `unknown` must
 * be present, if only as undefined.
 */
export const object = <S extends Shape>(shape: S): Schema<ObjectOf<S>> & { readonly shape: S } => {
  const keys = Object.keys(shape)
  const present = keys.map((k) => shape[k] === unknown)
  const check = (v: unknown): ObjectOf<S> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('must be an object')
    const input = v as Record<string, unknown>
    let out: Record<string, unknown> | undefined
    let own = 0
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      const x = input[key]
      let y: unknown
      try {
        y = x === undefined && present[i] && !(key in input) ? fail('is required') : shape[key](x)
      } catch (e) {
        throw under(e, key)
      }
      if (Object.prototype.hasOwnProperty.call(input, key)) own++
      if (!out && y !== x) {
        out = {}
        for (let j = 0; j < i; j++) put(out, input, keys[j], input[keys[j]])
      }
      if (out) put(out, input, key, y)
    }
    if (out) return out as ObjectOf<S>
    // Unchanged: the value itself, if it is a plain object with no key but the shape's.
    if (Object.getPrototypeOf(input) === Object.prototype && Object.keys(input).length === own) return input as ObjectOf<S>
    out = {}
    for (const key of keys) put(out, input, key, input[key])
    return out as ObjectOf<S>
  }
  return Object.assign(check, { shape })
}

/**
 * A plain object whose own enumerable keys are strings (and pass `key`, if given) and whose values
 * pass `value`, as zod's `z.record(z.string(), value)`: a new object of the checked values; an own
 * `__proto__` key is dropped unchecked.
 */
export const record = <V>(value: Schema<V>, key?: (k: string) => boolean, message = 'must be an object of named values'): Schema<Record<string, V>> =>
  (v) => {
    if (!isPlainObject(v)) return fail(message)
    const out: Record<string, V> = {}
    for (const k of Reflect.ownKeys(v)) {
      if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(v, k)) continue
      if (typeof k !== 'string' || (key && !key(k))) throw under(new Invalid(message), k)
      try {
        out[k] = value(v[k])
      } catch (e) {
        throw under(e, k)
      }
    }
    return out
  }

/** `schema(value)` without the throw (zod's `z.safeParse`). */
export const safeParse = <T>(schema: Schema<T>, value: unknown): { success: true; data: T } | { success: false; error: Invalid } => {
  try {
    return { success: true, data: schema(value) }
  } catch (e) {
    if (e instanceof Invalid) return { success: false, error: e }
    throw e
  }
}

/** Where and why, as `path: message` (`layers[0].weights[1]: must be ...`), for error messages. */
export const describeInvalid = (error: Invalid): string => `${pathOf(error.path) || '(root)'}: ${error.message}`
