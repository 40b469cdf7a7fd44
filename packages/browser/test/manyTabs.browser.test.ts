import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, readDatabase, ready, serve, type Served } from './chromium'

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

const TABS = 4
const ROUNDS = 3
/** The items of many-tabs.html and their tags (as Tacit stores them: lower case). */
const ITEMS: Record<string, string[]> = { 'sku-a': ['red', 'big'], 'sku-b': ['red'], 'sku-c': ['blue', 'big'], 'sku-d': ['blue'] }
const IDS = Object.keys(ITEMS)
/** Where the pointer rests between items: bare page, nothing tracked. */
const AWAY = { x: 900, y: 650 }
/** Longer than the 100 ms below which Tacit does not count a hover, far below the 1 s of a hesitation. */
const HOVER_MS = 160

interface Totals {
  clicks: number
  hovers: number
  hesitations: number
  hesitationMs: number
  dwellMs: number
}
const zero = (): Totals => ({ clicks: 0, hovers: 0, hesitations: 0, hesitationMs: 0, dwellMs: 0 })

/** What one tab did: the plan it followed, and what its page counted on its own. */
interface Produced {
  items: Record<string, Totals>
  outcomes: Record<string, { count: number; valueSum: number }>
  pageClicks: Record<string, number>
  pageOvers: Record<string, number>
}

/**
 * One tab's share: visits every item each round (in an order of its own), rests on it, clicks it
 * 0 to 2 times with trusted input, leaves; calls track() between visits and clicks the goal
 * button once a round. Returns exactly what it produced.
 */
const work = async (page: Page, tab: number): Promise<Produced> => {
  const items: Record<string, Totals> = Object.fromEntries(IDS.map((id) => [id, zero()]))
  const outcomes: Produced['outcomes'] = {
    signup: { count: 0, valueSum: 0 },
    purchase: { count: 0, valueSum: 0 },
    'add-to-cart': { count: 0, valueSum: 0 },
  }
  const boxes = await page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[id]')].map((el) => {
        const r = el.getBoundingClientRect()
        return [el.id, { x: r.x + r.width / 2, y: r.y + r.height / 2 }]
      }),
    ),
  )
  let visit = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < IDS.length; j++, visit++) {
      const id = IDS[(j + tab) % IDS.length]
      const clicks = (tab + j + round) % 3
      // From bare page straight onto the item: one pointerover, one hover when it leaves.
      await page.mouse.move(AWAY.x, AWAY.y)
      await page.mouse.move(boxes[id].x, boxes[id].y)
      await page.waitForTimeout(HOVER_MS)
      for (let c = 0; c < clicks; c++) await page.mouse.click(boxes[id].x, boxes[id].y, { delay: 10 })
      await page.mouse.move(AWAY.x, AWAY.y)
      items[id].hovers++
      items[id].clicks += clicks
      if (visit % 2 === 0) {
        await page.evaluate(() => (window as any).tacit.track('signup'))
        outcomes.signup.count++
      }
      if (visit % 3 === 0) {
        const value = tab + 1 + visit / 10
        await page.evaluate((v) => (window as any).tacit.track('purchase', v), value)
        outcomes.purchase.count++
        outcomes.purchase.valueSum += value
      }
    }
    // The declarative goal button (data-tacit-value="5"), clicked like a person would.
    await page.mouse.click(boxes.buy.x, boxes.buy.y, { delay: 10 })
    await page.mouse.move(AWAY.x, AWAY.y)
    outcomes['add-to-cart'].count++
    outcomes['add-to-cart'].valueSum += 5
  }
  return { items, outcomes, pageClicks: {}, pageOvers: {} }
}

/** Adds the hesitations and dwell this tab's Tacit reported (those depend on timing, not on the plan). */
const addReportedSignals = async (page: Page, produced: Produced): Promise<void> => {
  const signals: any[] = await page.evaluate(() => (window as any).__signals)
  for (const s of signals) {
    if (!s.item || !(s.item in produced.items)) continue
    const t = produced.items[s.item]
    if (s.type === 'hesitation') {
      t.hesitations++
      t.hesitationMs += s.ms
    }
    if (s.type === 'dwell') t.dwellMs += s.ms
  }
  produced.pageClicks = await page.evaluate(() => (window as any).__clicks)
  produced.pageOvers = await page.evaluate(() => (window as any).__pointerovers)
}

type Row = Totals & { id?: string; tag?: string }
type OutcomeRow = { goal: string; count: number; valueSum: number }

/** Stored totals: the stores plus the deltas journalled on page hide that no start-up has folded in yet. */
const storedTotals = (db: Record<string, any[]>) => {
  const items: Record<string, Totals> = {}
  const tags: Record<string, Totals> = {}
  const outcomes: Record<string, { count: number; valueSum: number }> = {}
  const add = (into: Record<string, Totals>, key: string, r: Row) => {
    const t = (into[key] ??= zero())
    for (const k of Object.keys(t) as (keyof Totals)[]) t[k] += r[k]
  }
  const addOutcome = (r: OutcomeRow) => {
    const o = (outcomes[r.goal] ??= { count: 0, valueSum: 0 })
    o.count += r.count
    o.valueSum += r.valueSum
  }
  const fold = (part: { items: Row[]; tags: Row[]; outcomes: OutcomeRow[] }) => {
    for (const r of part.items) add(items, r.id!, r)
    for (const r of part.tags) add(tags, r.tag!, r)
    for (const r of part.outcomes) addOutcome(r)
  }
  fold({ items: db.items ?? [], tags: db.tags ?? [], outcomes: db.outcomes ?? [] })
  for (const entry of db.journal ?? []) fold(entry)
  return { items, tags, outcomes }
}

const expectTotals = (actual: Totals | undefined, expected: Totals, what: string) => {
  expect(actual, `${what} is stored`).toBeDefined()
  expect({ what, clicks: actual!.clicks, hovers: actual!.hovers, hesitations: actual!.hesitations }).toEqual({
    what,
    clicks: expected.clicks,
    hovers: expected.hovers,
    hesitations: expected.hesitations,
  })
  // Sums of milliseconds: added in another order than here, so equal up to rounding.
  expect(actual!.dwellMs, `${what} dwellMs`).toBeCloseTo(expected.dwellMs, 3)
  expect(actual!.hesitationMs, `${what} hesitationMs`).toBeCloseTo(expected.hesitationMs, 3)
}

describe('four tabs of the same site at once (built tacit.min.js, real IndexedDB)', () => {
  it('every per-item, per-tag and per-goal total equals the sum of what the four tabs produced', async () => {
    const context = await newContext(browser)
    const pages = await Promise.all(Array.from({ length: TABS }, () => context.newPage()))
    // All four open (and load the same empty profile) before any of them writes.
    await Promise.all(pages.map((p) => p.goto(`${server.url}/test/many-tabs.html`)))
    await Promise.all(pages.map((p) => ready(p)))
    for (const p of pages) expect(await p.evaluate(() => (window as any).tacit.storage)).toBe('indexeddb')

    const produced = await Promise.all(pages.map((p, tab) => work(p, tab)))

    // Flush everything: each tab hides (its last delta goes to the journal), then profile()
    // writes anything still pending and waits for every write under way.
    await Promise.all(pages.map((p) => hidePage(p)))
    await Promise.all(pages.map((p) => p.evaluate(() => (window as any).tacit.profile())))
    for (const [tab, p] of pages.entries()) await addReportedSignals(p, produced[tab])

    // The input landed where the plan says (counted by the pages, not by Tacit).
    for (const { items, pageClicks, pageOvers } of produced) {
      for (const id of IDS) {
        expect(pageClicks[id] ?? 0, `page-counted clicks on ${id}`).toBe(items[id].clicks)
        expect(pageOvers[id] ?? 0, `page-counted pointerovers on ${id}`).toBe(items[id].hovers)
      }
    }

    // What the four produced, summed: per item, per tag (over the items carrying it), per goal.
    const expectedItems: Record<string, Totals> = Object.fromEntries(IDS.map((id) => [id, zero()]))
    const expectedTags: Record<string, Totals> = {}
    const expectedOutcomes: Record<string, { count: number; valueSum: number }> = {}
    for (const p of produced) {
      for (const id of IDS) {
        for (const tag of [null, ...ITEMS[id]]) {
          const into = tag === null ? expectedItems[id] : (expectedTags[tag] ??= zero())
          for (const k of Object.keys(into) as (keyof Totals)[]) into[k] += p.items[id][k]
        }
      }
      for (const [goal, o] of Object.entries(p.outcomes)) {
        const e = (expectedOutcomes[goal] ??= { count: 0, valueSum: 0 })
        e.count += o.count
        e.valueSum += o.valueSum
      }
    }
    // Enough concurrent work that a lost update would show.
    expect(expectedItems['sku-a'].clicks).toBeGreaterThan(10)
    expect(expectedOutcomes.signup.count).toBe(TABS * ((ROUNDS * IDS.length) / 2))

    // The database, read with the page's own IndexedDB.
    const db = (await readDatabase(pages[0])) as Record<string, any[]>
    expect(db).not.toBeNull()
    const stored = storedTotals(db)
    expect(Object.keys(stored.items).sort()).toEqual([...IDS].sort())
    for (const id of IDS) expectTotals(stored.items[id], expectedItems[id], `item ${id}`)
    expect(Object.keys(stored.tags).sort()).toEqual(Object.keys(expectedTags).sort())
    for (const tag of Object.keys(expectedTags)) expectTotals(stored.tags[tag], expectedTags[tag], `tag ${tag}`)
    for (const [goal, e] of Object.entries(expectedOutcomes)) {
      expect(stored.outcomes[goal]?.count, `outcome ${goal} count`).toBe(e.count)
      expect(stored.outcomes[goal]?.valueSum, `outcome ${goal} valueSum`).toBeCloseTo(e.valueSum, 6)
    }

    // And what a tab's profile() answers (it reads the database back, journal included).
    const profile = await pages[1].evaluate(() => (window as any).tacit.profile())
    for (const id of IDS) expectTotals(profile.items.find((r: any) => r.id === id), expectedItems[id], `profile() item ${id}`)
    for (const tag of Object.keys(expectedTags)) expectTotals(profile.tags.find((r: any) => r.tag === tag), expectedTags[tag], `profile() tag ${tag}`)
    for (const [goal, e] of Object.entries(expectedOutcomes)) {
      expect(profile.outcomes.find((r: any) => r.goal === goal)).toMatchObject({ count: e.count })
    }
    await context.close()
  })
})
