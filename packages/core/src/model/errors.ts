import { TacitError } from '../errors'

/** Why a model's state was refused. */
export type ModelFault = 'invalid' | 'non-finite'

/**
 * A model's weights or posterior are unusable: a prior or stored state that fails its schema
 * (`invalid`), or weights that became NaN or infinite while learning (`non-finite`). The caller
 * resets that model to its prior (or to neutral weights) and reports this error to `onError`.
 */
export class ModelStateError extends TacitError {
  /** Which model: `intent` or `bandit`. */
  readonly model: string
  readonly fault: ModelFault
  constructor(model: string, fault: ModelFault, message: string, cause?: unknown) {
    super(message, cause)
    this.name = 'ModelStateError'
    this.model = model
    this.fault = fault
  }
}

/** True when `value` holds a NaN or infinite number anywhere (JSON turns them into null). */
export const hasNonFinite = (value: unknown): boolean => {
  if (typeof value === 'number') return !Number.isFinite(value)
  if (Array.isArray(value)) return value.some(hasNonFinite)
  if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite)
  return false
}
