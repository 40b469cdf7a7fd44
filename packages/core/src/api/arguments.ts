import { TacitArgumentError, describeValue } from '../errors'

const MAX_NAME = 200

/** A goal, funnel or step name: a non-empty string of at most 200 characters. */
export const checkName = (method: string, what: string, value: unknown): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME) {
    throw new TacitArgumentError(
      `${method}(): ${what} must be a non-empty string of at most ${MAX_NAME} characters, got ${describeValue(value)}`,
    )
  }
  return value
}

export const checkFinite = (method: string, what: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TacitArgumentError(`${method}(): ${what} must be a finite number, got ${describeValue(value)}`)
  }
  // Sums of values (and squares, in the bandit) must stay finite: 1e12 is beyond any amount or count.
  if (Math.abs(value) > 1e12) throw new TacitArgumentError(`${method}(): ${what} must be between -1e12 and 1e12, got ${value}`)
  return value
}

const MAX_VARIANTS = 100

/** `decide` variants: names or `{ id, tags }`, non-empty, unique, at most 100. Returns the names. */
export const checkVariants = (slot: unknown, variants: unknown): string[] => {
  if (typeof slot !== 'string' || !slot.trim() || slot.length > MAX_NAME) {
    throw new TacitArgumentError(`decide(): slot must be a non-empty string of at most ${MAX_NAME} characters, got ${describeValue(slot)}`)
  }
  if (!Array.isArray(variants) || variants.length === 0 || variants.length > MAX_VARIANTS) {
    throw new TacitArgumentError(`decide(): variants must be an array of 1 to ${MAX_VARIANTS} names or { id, tags }, got ${describeValue(variants)}`)
  }
  const ids = variants.map((v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' ? (v as { id?: unknown }).id : undefined))
  const seen = new Set<string>()
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !id.trim() || id.length > MAX_NAME) {
      throw new TacitArgumentError(`decide(): variants[${i}] must be a non-empty name (or { id: name, tags }), got ${describeValue(variants[i])}`)
    }
    if (seen.has(id)) throw new TacitArgumentError(`decide(): variant "${id}" is listed twice in slot "${slot}"`)
    const tags = typeof variants[i] === 'object' ? (variants[i] as { tags?: unknown }).tags : undefined
    if (tags !== undefined && !Array.isArray(tags)) throw new TacitArgumentError(`decide(): variants[${i}].tags must be an array of tag names, got ${describeValue(tags)}`)
    seen.add(id)
  })
  return ids as string[]
}

/** `decide`'s fallback: one of the variants; the first one when not given. */
export const checkFallback = (ids: readonly string[], fallback: unknown = ids[0]): string => {
  if (!ids.includes(fallback as string)) {
    throw new TacitArgumentError(`decide(): fallback ${describeValue(fallback)} is not one of the variants (${ids.join(', ')})`)
  }
  return fallback as string
}

/** `rank` takes `{ id, tags? }` items. */
export const checkItems = (items: unknown): void => {
  if (!Array.isArray(items)) throw new TacitArgumentError(`rank(): items must be an array of { id, tags? }, got ${describeValue(items)}`)
  items.forEach((item: unknown, i) => {
    const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined
    if (typeof id !== 'string' || !id) throw new TacitArgumentError(`rank(): items[${i}] must be an object with a string id, got ${describeValue(item)}`)
    const tags = (item as { tags?: unknown }).tags
    if (tags !== undefined && !Array.isArray(tags)) throw new TacitArgumentError(`rank(): items[${i}].tags must be an array of tag names, got ${describeValue(tags)}`)
  })
}
