import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
// @ts-expect-error plain ESM script without types
import { startServer } from '../../../scripts/serve.mjs'
// @ts-expect-error plain ESM script without types
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/lib/chromium.mjs'
import { center, launch, newContext, readDatabase, ready, serve, type Served } from './chromium'

// session.browser.test.ts covers leaving by navigation in the same tab; this file covers closing
// the tab, and the back/forward cache.

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

const SHOP = '/test/lifecycle-shop.html'
const AWAY = '/test/lifecycle-away.html'
const profileOf = (page: Page) => page.evaluate(() => (window as any).tacit.profile())
const itemOf = (profile: any, id: string) => profile.items.find((i: any) => i.id === id)
const outcomeOf = (profile: any, goal: string) => profile.outcomes.find((o: any) => o.goal === goal)
const countOf = (signals: { type: string }[], type: string) => signals.filter((s) => s.type === type).length

/** Pointer from bare page onto an element, a rest, clicks, and back to bare page. */
const visit = async (page: Page, selector: string, clicks: number) => {
  await page.mouse.move(1000, 700)
  const p = await center(page, selector)
  await page.mouse.move(p.x, p.y)
  await page.waitForTimeout(200)
  for (let i = 0; i < clicks; i++) await page.mouse.click(p.x, p.y, { delay: 10 })
  await page.mouse.move(1000, 700)
}
const rageClick = async (page: Page) => {
  const p = await center(page, '#nothing')
  for (let i = 0; i < 3; i++) await page.mouse.click(p.x, p.y, { delay: 15 })
}

describe('closing a tab mid-session (built tacit.min.js)', () => {
  it('what was captured up to pagehide is in the database and in the profile of the next page', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}${SHOP}`)
    await ready(page)
    // Activity, then the tab closes at once: with a 10-minute flush interval, only the
    // page-hide path can have stored it.
    await visit(page, '[data-tacit-item="sku-1"]', 2)
    await rageClick(page)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'rage-click'))
    await visit(page, '#buy', 1)
    await page.evaluate(() => (window as any).tacit.track('signup'))
    // Resting on sku-2 as the tab closes: that hover ends with the page.
    const bag = await center(page, '[data-tacit-item="sku-2"]')
    await page.mouse.move(bag.x, bag.y)
    await page.waitForTimeout(200)
    const closed = page.waitForEvent('close')
    await page.close({ runBeforeUnload: true })
    await closed

    // Read before any Tacit starts again (the away page has no Tacit, so nothing folds the journal).
    const reader = await context.newPage()
    await reader.goto(`${server.url}${AWAY}`)
    const db = (await readDatabase(reader)) as Record<string, any[]>
    const journalled = JSON.stringify(db.journal)
    for (const stored of ['"sku-1"', '"sku-2"', '"rage-click"', '"signup"', '"purchase"']) expect(journalled).toContain(stored)
    // The start-up copy (localStorage) was written as the tab closed too, at once (no callback
    // runs after pagehide): the next start-up decides from it before IndexedDB is open.
    const copy = JSON.parse((await reader.evaluate(() => localStorage.getItem('tacit:tacit:startup'))) ?? 'null')
    expect(copy).not.toBeNull()
    expect(copy.records.items.find((i: any) => i.id === 'sku-2')).toMatchObject({ hovers: 1 })
    expect(copy.records.outcomes.map((o: any) => o.goal).sort()).toEqual(['purchase', 'signup'])
    expect(db.journal.length).toBeGreaterThan(0)

    // A new tab of the site: its profile has everything.
    const again = await context.newPage()
    await again.goto(`${server.url}${SHOP}`)
    await ready(again)
    const profile = await profileOf(again)
    expect(itemOf(profile, 'sku-1')).toMatchObject({ clicks: 2, hovers: 1, tags: ['luggage', 'premium'] })
    expect(itemOf(profile, 'sku-2')).toMatchObject({ clicks: 0, hovers: 1 })
    expect(itemOf(profile, 'sku-2').hoverMs).toBeGreaterThanOrEqual(150)
    expect(outcomeOf(profile, 'signup')).toMatchObject({ count: 1 })
    expect(outcomeOf(profile, 'purchase')).toMatchObject({ count: 1, valueSum: 49 })
    expect(countOf(profile.signals, 'rage-click')).toBe(1)
    expect(profile.signals.map((s: any) => s.type)).toEqual(expect.arrayContaining(['dwell', 'engaged-time']))
    expect(profile.session.pages).toBe(2)
    expect(profile.visitor.lastPage).toMatchObject({ path: SHOP, interacted: true })
    await context.close()
  })
})

describe('back/forward cache (built tacit.min.js)', () => {
  let bfBrowser: Browser
  let bfServer: Served

  beforeAll(async () => {
    // The test server sends `cache-control: no-store`, which keeps a page out of the
    // back/forward cache; Playwright launches Chromium with --disable-back-forward-cache.
    bfServer = await startServer({
      mounts: { '/test/': fileURLToPath(new URL('./pages/', import.meta.url)) },
      headers: { 'cache-control': 'no-cache' },
    })
    bfBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    })
  })
  afterAll(async () => {
    await bfBrowser?.close()
    await bfServer?.close()
  })

  interface Listener {
    type: string
    scriptId: string
    useCapture: boolean
  }

  /** Listeners that tacit.min.js attached to document and window, as "target:type:capture" (CDP). */
  const tacitListeners = async (cdp: CDPSession, scripts: Map<string, string>): Promise<string[]> => {
    const out: string[] = []
    for (const target of ['document', 'window']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: target })
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! })
      for (const l of listeners as Listener[])
        if (scripts.get(l.scriptId)?.endsWith('/tacit.min.js')) out.push(`${target}:${l.type}:${l.useCapture}`)
    }
    return out.sort()
  }

  it('a page restored with pageshow.persisted keeps capturing and storing, without a second set of listeners', async () => {
    const context: BrowserContext = await bfBrowser.newContext({ viewport: { width: 1200, height: 800 } })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    const scripts = new Map<string, string>()
    cdp.on('Debugger.scriptParsed', (e) => scripts.set(e.scriptId, e.url))
    const notCached: string[] = []
    cdp.on('Page.backForwardCacheNotUsed', (e) => notCached.push(...e.notRestoredExplanations.map((x) => x.reason)))
    await cdp.send('Debugger.enable')
    await cdp.send('Page.enable')

    await page.goto(`${bfServer.url}${SHOP}`)
    await ready(page)
    await page.waitForTimeout(300) // anything attached in idle time or after a timer
    const listenersBefore = await tacitListeners(cdp, scripts)
    expect(listenersBefore.length).toBeGreaterThan(0)
    await visit(page, '[data-tacit-item="sku-1"]', 1)
    const before = await profileOf(page)
    expect(itemOf(before, 'sku-1')).toMatchObject({ clicks: 1, hovers: 1 })

    // Away by a link, and back.
    await page.click('#away')
    await page.waitForURL(`**${AWAY}`)
    await page.goBack({ waitUntil: 'commit' })
    await page.waitForFunction(() => (window as any).__lifecycle?.includes('pageshow:true'))
    expect(await page.evaluate(() => (window as any).__lifecycle), `not restored from the cache: ${notCached.join(', ')}`).toEqual([
      'pageshow:false',
      'pagehide:true',
      'pageshow:true',
    ])
    expect(notCached).toEqual([])

    // Same listeners as before leaving: none added on restore, none lost.
    expect(await tacitListeners(cdp, scripts)).toEqual(listenersBefore)

    // One visit with one click: exactly one more click and one more hover; one burst: exactly one rage-click.
    const seen = await page.evaluate(() => (window as any).__signals.length)
    await visit(page, '[data-tacit-item="sku-1"]', 1)
    await rageClick(page)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'rage-click'))
    await page.waitForTimeout(300) // room for a second, duplicate signal to show up
    const newSignals = await page.evaluate((n) => (window as any).__signals.slice(n), seen)
    expect(countOf(newSignals, 'rage-click')).toBe(1)
    const after = await profileOf(page)
    expect(after.storage).toBe('indexeddb')
    expect(itemOf(after, 'sku-1')).toMatchObject({ clicks: 2, hovers: 2 })
    expect(countOf(after.signals, 'rage-click')).toBe(countOf(before.signals, 'rage-click') + 1)

    // And what the restored page captured is stored: a new tab sees it.
    const other = await context.newPage()
    await other.goto(`${bfServer.url}${SHOP}`)
    await ready(other)
    expect(itemOf(await profileOf(other), 'sku-1')).toMatchObject({ clicks: 2, hovers: 2 })
    await context.close()
  })
})
