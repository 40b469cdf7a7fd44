import { custom, type Schema } from '../schema'

const isFiniteArray = (v: unknown, min: number): boolean => {
  if (!Array.isArray(v) || v.length < min) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return false
  return true
}

/**
 * An array of finite numbers (at least `min`), checked in one pass: model states hold thousands of them, and a
 * schema per element made loading them the slowest part of start-up.
 */
export const finiteArray = (min = 0): Schema<number[]> =>
  custom((v) => isFiniteArray(v, min), `must be an array of ${min ? `${min} or more ` : ''}finite numbers`)
