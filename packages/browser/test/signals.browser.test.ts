import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, serve, type Served, center } from './chromium'

type Sig = { type: string; target: string; item?: string; ms?: number; outcome?: string; percent?: number; field?: string; clicks?: number }

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

const open = async (): Promise<Page> => {
  const context = await newContext(browser)
  const page = await context.newPage()
  await page.goto(`${server.url}/test/signals.html`)
  await page.waitForFunction(() => !Array.isArray((window as any).tacit))
  await page.evaluate(() => (window as any).tacit.ready)
  return page
}
const signals = (page: Page): Promise<Sig[]> => page.evaluate(() => (window as any).__signals)

describe('signals in real Chromium, trusted input, built tacit.min.js', () => {
  it('hesitation: resting on a button 1.2 s then leaving is abandoned; resting then clicking is clicked', async () => {
    const page = await open()
    const help = await center(page, '#help')
    await page.mouse.move(help.x, help.y, { steps: 3 })
    await page.waitForTimeout(1200)
    await page.mouse.move(5, 700, { steps: 3 })
    const buy = await center(page, '#buy')
    await page.mouse.move(buy.x, buy.y, { steps: 3 })
    await page.waitForTimeout(1100)
    await page.mouse.down()
    await page.mouse.up()
    // A short hover is no hesitation.
    const nothing = await center(page, '#nothing')
    await page.mouse.move(nothing.x, nothing.y, { steps: 2 })
    await page.waitForTimeout(300)
    await page.mouse.move(5, 700, { steps: 2 })
    const hes = (await signals(page)).filter((s) => s.type === 'hesitation')
    expect(hes).toEqual([
      expect.objectContaining({ target: 'button#help', outcome: 'abandoned' }),
      expect.objectContaining({ target: 'button#buy', outcome: 'clicked' }),
    ])
    expect(hes[0].ms).toBeGreaterThanOrEqual(1200)
    expect(hes[1].ms).toBeGreaterThanOrEqual(1100)
    await page.context().close()
  })

  it('the pointer leaving the window ends a pause and a hover at once (the root element\'s pointerleave)', async () => {
    const page = await open()
    const help = await center(page, '#help')
    await page.mouse.move(help.x, help.y, { steps: 3 })
    await page.waitForTimeout(1200)
    await page.mouse.move(-5, -5) // out of the window, as to the browser's tab strip
    const item = await center(page, '[data-tacit-item="sku-premium-1"]')
    await page.waitForTimeout(800)
    await page.mouse.move(item.x, item.y, { steps: 2 })
    await page.waitForTimeout(400)
    await page.mouse.move(-5, -5)
    await page.waitForTimeout(800)
    await page.mouse.move(5, 700)
    const hes = (await signals(page)).filter((s) => s.type === 'hesitation')
    expect(hes).toEqual([expect.objectContaining({ target: 'button#help', outcome: 'abandoned' })])
    // Ended when the pointer left, not when it came back 800 ms later.
    expect(hes[0].ms).toBeGreaterThanOrEqual(1200)
    expect(hes[0].ms).toBeLessThan(1200 + 700)
    const premium = await page.evaluate(async () => {
      const p = await (window as any).tacit.profile()
      return p.items.find((i: { id: string }) => i.id === 'sku-premium-1')
    })
    expect(premium).toMatchObject({ hovers: 1 })
    expect(premium.hoverMs).toBeGreaterThanOrEqual(400)
    expect(premium.hoverMs).toBeLessThan(400 + 700)
    await page.context().close()
  })

  it('rage-click: three quick clicks in one spot fire once; slow clicks do not', async () => {
    const page = await open()
    const p = await center(page, '#nothing')
    for (let i = 0; i < 3; i++) await page.mouse.click(p.x, p.y, { delay: 20 })
    await page.mouse.click(p.x + 2, p.y, { delay: 20 })
    const q = await center(page, '#grow')
    for (let i = 0; i < 3; i++) {
      await page.mouse.click(q.x, q.y)
      await page.waitForTimeout(1050)
    }
    const rage = (await signals(page)).filter((s) => s.type === 'rage-click')
    expect(rage).toEqual([expect.objectContaining({ target: 'button#nothing', clicks: 3 })])
    await page.context().close()
  })

  it('dwell: items in view while the person is active get engaged dwell time when the page hides', async () => {
    const page = await open()
    await page.mouse.move(600, 400)
    await page.waitForTimeout(800)
    await page.mouse.move(610, 410)
    await page.waitForTimeout(800)
    await hidePage(page)
    const dwell = (await signals(page)).filter((s) => s.type === 'dwell')
    const premium = dwell.find((s) => s.item === 'sku-premium-1')
    expect(premium).toBeDefined()
    expect(premium!.ms).toBeGreaterThanOrEqual(1400)
    expect(dwell.find((s) => s.item === 'sku-bottom')).toBeUndefined() // never in view
    await page.context().close()
  })

  it('dwell: once the page settles only items in view stay observed; an item scrolled in with the wheel is measured', async () => {
    const context = await newContext(browser)
    // What IntersectionObservers watch (the page's own API, wrapped before Tacit runs), and which
    // items were asked to be observed since the last reset.
    await context.addInitScript(() => {
      const watched = new Set<Element>()
      let asked = new Set<Element>()
      const items = (set: Set<Element>) => [...set].map((el) => el.getAttribute('data-tacit-item')).filter(Boolean).sort()
      ;(window as any).__watchedItems = () => items(watched)
      ;(window as any).__askedItems = () => items(asked)
      ;(window as any).__resetAsked = () => void (asked = new Set())
      const { observe, unobserve } = IntersectionObserver.prototype
      IntersectionObserver.prototype.observe = function (el) {
        watched.add(el)
        asked.add(el)
        return observe.call(this, el)
      }
      IntersectionObserver.prototype.unobserve = function (el) {
        watched.delete(el)
        return unobserve.call(this, el)
      }
    })
    const page = await context.newPage()
    await page.goto(`${server.url}/test/signals.html`)
    await page.waitForFunction(() => !Array.isArray((window as any).tacit))
    await page.evaluate(() => (window as any).tacit.ready)
    const watched = (): Promise<string[]> => page.evaluate(() => (window as any).__watchedItems())
    await page.mouse.move(600, 400)
    expect(await page.evaluate(() => (window as any).__askedItems())).toEqual(['sku-bottom', 'sku-budget-1', 'sku-premium-1'])
    // Settled: the item below the fold is no longer observed.
    await page.waitForFunction(() => (window as any).__watchedItems().length === 2, null, { timeout: 5000 })
    expect(await watched()).toEqual(['sku-budget-1', 'sku-premium-1'])

    // A trusted wheel scroll wakes it: every item observed again, and the bottom one seen coming
    // into view.
    await page.evaluate(() => (window as any).__resetAsked())
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 400)
    expect(await page.evaluate(() => (window as any).__askedItems())).toEqual(['sku-bottom'])
    const cameAt = Date.now()
    for (let i = 0; i < 4; i++) {
      await page.waitForTimeout(400)
      await page.mouse.move(600 + i * 5, 400)
    }
    // Settled at the bottom: the top items left view (their dwell ended), the bottom one is watched.
    await page.waitForFunction(() => (window as any).__watchedItems().length === 1, null, { timeout: 5000 })
    expect(await watched()).toEqual(['sku-bottom'])
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -400)
    const leftAt = Date.now()
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'dwell' && s.item === 'sku-bottom'))
    const bottom = (await signals(page)).filter((s) => s.type === 'dwell' && s.item === 'sku-bottom')
    expect(bottom).toHaveLength(1)
    expect(bottom[0].ms).toBeGreaterThanOrEqual(1500)
    expect(bottom[0].ms).toBeLessThanOrEqual(leftAt - cameAt + 500)
    await context.close()
  })

  it('scroll-depth: scrolling to the bottom with the wheel reaches every mark in order', async () => {
    const page = await open()
    await page.mouse.move(600, 400)
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 400)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'scroll-depth' && s.percent === 100))
    const marks = (await signals(page)).filter((s) => s.type === 'scroll-depth').map((s) => s.percent)
    expect(marks).toEqual([25, 50, 75, 90, 100])
    await page.context().close()
  })

  it('form-abandon: typing into a field and leaving the page reports the field name, never the value', async () => {
    const page = await open()
    await page.click('#email')
    await page.keyboard.type('someone@example.com')
    await page.click('#secret')
    await page.keyboard.type('hunter2-secret')
    await hidePage(page)
    const abandon = (await signals(page)).filter((s) => s.type === 'form-abandon')
    expect(abandon).toEqual([expect.objectContaining({ target: 'form#signup', field: 'email', fields: 1 })])
    const all = JSON.stringify(await signals(page))
    expect(all).not.toContain('someone@example.com')
    expect(all).not.toContain('hunter2')
    await page.context().close()
  })

  it('form-abandon: a submitted form is not abandoned', async () => {
    const page = await open()
    await page.click('#email')
    await page.keyboard.type('a@b.c')
    await page.click('#submit')
    await hidePage(page)
    expect((await signals(page)).filter((s) => s.type === 'form-abandon')).toEqual([])
    await page.context().close()
  })
})
