import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newContext, serve, type Served, ready, center } from './chromium'

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

const rageClick = async (page: Page) => {
  const p = await center(page, '#nothing')
  for (let i = 0; i < 3; i++) await page.mouse.click(p.x, p.y, { delay: 15 })
}
const databases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))
const profile = (page: Page) => page.evaluate(() => (window as any).tacit.profile())
const emptyProfile = { signals: [], items: [], tags: [], outcomes: [], funnels: [] }

/** Serves signals.html with its tacit.min.js tag rewritten: another consent, or no tag at all. */
const rewrite = async (page: Page, consent: 'pending' | 'denied' | 'none') => {
  await page.route('**/test/signals.html', async (route) => {
    const res = await route.fetch()
    const html = await res.text()
    const body =
      consent === 'none'
        ? html.replace(/<script src="\/tacit\.min\.js"[^>]*><\/script>/, '')
        : html.replace('data-consent="granted"', `data-consent="${consent}"`)
    if (body === html) throw new Error(`signals.html was not rewritten for ${consent}`)
    await route.fulfill({ response: res, body })
  })
}

interface Listener {
  type: string
  scriptId: string
}

/** Every event listener on document and window, with the URL of the script that attached it (CDP). */
const listenersOf = async (consent: 'pending' | 'denied' | 'none') => {
  const context = await newContext(browser)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  const scripts = new Map<string, string>()
  cdp.on('Debugger.scriptParsed', (e) => scripts.set(e.scriptId, e.url))
  await cdp.send('Debugger.enable')
  await rewrite(page, consent)
  await page.goto(`${server.url}/test/signals.html`)
  if (consent === 'none') await page.waitForLoadState('load')
  else await ready(page)
  // Let anything deferred to idle time or a timer attach itself too.
  await page.waitForTimeout(300)
  const all: { target: string; type: string; url: string }[] = []
  for (const target of ['document', 'window']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: target })
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! })
    for (const l of listeners as Listener[]) all.push({ target, type: l.type, url: scripts.get(l.scriptId) ?? `script ${l.scriptId}` })
  }
  await context.close()
  return all
}
const fromTacit = (listeners: { url: string }[]) => listeners.filter((l) => l.url.includes('tacit.min.js'))

describe('consent and control in Chromium (built tacit.min.js)', () => {
  it('granted → denied erases the database and memory, and later trusted input makes no signal', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    await rageClick(page)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'rage-click'))
    await page.evaluate(() => (window as any).tacit.track('signup'))
    const before = await profile(page)
    expect(before.consent).toBe('granted')
    expect(before.storage).toBe('indexeddb')
    expect(before.signals.map((s: any) => s.type)).toContain('rage-click')
    await expect.poll(() => databases(page)).toContain('tacit')

    await page.evaluate(() => (window as any).tacit.setConsent('denied'))
    await expect.poll(() => databases(page)).not.toContain('tacit')
    const after = await profile(page)
    expect(after.consent).toBe('denied')
    expect(after).toMatchObject(emptyProfile)

    const seen = await page.evaluate(() => (window as any).__signals.length)
    await rageClick(page)
    await page.waitForTimeout(800)
    expect(await page.evaluate(() => (window as any).__signals.length)).toBe(seen)
    expect(await profile(page)).toMatchObject(emptyProfile)
    expect(await databases(page)).not.toContain('tacit')
    await context.close()
  })

  it('denied attaches no listener to document or window: the same as a page without the script', async () => {
    const pending = await listenersOf('pending')
    const denied = await listenersOf('denied')
    const none = await listenersOf('none')
    // The counting can see Tacit: at pending it listens on document and window from tacit.min.js.
    expect(fromTacit(pending).length).toBeGreaterThan(0)
    expect(pending.length).toBeGreaterThan(denied.length)
    expect(fromTacit(denied)).toEqual([])
    // Listeners added by the page's own scripts (Playwright injects some of its own): the same
    // with consent denied as without Tacit on the page.
    const ofPage = (ls: { target: string; type: string; url: string }[]) =>
      ls.filter((l) => l.url.startsWith(server.url)).map((l) => `${l.target}:${l.type}:${l.url}`).sort()
    expect(ofPage(denied)).toEqual(ofPage(none))
  })

  it('Global Privacy Control caps granted at pending: memory only, no database after a session and a reload', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }))
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    expect(await page.evaluate(() => (navigator as any).globalPrivacyControl)).toBe(true)
    expect(await page.evaluate(() => (window as any).tacit.consent)).toBe('pending')
    expect(await page.evaluate(() => (window as any).tacit.storage)).toBe('memory')
    await rageClick(page)
    await page.evaluate(() => (window as any).tacit.track('signup'))
    expect((await profile(page)).signals.map((s: any) => s.type)).toContain('rage-click')
    await page.reload()
    await ready(page)
    expect(await page.evaluate(() => (window as any).tacit.consent)).toBe('pending')
    expect(await databases(page)).not.toContain('tacit')
    expect((await profile(page)).outcomes).toEqual([])
    await context.close()
  })

  it('erase() in one tab clears the other open tab of the site', async () => {
    const context = await newContext(browser)
    const a = await context.newPage()
    const b = await context.newPage()
    await a.goto(`${server.url}/test/signals.html`)
    await b.goto(`${server.url}/test/signals.html`)
    await ready(a)
    await ready(b)
    await b.bringToFront()
    await rageClick(b)
    await b.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'rage-click'))
    await b.evaluate(() => (window as any).tacit.track('signup'))
    const before = await profile(b)
    expect(before.signals.map((s: any) => s.type)).toContain('rage-click')
    expect(before.outcomes).toEqual([expect.objectContaining({ goal: 'signup' })])
    await expect.poll(() => databases(b)).toContain('tacit')

    await a.evaluate(() => (window as any).tacit.erase())
    await expect.poll(async () => (await profile(b)).signals).toEqual([])
    expect(await profile(b)).toMatchObject(emptyProfile)
    await expect.poll(() => databases(b)).not.toContain('tacit')
    expect(await databases(a)).not.toContain('tacit')
    await context.close()
  })
})
