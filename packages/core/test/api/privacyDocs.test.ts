import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createTacit, resolveOptions, SIGNAL_TYPES, type TacitExport } from '@tacit/core'
import { describe, expect, it } from 'vitest'
// The schemas are not public API; this test exists to keep the docs in step with them.
import { DB_VERSION, JOURNAL_STORE, RING_STORE, schemas, STORES } from '../../src/profile/schemas'

const { JournalRecord, SignalRecord } = schemas()

/**
 * docs/privacy.md and docs/export-format.md must match the code: every object store, every field
 * of every stored record, the defaults they quote and the export's fields. A store or field added
 * to schemas.ts without a word in the docs fails here.
 */

// __dirname, not import.meta.url: under happy-dom the latter is not a file: URL.
const read = (file: string): string => readFileSync(resolve(__dirname, '../../../../docs', file), 'utf8')
const privacy = read('privacy.md')
const exportFormat = read('export-format.md')

type Schema = { shape?: Record<string, Schema>; inner?: Schema; values?: readonly unknown[] }

/** The schema under optional/default wrappers. */
const unwrap = (s: Schema): Schema => (s.inner ? unwrap(s.inner) : s)

/**
 * Field names of an object schema (and of objects nested in it, when `nested`), and the values of
 * its enum fields: what a reader of the docs must find.
 */
const namesOf = (schema: Schema, nested: boolean): { fields: string[]; values: string[] } => {
  const fields: string[] = []
  const values: string[] = []
  const shape = unwrap(schema).shape ?? {}
  for (const [name, field] of Object.entries(shape)) {
    fields.push(name)
    const inner = unwrap(field)
    if (inner.values) values.push(...inner.values.filter((v): v is string => typeof v === 'string'))
    if (nested && inner.shape) {
      const deeper = namesOf(field, true)
      fields.push(...deeper.fields)
      values.push(...deeper.values)
    }
  }
  return { fields, values }
}

/** The text under `### \`name\``, up to the next heading. */
const section = (doc: string, name: string): string | undefined => {
  const start = doc.indexOf(`### \`${name}\`\n`)
  if (start < 0) return undefined
  const rest = doc.slice(start + 1)
  const end = rest.search(/\n#{2,3} /)
  return end < 0 ? rest : rest.slice(0, end)
}

/** Cells of the markdown table rows whose first cell is a code span. */
const tableRows = (text: string): Array<[string, ...string[]]> =>
  [...text.matchAll(/^\| `([^`]+)` \|(.*)\|$/gm)].map((m) => [m[1], ...m[2].split('|').map((c) => c.trim())])

const STORE_SCHEMAS: Record<string, { schema: Schema; nested: boolean }> = {
  ...Object.fromEntries(Object.entries(STORES).map(([name, s]) => [name, { schema: schemas()[s.schema] as unknown as Schema, nested: true }])),
  [RING_STORE]: { schema: SignalRecord as unknown as Schema, nested: true },
  // Journal entries carry records of the other stores, described in their own sections.
  [JOURNAL_STORE]: { schema: JournalRecord as unknown as Schema, nested: false },
}

describe('docs/privacy.md', () => {
  it('describes every object store, with every field of its records and every value of its enums', () => {
    const missing: string[] = []
    for (const [store, { schema, nested }] of Object.entries(STORE_SCHEMAS)) {
      const text = section(privacy, store)
      if (!text) {
        missing.push(`store ${store}: no "### \`${store}\`" section`)
        continue
      }
      const { fields, values } = namesOf(schema, nested)
      expect(fields.length, `fields of ${store}`).toBeGreaterThan(0)
      for (const name of [...fields, ...values]) if (!text.includes(`\`${name}\``)) missing.push(`store ${store}: \`${name}\``)
    }
    expect(missing).toEqual([])
    // The enum walk reached the signal types, so a new signal type must be documented too.
    for (const type of SIGNAL_TYPES) expect(section(privacy, RING_STORE)).toContain(`\`${type}\``)
  })

  it('quotes the defaults the code has', () => {
    const defaults = resolveOptions({}) as unknown as Record<string, unknown>
    const kept = privacy.slice(privacy.indexOf('## How long it is kept'))
    const rows = tableRows(kept.slice(0, kept.indexOf('\n## ', 3)))
    expect(rows.map(([name]) => name)).toEqual(expect.arrayContaining(['retentionDays', 'recentSignals', 'dbName']))
    for (const [name, value] of rows) {
      expect(defaults, `option ${name}`).toHaveProperty(name)
      expect(value, `default of ${name}`).toBe(String(defaults[name]))
    }
    // Options named elsewhere in the text exist.
    for (const name of ['dbName', 'keepQueryParams', 'respectGlobalPrivacyControl', 'sessionTimeoutMs', 'interestHalfLifeDays']) {
      expect(defaults).toHaveProperty(name)
      expect(privacy).toMatch(new RegExp(`\`${name}[\`:]`))
    }
  })

  it('describes encryption at rest as shipped, as the options say, and where its keys are kept', () => {
    expect(resolveOptions({ encrypt: true }).encrypt).toBe(true)
    expect(privacy).toContain('\n## Encryption at rest (option `encrypt: true`)\n')
    expect(privacy).not.toContain('being built')
    expect(section(privacy, 'meta')).toContain('key `crypto`')
  })
})

describe('docs/export-format.md', () => {
  it('describes every field of a real export, and maps every object store', async () => {
    const t = createTacit({ dbName: 'tacit-docs', onError: () => {} })
    await t.ready
    const doc: TacitExport = JSON.parse(await t.export())
    t.destroy()
    const described = tableRows(exportFormat).map(([name]) => name)
    for (const field of Object.keys(doc)) expect(described, `export field ${field}`).toContain(field)
    expect(exportFormat).toContain(`# Export format: \`${doc.format}\`, version ${doc.version}`)
    expect(exportFormat).toContain(`currently ${DB_VERSION}`)
    expect(doc.database.schemaVersion).toBe(DB_VERSION)

    // The records table: every store of the database, in the second column.
    const stores = [...exportFormat.matchAll(/^\| (?:`\w+`|\(none\)) \| `(\w+)` \|/gm)].map((m) => m[1])
    expect(stores.sort()).toEqual(Object.keys(STORE_SCHEMAS).sort())
  })
})
