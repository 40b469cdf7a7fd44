import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { center, hidePage, launch, newContext, ready, serve, type Served } from './chromium'

/**
 * Odd DOM in real Chromium with the built tacit.min.js: SVG, web components with open and closed
 * shadow roots, a same-origin iframe, elements removed and replaced under the pointer, and 3,000
 * tracked items, all under trusted mouse input. Nothing may reach the page as an error, Tacit
 * reports no fault, and the normal elements still produce their signals and records.
 *
 * Shadow DOM: Tacit listens on the document, where an event from inside a shadow root (open or
 * closed alike) is retargeted to its host, and it finds tracked elements with selectors that do
 * not enter shadow roots. So a web component counts through its host: `data-tacit-item` on the
 * host element, which is in the page's own markup, gets the hovers, clicks and dwell of
 * everything inside it; `data-tacit-item` inside a shadow root is not read, whether the root is
 * open or closed, so a component behaves the same in either mode.
 */

type Sig = { type: string; target: string; item?: string; ms?: number; outcome?: string }
type Item = { id: string; hovers: number; hoverMs: number; clicks: number; dwellMs: number }

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

/** Opens the page and collects everything that could go wrong in it. */
const open = async () => {
  const context = await newContext(browser)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`)
  })
  await page.goto(`${server.url}/test/odd-dom.html`)
  await ready(page)
  return { page, problems }
}

const signals = (page: Page): Promise<Sig[]> => page.evaluate(() => (window as any).__signals)
const items = async (page: Page): Promise<Map<string, Item>> => {
  const p = await page.evaluate(() => (window as any).tacit.profile())
  return new Map((p.items as Item[]).map((i) => [i.id, i]))
}

/** Moves the mouse to the centre of `selector` in small steps, as a hand would. */
const moveTo = async (page: Page, selector: string, steps = 4) => {
  const { x, y } = await center(page, selector)
  await page.mouse.move(x, y, { steps })
}
const rest = (page: Page, ms: number) => page.waitForTimeout(ms)

describe('odd DOM in real Chromium, trusted input, built tacit.min.js', () => {
  it('SVG, shadow roots, an iframe, elements removed under the pointer, 3,000 items: no error, normal signals, hosts count', async () => {
    const { page, problems } = await open()

    // The 3,000 items were ranked by the script tag: the same items, each once.
    const order = await page.$$eval('#grid > li', (els) => els.map((el) => el.getAttribute('data-tacit-item')))
    expect(order).toHaveLength(3000)
    expect(new Set(order).size).toBe(3000)

    // A normal button: rest, then leave (a hesitation).
    await moveTo(page, '#help')
    await rest(page, 1200)
    // SVG: rest on a path inside a tracked card, then click a rect that is itself the tracked item.
    await moveTo(page, '#svg-path')
    await rest(page, 300)
    await moveTo(page, '#bar')
    await rest(page, 200)
    await page.mouse.down()
    await page.mouse.up()

    // Shadow DOM: pointer and clicks on the buttons inside open and closed roots.
    for (const host of ['#card-open', '#card-closed', '#plain-open']) {
      const box = (await page.locator(host).boundingBox())!
      await page.mouse.move(box.x + 30, box.y + 20, { steps: 4 })
      await rest(page, 300)
      await page.mouse.click(box.x + 30, box.y + 20)
      await page.mouse.move(box.x + box.width - 10, box.y + box.height - 10, { steps: 3 })
      await rest(page, 150)
    }

    // The same-origin iframe: into it, rest, click inside, out again.
    await moveTo(page, '#frame')
    await rest(page, 300)
    await page.mouse.down()
    await page.mouse.up()
    // Removed, and replaced, while the pointer rests on them.
    await moveTo(page, '#swap')
    await rest(page, 600)
    await page.mouse.move(5, 5, { steps: 2 })
    await moveTo(page, '#vanish')
    await rest(page, 600)
    await page.mouse.move(5, 5, { steps: 2 })

    // The grid: fast sweeps across many items (passing by, no hover counted), then three stops.
    const grid = (await page.locator('#grid').boundingBox())!
    for (let row = 0; row < 5; row++) {
      const y = grid.y + 7 + row * 14 * 3
      await page.mouse.move(grid.x + 2, y)
      await page.mouse.move(grid.x + grid.width - 2, y, { steps: 25 })
    }
    await page.mouse.move(grid.x + 2, grid.y + 2)
    await page.mouse.move(grid.x + grid.width - 2, Math.min(grid.y + grid.height, 790), { steps: 40 })
    const stops = order.slice(0, 50).filter((_, i) => i % 20 === 5) as string[]
    for (const id of stops) {
      await moveTo(page, `[data-tacit-item="${id}"]`, 2)
      await rest(page, 200)
    }
    await page.mouse.move(5, 5, { steps: 2 })
    await rest(page, 100)
    await hidePage(page)

    const sig = await signals(page)
    const got = await items(page)
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    const tacitErrors: string[] = await page.evaluate(() => (window as any).__tacitErrors)

    // Nothing went wrong, anywhere: no page error, no console error or warning, no fault reported.
    expect(problems).toEqual([])
    expect(tacitErrors).toEqual([])

    // The normal elements produced their signals and records.
    expect(sig.filter((s) => s.type === 'hesitation')).toEqual([expect.objectContaining({ target: 'button#help', outcome: 'abandoned' })])
    expect(got.get('svg-card')).toMatchObject({ hovers: 1, clicks: 0 })
    expect(got.get('svg-card')!.hoverMs).toBeGreaterThanOrEqual(300)
    expect(got.get('svg-chart')).toMatchObject({ hovers: 1, clicks: 1 })

    // Shadow DOM counts through the host, open and closed alike; marks inside roots are not read.
    for (const host of ['card-open', 'card-closed']) expect(got.get(host), host).toMatchObject({ hovers: 1, clicks: 1 })
    for (const inner of ['inner-open', 'inner-closed', 'inner-plain']) expect(got.has(inner), inner).toBe(false)
    // The iframe element is an element of this page; what happens inside the frame is the frame's.
    expect(got.get('frame')).toMatchObject({ hovers: 1, clicks: 0 })
    expect(got.has('in-frame')).toBe(false)
    // Removed and replaced under the pointer: each hover ended once, the replacement has its own.
    for (const id of ['vanish', 'swap-1', 'swap-2']) expect(got.get(id)?.hovers, id).toBe(1)

    // 3,000 items: the stops are hovers (how many items the fast sweeps count depends on the
    // machine's speed: not asserted).
    for (const id of stops) expect(got.get(id)?.hovers, id).toBeGreaterThanOrEqual(1)
    const hovered = [...got.values()].filter((i) => i.id.startsWith('sku-') && i.hovers > 0)
    // Dwell for what was in view while the person was active, hosts and SVG included; one record
    // per item however many signals, and the ring of recent signals stays at its size.
    const dwelt = new Set(sig.filter((s) => s.type === 'dwell').map((s) => s.item))
    for (const id of ['svg-card', 'svg-chart', 'card-open', 'card-closed', 'frame', order[0]!]) expect(dwelt.has(id), id).toBe(true)
    expect(got.size).toBe(new Set([...dwelt, ...hovered.map((i) => i.id), 'vanish', 'swap-1', 'swap-2']).size)
    expect(profile.signals.length).toBeLessThanOrEqual(500)

    await page.context().close()
  })
})
