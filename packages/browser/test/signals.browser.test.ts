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
