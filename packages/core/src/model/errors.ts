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

/** Formats the first zod issue as `path: message`, for error messages that name the bad field. */
export const firstIssue = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string => {
  const issue = error.issues[0]
  if (!issue) return 'invalid'
  const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
  return `${path ? path.slice(path.startsWith('.') ? 1 : 0) : '(root)'}: ${issue.message}`
}

/** True when `value` holds a NaN or infinite number anywhere (JSON turns them into null). */
export const hasNonFinite = (value: unknown): boolean => {
  if (typeof value === 'number') return !Number.isFinite(value)
  if (Array.isArray(value)) return value.some(hasNonFinite)
  if (value && typeof value === 'object') return Object.values(value).some(hasNonFinite)
  return false
}
