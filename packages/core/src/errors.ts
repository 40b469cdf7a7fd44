/** Thrown by `createTacit` when an option is invalid. The message names the field and the fix. */
export class TacitConfigError extends Error {
  /** The option that failed, as a dotted path, for example `funnels.checkout`. */
  readonly field: string
  constructor(field: string, message: string) {
    super(message)
    this.name = 'TacitConfigError'
    this.field = field
  }
}

/**
 * A bad argument to a public method (an empty goal name, a non-finite value, an undeclared
 * funnel). Thrown in development builds; in production builds it is reported to `onError` and the
 * call is ignored, so the profile is never corrupted and the host page never breaks.
 */
export class TacitArgumentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TacitArgumentError'
  }
}

/** A fault inside Tacit (storage, an observer, a listener) reported to `onError`, never thrown. */
export class TacitError extends Error {
  override readonly cause?: unknown
  constructor(message: string, cause?: unknown) {
    super(message)
    this.name = 'TacitError'
    this.cause = cause
  }
}

export const describeValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  return String(value)
}

/** `funnels.checkout[1]`: a path of keys and indexes, as errors name a field (options, schemas). */
export const pathOf = (at: readonly PropertyKey[]): string =>
  at.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${String(k)}` : String(k))).join('')
