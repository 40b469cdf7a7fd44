import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newContext, readDatabase, recordRequests, screenshot, serve, type Served, ready, center } from './chromium'

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

describe('a whole session in Chromium with the script tag', () => {
  it('captures, persists across a reload in real IndexedDB, and makes no request of its own', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const requests = recordRequests(page)
    await page.goto(`${server.url}/test/signals.html?utm_source=qqxnewsletter#frag-zz`)
    await ready(page)
    expect(await page.evaluate(() => (window as any).tacit.storage)).toBe('indexeddb')

    // Move about, then rest on the Help button for 1.5 s without clicking.
    for (let i = 0; i < 10; i++) await page.mouse.move(300 + i * 20, 300 + i * 5)
    const premium = await center(page, '[data-tacit-item="sku-premium-1"]')
    await page.mouse.move(premium.x, premium.y, { steps: 4 })
    await page.waitForTimeout(400)
    const help = await center(page, '#help')
    await page.mouse.move(help.x, help.y, { steps: 4 })
    await page.waitForTimeout(1500)
    // A burst of three clicks on a button that does nothing.
    const nothing = await center(page, '#nothing')
    for (let i = 0; i < 3; i++) await page.mouse.click(nothing.x, nothing.y, { delay: 15 })
    // Type into a field (a secret), then scroll to the bottom.
    await page.click('#email')
    await page.keyboard.type('zebra-secret-7731@example.com')
    await page.mouse.move(600, 400)
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 400)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'scroll-depth' && s.percent === 100))
    await screenshot(page, 'session-before-leaving')

    // Leave the page (pagehide flushes), then come back to a fresh page load.
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    const types = profile.signals.map((s: any) => s.type)
    expect(types).toEqual(expect.arrayContaining(['hesitation', 'rage-click', 'scroll-depth', 'form-abandon', 'dwell', 'engaged-time']))
    expect(profile.signals.find((s: any) => s.type === 'hesitation')).toMatchObject({ target: 'button#help', outcome: 'abandoned' })
    expect(profile.signals.find((s: any) => s.type === 'form-abandon')).toMatchObject({ field: 'email' })
    const item = profile.items.find((i: any) => i.id === 'sku-premium-1')
    expect(item).toMatchObject({ tags: ['premium', 'luggage'] })
    expect(item.hovers).toBeGreaterThanOrEqual(1)
    expect(item.dwellMs).toBeGreaterThan(0)
    expect(profile.tags.find((t: any) => t.tag === 'premium').hoverMs).toBeGreaterThan(0)
    expect(profile.visitor.visits).toBe(1)
    expect(profile.session.pages).toBe(2)
    expect(profile.session.maxScroll).toBe(100)

    // The raw database holds the same, and nothing typed or in the URL.
    const raw = JSON.stringify(await readDatabase(page))
    expect(raw).toContain('sku-premium-1')
    for (const secret of ['zebra-secret', '7731', 'utm_source', 'qqxnewsletter', 'frag-zz']) expect(raw).not.toContain(secret)

    // Nothing but the page's own files was requested.
    const paths = requests.map((r) => new URL(r.url()).pathname)
    expect(new Set(paths)).toEqual(new Set(['/test/signals.html', '/test/queue.js', '/tacit.min.js']))
    expect(requests.every((r) => r.url().startsWith(server.url))).toBe(true)
    await context.close()
  })

  it('erase() deletes the database and the start-up copy: indexedDB.databases() no longer lists it, localStorage is empty, and memory is empty', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    await page.evaluate(() => (window as any).tacit.track('signup', 1))
    // A reload: the page hides (writing the start-up copy) and the next one starts from it.
    await page.reload()
    await ready(page)
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['tacit:tacit:startup'])
    const before = await page.evaluate(() => (window as any).tacit.profile())
    expect(before.outcomes).toEqual([expect.objectContaining({ goal: 'signup', count: 1 })])
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('tacit')
    await page.evaluate(() => (window as any).tacit.erase())
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('tacit')
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([])
    const after = await page.evaluate(() => (window as any).tacit.profile())
    expect(after.outcomes).toEqual([])
    expect(after.items).toEqual([])
    expect(after.signals).toEqual([])
    await context.close()
  })

  it('consent pending keeps everything in memory: no database after a session and a reload', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.route('**/test/signals.html', async (route) => {
      const res = await route.fetch()
      const body = (await res.text()).replace('data-consent="granted"', 'data-consent="pending"')
      await route.fulfill({ response: res, body })
    })
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    const p = await center(page, '#nothing')
    for (let i = 0; i < 3; i++) await page.mouse.click(p.x, p.y, { delay: 15 })
    await page.evaluate(() => (window as any).tacit.track('signup'))
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    expect(profile.storage).toBe('memory')
    expect(profile.signals.some((s: any) => s.type === 'rage-click')).toBe(true)
    await page.reload()
    await ready(page)
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('tacit')
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([])
    expect((await page.evaluate(() => (window as any).tacit.profile())).outcomes).toEqual([])
    await context.close()
  })
})
