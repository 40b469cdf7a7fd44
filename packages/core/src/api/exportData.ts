import type { Consent } from '../options'
import { DB_VERSION } from '../profile/schemas'
import type { ProfileData } from '../profile/types'
import type { TacitExport } from './types'

/** The `format` of every document `export()` returns. */
const EXPORT_FORMAT = 'tacit-export'
/** The `version` of that format; it changes only when the shape does (docs/export-format.md). */
const EXPORT_VERSION = 1

/** What the export says about where the data came from; never the page's URL. */
export interface ExportContext {
  consent: Consent
  storage: 'indexeddb' | 'memory'
  dbName: string
  /** Epoch ms of the export. */
  now: number
}

/** Records in key order, the order IndexedDB keeps them in, so two exports of one profile match. */
const byKey = <T>(records: Record<string, T>): T[] =>
  Object.keys(records)
    .sort()
    .map((key) => records[key])

/**
 * The export document: a header, then every record of every object store (`meta` as `visitor`,
 * the `signals` ring oldest first). Journal entries are already folded into `data` by the store's
 * `load()`, as Tacit itself reads them.
 */
const exportDocument = (data: ProfileData, ctx: ExportContext): TacitExport => ({
  format: EXPORT_FORMAT,
  version: EXPORT_VERSION,
  exportedAt: new Date(ctx.now).toISOString(),
  database: { name: ctx.dbName, schemaVersion: DB_VERSION },
  storage: ctx.storage,
  consent: ctx.consent,
  visitor: data.visitor ?? null,
  items: byKey(data.items),
  tags: byKey(data.tags),
  sessions: byKey(data.sessions),
  funnels: byKey(data.funnels),
  outcomes: byKey(data.outcomes),
  signals: data.signals.slice(),
  models: byKey(data.models),
  decisions: byKey(data.decisions),
})

/** {@link exportDocument} as indented JSON, the string `export()` returns. */
export const exportJson = (data: ProfileData, ctx: ExportContext): string => JSON.stringify(exportDocument(data, ctx), null, 2)
