import { columnIndex, type Table } from './csv'

/**
 * Turns CSV columns into a numeric feature matrix for the intent model, the same way for training
 * and test rows: the encoder is fitted on training rows only (categories, standardisation), then
 * applied to any row.
 */

/** How one column becomes inputs. */
export type ColumnType = 'numeric' | 'log1p' | 'boolean' | 'categorical'

export interface ColumnSpec {
  column: string
  type: ColumnType
  /** Categorical only: categories seen fewer times in training share no input (all zeros). */
  minCount?: number
}

/** A fitted encoder. */
export interface Encoder {
  specs: ColumnSpec[]
  /** Input names: the column name, or `column=value` for a one-hot input. */
  names: string[]
  /** Standardisation learned on the training rows, as the prior stores it. */
  mean: number[]
  std: number[]
  /** Encodes rows (raw, not standardised: the model applies `mean`/`std`) one after another. */
  encode(table: Table, rows: readonly number[]): Float32Array
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't'])
const FALSE = new Set(['false', '0', 'no', 'n', 'f', ''])

/** Parses a boolean cell; throws on anything else, naming the value. */
export const parseBoolean = (value: string, column: string): number => {
  const v = value.trim().toLowerCase()
  if (TRUE.has(v)) return 1
  if (FALSE.has(v)) return 0
  throw new Error(`column "${column}": "${value}" is not a boolean (true/false, 1/0, yes/no)`)
}

const parseNumber = (value: string, column: string): number => {
  const n = Number(value.trim())
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`column "${column}": "${value}" is not a number`)
  return n
}

/**
 * Reads `name`, `name:type` items (e.g. `PageValues:log1p,Month:categorical,Weekend:boolean`);
 * an item without a type gets {@link inferType}'s.
 */
export const parseFeatureList = (list: string, table: Table): ColumnSpec[] =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [column, type] = item.split(':')
      columnIndex(table, column)
      if (type && !['numeric', 'log1p', 'boolean', 'categorical', 'cat', 'bool'].includes(type)) {
        throw new Error(`feature "${item}": type must be numeric, log1p, boolean or categorical`)
      }
      const t = type === 'cat' ? 'categorical' : type === 'bool' ? 'boolean' : (type as ColumnType | undefined)
      return { column, type: t ?? inferType(table, column) }
    })

/** `boolean` for true/false columns, `numeric` when every cell is a number, else `categorical`. */
export const inferType = (table: Table, column: string): ColumnType => {
  const c = columnIndex(table, column)
  const values = new Set(table.rows.map((r) => r[c].trim().toLowerCase()))
  if ([...values].every((v) => v === 'true' || v === 'false')) return 'boolean'
  if ([...values].every((v) => v !== '' && Number.isFinite(Number(v)))) return 'numeric'
  return 'categorical'
}

/** Fits an encoder on the training rows `rows` of `table`. */
export const fitEncoder = (table: Table, specs: readonly ColumnSpec[], rows: readonly number[]): Encoder => {
  const plan = specs.map((spec) => {
    const c = columnIndex(table, spec.column)
    if (spec.type !== 'categorical') return { spec, c, categories: undefined as string[] | undefined }
    const counts = new Map<string, number>()
    for (const r of rows) {
      const v = table.rows[r][c].trim()
      counts.set(v, (counts.get(v) ?? 0) + 1)
    }
    const categories = [...counts]
      .filter(([, n]) => n >= (spec.minCount ?? 1))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([v]) => v)
    return { spec, c, categories }
  })
  const names = plan.flatMap(({ spec, categories }) => (categories ? categories.map((v) => `${spec.column}=${v}`) : [spec.column]))
  const d = names.length
  const encode = (t: Table, which: readonly number[]): Float32Array => {
    const out = new Float32Array(which.length * d)
    which.forEach((r, i) => {
      const row = t.rows[r]
      let k = i * d
      for (const { spec, c, categories } of plan) {
        const cell = row[c]
        if (categories) {
          const at = categories.indexOf(cell.trim())
          if (at >= 0) out[k + at] = 1
          k += categories.length
        } else if (spec.type === 'boolean') out[k++] = parseBoolean(cell, spec.column)
        else if (spec.type === 'log1p') {
          const n = parseNumber(cell, spec.column)
          // Signed, so a negative value does not produce NaN.
          out[k++] = Math.sign(n) * Math.log1p(Math.abs(n))
        } else out[k++] = parseNumber(cell, spec.column)
      }
    })
    return out
  }
  const x = encode(table, rows)
  const n = rows.length
  const mean = new Array<number>(d).fill(0)
  const std = new Array<number>(d).fill(0)
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += x[r * d + j] / n
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) std[j] += (x[r * d + j] - mean[j]) ** 2 / n
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) > 1e-9 ? Math.sqrt(std[j]) : 1
  return { specs: [...specs], names, mean, std, encode }
}

/** Reads the label column as 0/1: `positive` (default true/1/yes) is 1, anything else 0. */
export const encodeLabels = (table: Table, label: string, rows: readonly number[], positive?: string): Float32Array => {
  const c = columnIndex(table, label)
  return Float32Array.from(rows, (r) => {
    const v = table.rows[r][c].trim()
    return positive !== undefined ? (v === positive ? 1 : 0) : TRUE.has(v.toLowerCase()) ? 1 : 0
  })
}
