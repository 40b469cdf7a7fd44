import * as z from 'zod/mini'

const isFiniteArray = (v: unknown): v is number[] => {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) return false
  return true
}

/**
 * An array of finite numbers, checked in one pass: model states hold thousands of them, and a
 * schema per element made loading them the slowest part of start-up.
 */
export const finiteArray = () => z.custom<number[]>(isFiniteArray, { error: 'must be an array of finite numbers' })
