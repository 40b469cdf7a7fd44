import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, serve, type Served, ready, center } from './chromium'

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

type Sig = { type: string; target: string }
type Outcome = { goal: string; count: number; valueSum: number }

/** A fresh page that records console errors and uncaught page errors. */
const open = async () => {
  const context = await newContext(browser)
  const page = await context.newPage()
  const consoleErrors: string[] = []
  const pageErrors: string[] = []
  page.on('console', (m: ConsoleMessage) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return { page, consoleErrors, pageErrors }
}
const url = (page: string): string => `${server.url}/test/${page}`
const rageClick = async (page: Page, selector: string): Promise<void> => {
  const p = await center(page, selector)
  for (let i = 0; i < 3; i++) await page.mouse.click(p.x, p.y, { delay: 15 })
}
const profile = (page: Page) => page.evaluate(() => (window as any).tacit.profile())
const signals = (page: Page): Promise<Sig[]> => page.evaluate(() => (window as any).__signals)
const databases = (page: Page): Promise<(string | undefined)[]> =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))
const outcomes = async (page: Page): Promise<Record<string, Pick<Outcome, 'count' | 'valueSum'>>> =>
  Object.fromEntries(((await profile(page)).outcomes as Outcome[]).map((o) => [o.goal, { count: o.count, valueSum: o.valueSum }]))

/** Event listeners on document and window, by type, as DevTools sees them. */
const listenerCounts = async (page: Page): Promise<Record<string, number>> => {
  const cdp = await page.context().newCDPSession(page)
  const out: Record<string, number> = {}
  for (const target of ['document', 'window']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: target })
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! })
    for (const l of listeners) out[`${target} ${l.type}`] = (out[`${target} ${l.type}`] ?? 0) + 1
  }
  await cdp.detach()
  return out
}

describe('the script tag in Chromium (built tacit.min.js)', () => {
  it('replays calls queued before the async script loaded, in order; push keeps working after', async () => {
    const { page, consoleErrors, pageErrors } = await open()
    // Hold the script back, to queue more calls while it is provably not loaded.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/tacit.min.js', async (route) => {
      await held
      await route.continue()
    })
    await page.goto(url('script-shop.html'), { waitUntil: 'domcontentloaded' })
    expect(await page.evaluate(() => Array.isArray((window as any).tacit) && (window as any).tacit.length)).toBe(4)
    await page.evaluate(() => {
      const w = window as any
      w.tacit.push(['track', 'newsletter'])
      w.tacit.push(['on', 'rage-click', () => w.__rage.push('queued while loading')])
    })
    release()
    await ready(page)

    expect(await page.evaluate(() => [(window as any).tacit.version, typeof (window as any).tacit.push])).toEqual(['0.1.0', 'function'])
    // The bad entry was reported once, naming the method, and did not stop the calls after it.
    await expect.poll(() => consoleErrors).toEqual(['[tacit] tacit.push(): "nope" is not a Tacit method'])

    await page.evaluate(() => {
      const w = window as any
      w.tacit.push(['on', 'rage-click', () => w.__rage.push('pushed after load')])
      w.tacit.push(['track', 'after-load', 2])
    })
    await rageClick(page, '#nothing')
    await expect.poll(() => page.evaluate(() => (window as any).__rage)).toEqual([
      'queued in the page',
      'queued while loading',
      'pushed after load',
    ])
    expect((await signals(page)).filter((s) => s.type === 'rage-click')).toEqual([
      expect.objectContaining({ target: 'button#nothing', clicks: 3 }),
    ])
    expect(await outcomes(page)).toEqual({
      signup: { count: 1, valueSum: 5 },
      newsletter: { count: 1, valueSum: 0 },
      'after-load': { count: 1, valueSum: 2 },
    })
    expect(consoleErrors).toHaveLength(1)
    expect(pageErrors).toEqual([])
    await page.context().close()
  })

  it('a bad data-* option: one console error naming the field, nothing thrown, the queue left in place', async () => {
    const { page, consoleErrors, pageErrors } = await open()
    await page.goto(url('script-bad-option.html')) // the load event waits for the async script
    await expect.poll(() => consoleErrors.length).toBe(1)
    expect(consoleErrors[0]).toContain('hesitationMs')
    expect(consoleErrors[0]).toBe('[tacit] hesitationMs must be a positive number, got "fast"')

    // Tacit did not start: the page keeps its queue, and input reaches no listener of Tacit's.
    await rageClick(page, '#nothing')
    const buy = await center(page, '#buy')
    await page.mouse.click(buy.x, buy.y)
    await page.waitForTimeout(200)
    expect(await page.evaluate(() => Array.isArray((window as any).tacit))).toBe(true)
    expect(await page.evaluate(() => (window as any).tacit)).toEqual([['track', 'signup']])
    expect(await databases(page)).not.toContain('tacit')
    expect(consoleErrors).toHaveLength(1)
    expect(pageErrors).toEqual([])
    await page.context().close()
  })

  it('loading the script twice makes one instance: one set of listeners, one signal per burst, one goal per click', async () => {
    // The same page with the second tag taken out, for comparison.
    const single = await open()
    await single.page.route('**/test/script-twice.html', async (route) => {
      const res = await route.fetch()
      const body = (await res.text()).replace(/(<script src="\/tacit\.min\.js"[^>]*><\/script>)\s*\1/, '$1')
      expect(body.match(/tacit\.min\.js/g)).toHaveLength(1)
      await route.fulfill({ response: res, body })
    })
    await single.page.goto(url('script-twice.html'))
    await ready(single.page)
    const expected = await listenerCounts(single.page)
    expect(expected['document click']).toBeGreaterThan(0)
    await single.page.context().close()

    const { page, consoleErrors, pageErrors } = await open()
    await page.goto(url('script-twice.html'))
    await ready(page)
    // And a third copy, injected after the first has started.
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const s = document.createElement('script')
          s.src = '/tacit.min.js?copy=3'
          s.dataset.consent = 'granted'
          s.onload = resolve
          s.onerror = reject
          document.head.append(s)
        }),
    )
    expect(await listenerCounts(page)).toEqual(expected)

    await rageClick(page, '#nothing')
    const buy = await center(page, '#buy')
    await page.mouse.click(buy.x, buy.y)
    await expect.poll(async () => (await signals(page)).filter((s) => s.type === 'rage-click').length).toBe(1)
    expect((await outcomes(page)).purchase).toEqual({ count: 1, valueSum: 0 })

    // What every instance wrote, after leaving and coming back.
    await hidePage(page)
    await page.reload()
    await ready(page)
    const stored = await profile(page)
    expect(stored.signals.filter((s: Sig) => s.type === 'rage-click')).toHaveLength(1)
    expect(stored.outcomes).toEqual([expect.objectContaining({ goal: 'purchase', count: 1 })])
    expect(consoleErrors).toEqual([])
    expect(pageErrors).toEqual([])
    await page.context().close()
  })

  it('data-tacit-goal and data-tacit-step with trusted clicks land in the stored profile', async () => {
    const { page, pageErrors } = await open()
    await page.goto(url('script-shop.html'))
    await ready(page)
    // <main data-tacit-step="checkout:cart"> is not clickable: showing the page recorded it.
    expect((await profile(page)).funnels).toEqual([expect.objectContaining({ funnel: 'checkout', furthest: 0 })])

    const nothing = await center(page, '#nothing') // not a goal: counts for nothing
    await page.mouse.click(nothing.x, nothing.y)
    const label = await center(page, '#buy-label') // a click inside the goal element
    await page.mouse.click(label.x, label.y)
    const details = await center(page, '#details')
    await page.mouse.click(details.x, details.y)

    const p = await profile(page)
    expect(p.storage).toBe('indexeddb')
    expect(p.outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ goal: 'purchase', count: 1, valueSum: 49 }),
        expect.objectContaining({ goal: 'signup', count: 1, valueSum: 5 }),
      ]),
    )
    expect(p.outcomes).toHaveLength(2)
    expect(p.funnels).toEqual([expect.objectContaining({ funnel: 'checkout', furthest: 1 })])
    expect(pageErrors).toEqual([])
    await page.context().close()
  })

  it('data-consent="denied": a whole session of trusted input produces no signal, no profile and no database', async () => {
    const { page, consoleErrors, pageErrors } = await open()
    await page.goto(url('script-denied.html'))
    await ready(page)
    expect(await page.evaluate(() => [(window as any).tacit.consent, (window as any).tacit.storage])).toEqual(['denied', 'memory'])

    const item = await center(page, '[data-tacit-item="sku-1"]')
    await page.mouse.move(item.x, item.y, { steps: 4 })
    await page.waitForTimeout(300)
    const help = await center(page, '#help')
    await page.mouse.move(help.x, help.y, { steps: 4 })
    await page.waitForTimeout(1200) // longer than hesitationMs
    await page.mouse.move(5, 700, { steps: 3 })
    await rageClick(page, '#nothing')
    const buy = await center(page, '#buy')
    await page.mouse.click(buy.x, buy.y)
    await page.click('#email')
    await page.keyboard.type('someone@example.com')
    await page.mouse.move(600, 400)
    await page.mouse.wheel(0, 400)
    await page.waitForTimeout(300)
    await hidePage(page)

    expect(await signals(page)).toEqual([])
    const p = await profile(page)
    expect(p).toMatchObject({
      consent: 'denied',
      storage: 'memory',
      visitor: null,
      session: null,
      items: [],
      tags: [],
      sessions: [],
      funnels: [],
      outcomes: [],
      signals: [],
    })
    expect(await databases(page)).not.toContain('tacit')
    await page.reload()
    await ready(page)
    expect(await databases(page)).not.toContain('tacit')
    expect(consoleErrors).toEqual([])
    expect(pageErrors).toEqual([])
    await page.context().close()
  })
})
