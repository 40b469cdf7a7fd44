/**
 * zod's test of a record (`util.isPlainObject`), restated: an object made by `{}` or
 * `Object.create(null)`, or of a class whose prototype is such an object. The options (options.ts)
 * take records by the same rule as stored records (schema.ts `record`).
 */
export const isPlainObject = (v: unknown): v is Record<PropertyKey, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const ctor: unknown = (v as { constructor?: unknown }).constructor
  if (typeof ctor !== 'function') return true
  const proto: unknown = ctor.prototype
  return typeof proto === 'object' && proto !== null && !Array.isArray(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf')
}
