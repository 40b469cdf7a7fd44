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
  return value
}
