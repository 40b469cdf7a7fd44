import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, screenshot, serve, showPage, type Served, center } from '../../packages/browser/test/chromium'

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

/** The lines of the page's "Signals" list, newest first, as a person reads them. */
const signalLines = (page: Page): Promise<string[]> => page.locator('#signals li').allInnerTexts()
/** The "Stored profile" panel as a map of heading to text. */
const panel = async (page: Page): Promise<Record<string, string>> =>
  page.evaluate(() => {
    const out: Record<string, string> = {}
    for (const dt of Array.from(document.querySelectorAll('#profile dt'))) {
      out[dt.textContent || ''] = (dt.nextElementSibling as HTMLElement | null)?.innerText ?? ''
    }
    return out
  })
const databases = (page: Page): Promise<(string | undefined)[]> =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))

describe('examples/basic in Chromium', () => {
  it('shows live what Tacit notices and stores, and "Erase everything" leaves nothing behind', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const pageErrors: string[] = []
    const consoleErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
    await page.goto(`${server.url}/examples/basic/`)
    await page.waitForFunction(() => !Array.isArray((window as any).tacit))
    await expect.poll(() => page.locator('#storage').innerText()).toBe('(indexeddb, consent granted)')
    // Rest on a product long enough to hesitate, then move on.
    const suitcase = await center(page, '[data-tacit-item="sku-suitcase"] h3')
    await page.mouse.move(suitcase.x, suitcase.y, { steps: 4 })
    await page.waitForTimeout(1200)
    await page.mouse.move(5, 5, { steps: 3 })
    await expect.poll(() => signalLines(page)).toContainEqual(expect.stringMatching(/^hesitation sku-suitcase .*outcome=abandoned/))

    // Three quick clicks on the button that does nothing.
    const broken = await center(page, '#broken')
    for (let i = 0; i < 3; i++) await page.mouse.click(broken.x, broken.y, { delay: 15 })
    await expect.poll(() => signalLines(page)).toContainEqual(expect.stringMatching(/^rage-click button#broken .*clicks=3/))

    // Type an address, then switch tabs: the form counts as abandoned, by field name only.
    await page.click('#email')
    await page.keyboard.type('walrus-4417@example.com')
    await hidePage(page)
    await showPage(page)
    await expect.poll(() => signalLines(page)).toContainEqual(expect.stringMatching(/^form-abandon form#details .*field=email/))
    expect((await signalLines(page)).join('\n')).not.toContain('walrus')

    // The stored profile panel shows the product hovered, with its tags.
    await expect.poll(async () => (await panel(page)).Items).toMatch(/^sku-suitcase: dwell \d+ ms, hover 1×, clicks 0, hesitations 1$/m)
    const shown = await panel(page)
    expect(shown.Tags).toMatch(/^luggage: /m)
    expect(shown.Tags).toMatch(/^premium: /m)
    expect(Number(shown['Recent signals stored'])).toBeGreaterThanOrEqual(3)
    expect(await databases(page)).toContain('tacit')
    await screenshot(page, 'example-basic')

    // The button sits low in the panel: the click scrolls it into view first, as a person would.
    await page.locator('#erase').click()
    await expect.poll(() => panel(page)).toMatchObject({ Items: '—', Tags: '—', Goals: '—', 'Recent signals stored': '0' })
    expect(await signalLines(page)).toEqual([])
    expect(await databases(page)).not.toContain('tacit')
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    expect(profile).toMatchObject({ items: [], tags: [], outcomes: [], signals: [] })
    // Reading the profile after erasing does not bring the database back.
    expect(await databases(page)).not.toContain('tacit')
    expect(pageErrors).toEqual([])
    expect(consoleErrors).toEqual([])
    await context.close()
  })
})
