import type { ModelRecord } from './schemas'

/**
 * How model state from several tabs adds up. A tab writes its model as a change: the state it has
 * now and the `base` it started from (the state it last read from storage, or its prior). Inside
 * the write transaction the change is added to whatever is stored by then, number by number:
 *
 *     stored' = stored + (state - base)
 *
 * For a bandit posterior (sums of x·xᵀ, x·r, r², counts) this is exact: two tabs' rewards add up
 * as if one tab had seen them all. For intent weights it is the usual way to combine small SGD
 * steps taken in parallel from the same weights. A change without a base (a model reset to its
 * prior after corruption) or whose shape differs from what is stored (other variants, another
 * feature layout) replaces the stored state, newest first.
 */
export const mergeModel = (a: ModelRecord | undefined, d: ModelRecord): ModelRecord => {
  if (!a) return d
  if (d.base === undefined) return a.updatedAt > d.updatedAt && a.base === undefined ? a : d
  // Nobody else wrote since this change's base: the state as it is, without rounding noise.
  if (sameJson(a.state, d.base)) return a.base === undefined ? { key: d.key, state: d.state, updatedAt: d.updatedAt } : { ...d, base: a.base }
  const state = addChange(a.state, d.state, d.base)
  const merged: ModelRecord = { key: d.key, state: state === INCOMPATIBLE ? d.state : state, updatedAt: Math.max(a.updatedAt, d.updatedAt) }
  // Two changes of the same model in one write (or one journal) become one change from the first base.
  if (state !== INCOMPATIBLE && a.base !== undefined) merged.base = a.base
  return merged
}

/** The record as stored: the change's base is only needed while it is being written. */
export const storedModel = ({ key, state, updatedAt }: ModelRecord): ModelRecord => ({ key, state, updatedAt })

const INCOMPATIBLE = Symbol('incompatible')

/** `stored + (state - base)` over two JSON values of the same shape; INCOMPATIBLE otherwise. */
const addChange = (stored: unknown, state: unknown, base: unknown): unknown => {
  if (typeof state === 'number') {
    if (typeof stored !== 'number' || typeof base !== 'number') return INCOMPATIBLE
    const v = stored + (state - base)
    return Number.isFinite(v) ? v : INCOMPATIBLE
  }
  if (Array.isArray(state)) {
    if (!Array.isArray(stored) || !Array.isArray(base) || stored.length !== state.length || base.length !== state.length) return INCOMPATIBLE
    const out = new Array(state.length)
    for (let i = 0; i < state.length; i++) {
      const v = addChange(stored[i], state[i], base[i])
      if (v === INCOMPATIBLE) return INCOMPATIBLE
      out[i] = v
    }
    return out
  }
  if (state && typeof state === 'object') {
    if (!stored || typeof stored !== 'object' || !base || typeof base !== 'object') return INCOMPATIBLE
    const keys = Object.keys(state)
    if (Object.keys(stored).length !== keys.length || Object.keys(base).length !== keys.length) return INCOMPATIBLE
    const out: Record<string, unknown> = {}
    for (const k of keys) {
      const v = addChange((stored as Record<string, unknown>)[k], (state as Record<string, unknown>)[k], (base as Record<string, unknown>)[k])
      if (v === INCOMPATIBLE) return INCOMPATIBLE
      out[k] = v
    }
    return out
  }
  // Strings, booleans, null: names and settings, which must be the same on all three.
  return stored === state && base === state ? state : INCOMPATIBLE
}

const sameJson = (x: unknown, y: unknown): boolean => {
  if (x === y) return true
  if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((v, i) => sameJson(v, y[i]))
  if (!x || !y || typeof x !== 'object' || typeof y !== 'object' || Array.isArray(y)) return false
  const keys = Object.keys(x)
  return keys.length === Object.keys(y).length && keys.every((k) => sameJson((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]))
}
