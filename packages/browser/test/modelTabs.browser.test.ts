import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launch, newContext, readDatabase, ready, serve, type Served } from './chromium'

// Several tabs of one site learn at once. Model state is written as changes from the state each
// tab started from, and added to what is stored inside the write transaction
// (profile/modelMerge.ts), so no tab overwrites another's learning; after each write the tabs
// are told (BroadcastChannel) and adopt the stored sum, so every tab decides from the newest one.

let browser: Browser
let server: Served
beforeAll(async () => {
  browser = await launch()
  server = await serve()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

type Arm = { n: number }
const storedBandit = async (page: Page, slot: string) => {
  const db = await readDatabase(page)
  const record = (db?.models as Array<{ key: string; state: { bandit: { arms: Arm[] } } }>).find((m) => m.key === `bandit:${slot}`)
  return record?.state.bandit.arms.map((a) => a.n)
}

describe('model learning in several tabs', () => {
  it('four tabs rewarding one slot at the same time: the stored posterior has all four rewards', async () => {
    const context = await newContext(browser)
    const pages = await Promise.all(Array.from({ length: 4 }, () => context.newPage()))
    await Promise.all(pages.map((p) => p.goto(`${server.url}/test/model-tabs.html`)))
    await Promise.all(pages.map(ready))
    // Each tab decides the slot and rewards it, at the same moment.
    const chosen = await Promise.all(
      pages.map((p) =>
        p.evaluate(() => {
          const t = (window as any).tacit
          const d = t.decide('hero', ['a', 'b'])
          t.reward('hero', 1)
          return d.variant as string
        }),
      ),
    )
    // Every tab's write lands (flush interval 100 ms); profile() waits for writes under way.
    await Promise.all(pages.map((p) => p.evaluate(() => (window as any).tacit.profile())))
    const expected = ['a', 'b'].map((v) => chosen.filter((c) => c === v).length)
    await expect.poll(() => storedBandit(pages[0], 'hero'), { timeout: 10_000 }).toEqual(expected)
    await context.close()
  })

  it('what one tab learns reaches the others within seconds, and both tabs\' training adds up', async () => {
    const context = await newContext(browser)
    const [a, b] = await Promise.all([context.newPage(), context.newPage()])
    await Promise.all([a, b].map((p) => p.goto(`${server.url}/test/model-tabs.html`)))
    await Promise.all([a, b].map(ready))
    const convert = (p: Page) => p.evaluate(() => (window as any).tacit.predict().convert as number)
    const before = await convert(a)
    expect(await convert(b)).toBeCloseTo(before, 6)

    // Only tab B reaches goals: its intent model trains in idle time and is written.
    await b.evaluate(() => {
      for (let i = 0; i < 80; i++) (window as any).tacit.track('purchase')
    })
    await expect.poll(() => convert(b), { timeout: 10_000 }).toBeGreaterThan(before + 0.02)
    // Tab A did nothing, yet decides from B's weights within a few seconds.
    await expect.poll(() => convert(a), { timeout: 5_000 }).toBeGreaterThan(before + 0.02)
    const fromB = await convert(a)

    // Now A learns too: the stored model keeps B's training and adds A's.
    await a.evaluate(() => {
      for (let i = 0; i < 80; i++) (window as any).tacit.track('purchase')
    })
    await expect.poll(() => convert(a), { timeout: 10_000 }).toBeGreaterThan(fromB + 0.02)
    await expect.poll(() => convert(b), { timeout: 10_000 }).toBeGreaterThan(fromB + 0.02)
    await context.close()
  })
})
