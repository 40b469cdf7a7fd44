import type { Variant } from '@tacit/core'

/** The name of a variant given as a name or as `{ id, tags }`. */
export const variantId = (v: Variant): string => (typeof v === 'string' ? v : v.id)
