import * as z from 'zod/mini'
import { isPlainObject } from './plainObject'

/**
 * Bounds and records for the zod/mini schemas, written with `z.refine` and `z.check`.
 *
 * Why not zod's own `z.gte`, `z.lte`, `z.gt`, `z.positive`, `z.int`, `z.minLength`, `z.maxLength`,
 * `z.record` and `z.union`: in zod/mini each check kind and schema type is a class of its own,
 * shipped in full as soon as one schema uses it, while every refine shares the one custom-check
 * class the schemas need anyway. Measured: writing them as below took 1.6 KB gzip off tacit.min.js
 * and off `@tacit/core`'s up-front entry alike.
 *
 * The rules are zod's: the same values pass (zod 4's `z.number()` already refuses NaN and
 * ±Infinity; `whole` is `z.int()`'s safe integer) and a failure says the same thing. Without an
 * `error`, zod/mini (no locale loaded) and these helpers both say "Invalid input", or the error
 * of the schema they check.
 */

/** `n >= min && n <= max`: `z.gte(min)` with `z.lte(max)`. */
export const between = (min: number, max: number, error?: string) => z.refine<number>((n) => n >= min && n <= max, error)

/** A safe integer from `min` to `max`: `z.int()` with `z.gte(min)` and `z.lte(max)`. */
export const whole = (min: number, max = Infinity, error?: string) =>
  z.refine<number>((n) => Number.isSafeInteger(n) && n >= min && n <= max, error)

/** A string or array of `min` to `max` elements: `z.minLength(min)` with `z.maxLength(max)`. */
export const lengthBetween = <T extends { length: number }>(min: number, max = Infinity, error?: string) =>
  z.refine<T>((v) => v.length >= min && v.length <= max, error)

/**
 * `z.record(z.string(), value)`: a plain object whose own enumerable keys are strings (and pass
 * `key`, if given) and whose values pass `value`. As `z.record`, it outputs a new object of the
 * parsed values, drops an own `__proto__` key unchecked, and names the key (and the path inside
 * its value) of a failure; a refused object or key gets `error`.
 */
export const recordOf = <V extends z.ZodMiniType>(value: V, key?: (k: string) => boolean, error?: string) =>
  z.custom<Record<string, z.output<V>>, Record<string, z.input<V>>>(undefined, error).check(
    z.check((payload) => {
      const input: unknown = payload.value
      if (!isPlainObject(input)) {
        payload.issues.push({ code: 'custom', input })
        return
      }
      const out: Record<string, unknown> = {}
      for (const k of Reflect.ownKeys(input)) {
        if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, k)) continue
        if (typeof k !== 'string' || (key && !key(k))) {
          payload.issues.push({ code: 'custom', input: k, path: [k] })
          continue
        }
        const result = z.safeParse(value, input[k])
        if (result.success) out[k] = result.data
        else for (const issue of result.error.issues) payload.issues.push({ ...issue, input: undefined, path: [k, ...issue.path] })
      }
      payload.value = out as Record<string, z.output<V>>
    }),
  )
