import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { center, hidePage, launch, newContext, readDatabase, ready, serve, type Served } from './chromium'

/**
 * Issue 5, "export() is complete", in real Chromium with the built tacit.min.js: every record of
 * every object store of the real IndexedDB database appears in `export()`, in the documented
 * `tacit-export` format (docs/export-format.md).
 */

let browser: Browser
let server: Served

beforeAll(async () => {
  server = await serve()
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

type Doc = Record<string, unknown> & { visitor: unknown; signals: unknown[]; outcomes: Array<{ goal: string; count: number }> }
type Stores = Record<string, unknown[]>

/** Where each object store's records are in the export. A store missing here fails the test. */
const STORE_FIELDS: Record<string, string> = {
  items: 'items',
  tags: 'tags',
  sessions: 'sessions',
  funnels: 'funnels',
  outcomes: 'outcomes',
  meta: 'visitor',
  models: 'models',
  decisions: 'decisions',
  signals: 'signals',
  // Deltas written blind on page hide: folded into the records above, as Tacit reads them.
  journal: 'folded',
}
/** The key of each keyed store's records. */
const KEYS: Record<string, string> = { items: 'id', tags: 'tag', sessions: 'id', funnels: 'funnel', outcomes: 'goal', models: 'key', decisions: 'slot' }

/** JSON with object keys sorted: the same record compares equal whatever order its fields were set in. */
const canon = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  )

/** Every difference between the stores and the export: a store not covered, a record missing or changed. */
const differences = (doc: Doc, stores: Stores): string[] => {
  const out: string[] = []
  for (const name of Object.keys(stores)) if (!(name in STORE_FIELDS)) out.push(`store ${name} is not covered by the export format`)
  for (const [name, field] of Object.entries(STORE_FIELDS)) {
    if (field === 'folded') {
      if (stores[name]?.length) out.push(`${stores[name].length} journal entries not folded yet`)
      continue
    }
    const stored = stores[name] ?? []
    const exported = field === 'visitor' ? [doc.visitor] : ((doc[field] as unknown[]) ?? [])
    if (stored.length !== exported.length) out.push(`${name}: ${stored.length} stored, ${exported.length} exported`)
    stored.forEach((record, i) => {
      if (canon(record) !== canon(exported[i])) out.push(`${name}[${i}] differs: ${canon(record)} vs ${canon(exported[i])}`)
    })
  }
  return out
}

const exportOf = async (page: Page): Promise<{ text: string; doc: Doc }> => {
  const text: string = await page.evaluate(() => (window as any).tacit.export())
  return { text, doc: JSON.parse(text) }
}

/** Exports, then reads the database. Retried while a write lands between the two (training saves in idle time). */
const exportAndRead = async (page: Page) => {
  let last: { text: string; doc: Doc; stores: Stores; diff: string[] } | undefined
  for (let attempt = 0; attempt < 10; attempt++) {
    const { text, doc } = await exportOf(page)
    const stores = (await readDatabase(page))!
    last = { text, doc, stores, diff: differences(doc, stores) }
    if (!last.diff.length) break
    await page.waitForTimeout(300)
  }
  return last!
}

const modelKeys = (page: Page): Promise<string[]> =>
  page.evaluate(async () => ((await (window as any).tacit.profile()).models as Array<{ key: string }>).map((m) => m.key).sort())

/** Trusted input and API calls that leave records in every store. */
const session = async (page: Page): Promise<void> => {
  const item = await center(page, '[data-tacit-item="sku-1"]')
  await page.mouse.move(item.x, item.y, { steps: 4 })
  await page.waitForTimeout(1200) // a hesitation and hover time on the item
  await page.mouse.click(item.x, item.y)
  const nothing = await center(page, '#nothing')
  await page.mouse.move(nothing.x, nothing.y, { steps: 4 })
  for (let i = 0; i < 3; i++) await page.mouse.click(nothing.x, nothing.y, { delay: 15 }) // a rage click
  for (const id of ['#details', '#buy']) {
    const p = await center(page, id)
    await page.mouse.click(p.x, p.y) // a funnel step, then the purchase goal
  }
  await page.evaluate(() => {
    const t = (window as any).tacit
    t.decide('hero', [
      { id: 'value', tags: ['budget'] },
      { id: 'luxury', tags: ['luggage'] },
    ])
    t.reward('hero', 1)
    for (let i = 0; i < 4; i++) t.track('purchase', 49)
  })
  // The intent model fine-tunes on the goals in idle time, then saves its weights.
  await expect.poll(() => modelKeys(page), { timeout: 20_000 }).toEqual(expect.arrayContaining(['bandit:hero', 'intent:convert']))
}

describe('export() in Chromium (built tacit.min.js)', () => {
  it('contains every record of every store of the real database, under the documented header', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/test/script-shop.html?token=QUERYSECRET31#FRAGSECRET77`)
    await ready(page)
    await session(page)

    // Every record of every store, exactly as stored.
    const before = Date.now()
    const { text, doc, stores, diff } = await exportAndRead(page)
    expect(diff).toEqual([])
    for (const [name, records] of Object.entries(stores)) {
      if (name !== 'journal') expect(records.length, `store ${name} is empty`).toBeGreaterThan(0)
    }
    expect(doc.outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ goal: 'purchase', count: 5 })]))

    // The header, and no URL, query string or fragment.
    const version = await page.evaluate(async () => {
      const dbs = await indexedDB.databases()
      return dbs.find((d) => d.name === 'tacit')?.version
    })
    expect(doc).toMatchObject({ format: 'tacit-export', version: 1, database: { name: 'tacit', schemaVersion: version }, storage: 'indexeddb', consent: 'granted' })
    expect(Date.parse(doc.exportedAt as string)).toBeGreaterThanOrEqual(before - 60_000)
    expect(Date.parse(doc.exportedAt as string)).toBeLessThanOrEqual(Date.now())
    for (const word of ['QUERYSECRET31', 'FRAGSECRET77', 'http', server.url.replace(/^https?:\/\//, '')]) {
      expect(text.includes(word), `${word} in export()`).toBe(false)
    }

    // Leaving the page journals a delta without reading; the export has it before it is folded.
    await hidePage(page)
    await page.waitForTimeout(200)
    const hidden = (await readDatabase(page))!
    const journal = hidden.journal as Array<Record<string, unknown[] | undefined>>
    expect(journal.length).toBeGreaterThan(0)
    const afterHide = (await exportOf(page)).doc
    let journalled = 0
    for (const entry of journal) {
      for (const [field, key] of Object.entries(KEYS)) {
        const keys = ((afterHide[field] as Array<Record<string, unknown>>) ?? []).map((r) => r[key])
        for (const r of (entry[field] ?? []) as Array<Record<string, unknown>>) {
          journalled++
          expect(keys, `${field} ${String(r[key])} from the journal`).toContain(r[key])
        }
      }
      for (const s of entry.signals ?? []) {
        journalled++
        expect(afterHide.signals.map(canon)).toContain(canon(s))
      }
    }
    expect(journalled).toBeGreaterThan(0)

    // The next page folds the journal into the stores; the export still matches them record for record.
    await page.reload()
    await ready(page)
    await expect.poll(async () => ((await readDatabase(page))!.journal ?? []).length, { timeout: 10_000 }).toBe(0)
    const next = await exportAndRead(page)
    expect(next.diff).toEqual([])
    expect(next.doc.outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ goal: 'purchase', count: 5 })]))
    await context.close()
  })
})
