import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, screenshot, serve, type Served, center } from './chromium'

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

const URL_PATH = '/test/declarative-shop.html'
type Shift = { value: number; hadRecentInput: boolean; sources: (string | null)[] }
type Mark = { id: string; hidden: boolean; t: number }

/** A page that records console errors and uncaught errors. */
const open = async (context?: Awaited<ReturnType<typeof newContext>>) => {
  const ctx = context ?? (await newContext(browser))
  const page = await ctx.newPage()
  const errors: string[] = []
  page.on('console', (m: ConsoleMessage) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  return { context: ctx, page, errors }
}
const load = async (page: Page): Promise<void> => {
  await page.goto(`${server.url}${URL_PATH}`)
  await page.waitForFunction(() => (window as any).tacit && !Array.isArray((window as any).tacit))
  await page.evaluate(() => (window as any).tacit.ready)
  // Decided and shown (by ready, or by the deadline).
  await page.waitForSelector('#hero[data-tacit-ready]')
  await page.waitForSelector('#grid[data-tacit-ready]')
}
const order = (page: Page) => page.$$eval('#grid > li', (els) => els.map((el) => el.id))
const shifts = (page: Page): Promise<Shift[]> => page.evaluate(() => (window as any).__shifts)
const cls = async (page: Page): Promise<number> => (await shifts(page)).reduce((sum, s) => sum + s.value, 0)

/** For the slot and the grid: how long Tacit kept each hidden, and when it was shown, from DOMContentLoaded. */
const hiding = async (page: Page) => {
  const { marks, dcl } = await page.evaluate(() => ({ marks: (window as any).__visibility as Mark[], dcl: (window as any).__dcl as number }))
  const out: Record<string, { hides: number; hiddenMs: number; visibleAfterDclMs: number }> = {}
  for (const id of ['hero', 'grid']) {
    const own = marks.filter((m) => m.id === id)
    const hid = own.find((m) => m.hidden)!
    const shown = own.find((m) => !m.hidden && m.t >= hid.t)!
    out[id] = { hides: own.filter((m) => m.hidden).length, hiddenMs: shown.t - hid.t, visibleAfterDclMs: shown.t - dcl }
  }
  return out
}
/**
 * Delays the profile database's opening by `ms`, so that `ready` comes after the anti-flicker
 * deadline. Without a start-up copy (localStorage), which `ready` would not wait for: as on a
 * page after one that never hid, or with a copy too large to keep.
 */
const slowProfile = (page: Page, ms: number, keepCopy = false) =>
  page.addInitScript(([delay, keep]) => {
    if (!keep) localStorage.removeItem('tacit:tacit:startup')
    const add = EventTarget.prototype.addEventListener
    IDBOpenDBRequest.prototype.addEventListener = function (this: IDBOpenDBRequest, type: string, fn: any, opts?: any) {
      const late = type === 'success' && typeof fn === 'function' ? (e: Event) => setTimeout(() => (((window as any).__idbOpened = true), fn.call(this, e)), delay) : fn
      return add.call(this, type, late, opts)
    }
  }, [ms, keepCopy] as const)

const figures: string[] = []
afterAll(() => figures.length && console.log(`declarative figures:\n  ${figures.join('\n  ')}`))

describe('declarative adaptation in Chromium (built tacit.min.js)', () => {
  it('the hero slot renders a variant from its template, without layout shift, and a click on it rewards the decision', async () => {
    const { context, page, errors } = await open()
    await load(page)
    const variant = (await page.getAttribute('#hero', 'data-tacit-rendered'))!
    expect(['calm', 'bold']).toContain(variant)
    // The copy of the template's content, in the slot; the templates are still there.
    expect(await page.$$eval('#hero > :not(template)', (els) => els.map((el) => el.id))).toEqual([variant, `cta-${variant}`])
    expect(await page.$$eval('#hero > template', (els) => els.map((el) => el.getAttribute('data-tacit-variant')))).toEqual(['calm', 'bold'])
    expect(await page.isVisible(`#cta-${variant}`)).toBe(true)
    // The risk element (threshold 0) is shown once ready.
    await page.waitForSelector('#returns:not([hidden])')

    const cta = await center(page, `#cta-${variant}`)
    await page.mouse.click(cta.x, cta.y)
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    expect(profile.decisions).toEqual([expect.objectContaining({ slot: 'hero', variant, rewarded: true })])
    expect(await page.evaluate(() => (window as any).tacit.explain('hero'))).toMatch(/\w/)

    const timing = await hiding(page)
    figures.push(`first load: CLS ${await cls(page)}, hero hidden ${timing.hero.hiddenMs.toFixed(0)} ms (shown ${timing.hero.visibleAfterDclMs.toFixed(0)} ms after DOMContentLoaded), grid hidden ${timing.grid.hiddenMs.toFixed(0)} ms`)
    expect(await shifts(page)).toEqual([])
    expect(timing.hero.hides).toBe(1)
    expect(timing.grid.hides).toBe(1)
    // The deadline is a 300 ms timer: a long task on the main thread (evaluating the script
    // measured 50-115 ms) can make it fire late.
    // Never hidden much past the 300 ms deadline (loose: script evaluation can delay the timer).
    expect(timing.hero.hiddenMs).toBeLessThan(600)
    expect(timing.grid.hiddenMs).toBeLessThan(600)
    await screenshot(page, 'declarative-hero')
    expect(errors).toEqual([])
    await context.close()
  })

  it('help over #buy is revealed by a hesitation there (resting 1.2 s, then moving on), not by one elsewhere', async () => {
    const { context, page, errors } = await open()
    await load(page)
    expect(await page.isHidden('#help')).toBe(true)
    // A hesitation over another button: not the target.
    const other = await center(page, '#p1')
    await page.mouse.move(other.x, other.y, { steps: 4 })
    await page.waitForTimeout(1200)
    await page.mouse.move(5, 780, { steps: 4 })
    await expect.poll(() => page.evaluate(() => (window as any).tacit.profile().then((p: any) => p.signals.filter((s: any) => s.type === 'hesitation').length))).toBe(1)
    expect(await page.isHidden('#help')).toBe(true)

    const buy = await center(page, '#buy')
    await page.mouse.move(buy.x, buy.y, { steps: 4 })
    await page.waitForTimeout(1200)
    await page.mouse.move(5, 780, { steps: 4 })
    await page.waitForSelector('#help:not([hidden])', { timeout: 2000 })
    expect(await page.isVisible('#help')).toBe(true)
    await screenshot(page, 'declarative-help')
    // Laid over the page: revealing it moved nothing.
    expect(await shifts(page)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('attention to premium items ranks them first on the next page load (shown once, without shift); a slow profile shows the page order at 300 ms and keeps it, unless the start-up copy has it', async () => {
    const { context, page, errors } = await open()
    await load(page)
    expect(await order(page)).toEqual(['b1', 'p1', 'b2', 'p2', 'b3', 'p3'])
    await page.mouse.move(600, 780)
    // One move each way: a move in steps crosses basic cards on its path, and on a slow machine a
    // step can rest on one for over 100 ms, which is attention to it (seen once in CI: b3 ranked
    // above b1 and b2).
    for (const id of ['p1', 'p2', 'p3']) {
      const card = await center(page, `#${id}`)
      await page.mouse.move(card.x, card.y)
      await page.waitForTimeout(1100)
      await page.mouse.move(card.x, 780)
    }
    await hidePage(page) // leaving the page writes the profile
    await page.evaluate(() => (window as any).tacit.profile()) // which waits for the writes
    expect(errors).toEqual([])
    await page.close()

    // The next page load ranks the premium items first, if Tacit is ready within the 300 ms it
    // may keep the grid hidden. Ready takes 120-340 ms on a busy machine, so a load may miss it:
    // that load must show the page order, unshifted, and another load is tried (at most 5).
    let ranked: string[] | undefined
    const loads: string[] = []
    for (let i = 0; i < 5 && !ranked; i++) {
      const next = await open(context)
      await load(next.page)
      const shown = await order(next.page)
      const timing = await hiding(next.page)
      expect(await shifts(next.page)).toEqual([])
      expect(timing.grid.hides).toBe(1)
      loads.push(`grid hidden ${timing.grid.hiddenMs.toFixed(0)} ms (shown ${timing.grid.visibleAfterDclMs.toFixed(0)} ms after DOMContentLoaded)`)
      if (shown[0] === 'b1') {
        // Shown by the deadline, in the page's order; ready came later and changed nothing.
        expect(shown).toEqual(['b1', 'p1', 'b2', 'p2', 'b3', 'p3'])
        expect(timing.grid.hiddenMs).toBeGreaterThanOrEqual(250)
        expect(timing.grid.hiddenMs).toBeLessThan(600)
      } else {
        expect(new Set(shown.slice(0, 3))).toEqual(new Set(['p1', 'p2', 'p3']))
        expect(shown.slice(3)).toEqual(['b1', 'b2', 'b3'])
        expect(timing.grid.hiddenMs).toBeLessThan(600)
        // Shown once: nothing reorders it later in the page's life.
        await next.page.mouse.move(600, 780)
        await next.page.waitForTimeout(300)
        expect(await order(next.page)).toEqual(shown)
        await screenshot(next.page, 'declarative-ranked')
        ranked = shown
      }
      expect(next.errors).toEqual([])
      await next.page.close()
    }
    figures.push(`ranked loads (CLS 0 each): ${loads.join('; ')}`)
    expect(ranked).toBeDefined()

    // The same person, with a profile that takes a second to open: at the deadline the grid is
    // shown in the page's order, and ready, later, does not reorder it.
    const slow = await open(context)
    await slowProfile(slow.page, 1000)
    await slow.page.goto(`${server.url}${URL_PATH}`)
    await slow.page.waitForSelector('#grid[data-tacit-ready]')
    expect(await order(slow.page)).toEqual(['b1', 'p1', 'b2', 'p2', 'b3', 'p3'])
    await slow.page.evaluate(() => (window as any).tacit.ready)
    await slow.page.waitForTimeout(100)
    expect(await order(slow.page)).toEqual(['b1', 'p1', 'b2', 'p2', 'b3', 'p3'])
    // Not for want of interest: rank() itself now puts premium first.
    expect(await slow.page.evaluate(() => (window as any).tacit.rank([{ id: 'b1', tags: ['budget'] }, { id: 'p1', tags: ['premium'] }]).map((i: any) => i.id))).toEqual(['p1', 'b1'])
    const slowTiming = await hiding(slow.page)
    figures.push(`slow profile (ready after 1 s): grid hidden ${slowTiming.grid.hiddenMs.toFixed(0)} ms; CLS ${await cls(slow.page)}`)
    // Revealed by the 300 ms deadline, well before ready (1 s): bounds loose enough for a busy machine.
    expect(slowTiming.grid.hiddenMs).toBeGreaterThanOrEqual(250)
    expect(slowTiming.grid.hiddenMs).toBeLessThan(900)
    expect(await shifts(slow.page)).toEqual([])
    expect(slow.errors).toEqual([])
    await hidePage(slow.page) // leaving writes the start-up copy
    await slow.page.evaluate(() => (window as any).tacit.profile())
    await slow.page.close()

    // The same slow database, with the start-up copy the last page wrote: ready does not wait for
    // the database, so the grid can be ranked when first shown, a second before the database opens.
    // (A load on a busy machine may still miss the 300 ms deadline and show the page order.)
    let early: string[] | undefined
    const quickLoads: string[] = []
    for (let i = 0; i < 5 && !early; i++) {
      const quick = await open(context)
      await slowProfile(quick.page, 1000, true)
      await quick.page.goto(`${server.url}${URL_PATH}`)
      await quick.page.waitForSelector('#grid[data-tacit-ready]')
      const shown = await order(quick.page)
      const timing = await hiding(quick.page)
      quickLoads.push(`grid hidden ${timing.grid.hiddenMs.toFixed(0)} ms`)
      if (shown[0] === 'b1') expect(shown).toEqual(['b1', 'p1', 'b2', 'p2', 'b3', 'p3'])
      else {
        expect(new Set(shown.slice(0, 3))).toEqual(new Set(['p1', 'p2', 'p3']))
        expect(timing.grid.hiddenMs).toBeLessThan(300)
        // The database is still opening (delayed by a second): the order came from the copy.
        expect(await quick.page.evaluate(() => (window as any).__idbOpened === true)).toBe(false)
        early = shown
      }
      expect(await shifts(quick.page)).toEqual([])
      expect(quick.errors).toEqual([])
      await quick.page.close()
    }
    figures.push(`slow database, start-up copy: ${quickLoads.join('; ')}`)
    expect(early).toBeDefined()
    await context.close()
  })

  it('a slow profile: at 300 ms the slot shows its fallback, keeps it after ready, and the decision recorded is the one shown', async () => {
    const { context, page, errors } = await open()
    await slowProfile(page, 1000)
    await page.goto(`${server.url}${URL_PATH}`)
    await page.waitForSelector('#hero[data-tacit-ready]')
    const timing = await hiding(page)
    figures.push(`slow profile (ready after 1 s): hero hidden ${timing.hero.hiddenMs.toFixed(0)} ms, shown ${timing.hero.visibleAfterDclMs.toFixed(0)} ms after DOMContentLoaded`)
    // Revealed by the 300 ms deadline, well before ready (1 s): bounds loose enough for a busy machine.
    expect(timing.hero.hiddenMs).toBeGreaterThanOrEqual(250)
    expect(timing.hero.hiddenMs).toBeLessThan(900)
    expect(await page.getAttribute('#hero', 'data-tacit-rendered')).toBe('calm')
    await page.evaluate(() => (window as any).tacit.ready)
    await page.waitForTimeout(100)
    expect(await page.getAttribute('#hero', 'data-tacit-rendered')).toBe('calm')
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    expect(profile.decisions).toEqual([expect.objectContaining({ slot: 'hero', variant: 'calm', policy: 'fallback' })])
    expect(await shifts(page)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })
})
