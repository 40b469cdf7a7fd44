import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newContext, screenshot, center, watchLayoutAndCsp } from '../../packages/browser/test/chromium'
// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs'
// @ts-expect-error plain ESM module of the example, without types
import { QUESTIONS } from './questions.js'

/** The page must work under the strictest usual policy: no inline script or style, no data: URLs. */
const CSP = "default-src 'self'; script-src 'self'"

let browser: Browser
let server: { url: string; close(): Promise<void> }

beforeAll(async () => {
  server = await startServer({ headers: { 'content-security-policy': CSP } })
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** A spot in the page margin, outside the quiz card: resting here is resting on nothing. */
const MARGIN = { x: 40, y: 600 }

type Question = { id: string; choices?: string[]; answer: number }
const byId = new Map<string, Question>(
  Object.values(QUESTIONS as Record<string, Record<string, Question[]>>).flatMap((kinds) => Object.values(kinds).flat()).map((q) => [q.id, q]),
)
/** Layout shifts not caused by the person's own input (what CLS counts), recorded from before the page's scripts. */
const unexpectedShifts = (page: Page) =>
  page.evaluate(() => (window as any).__shifts.filter((s: { hadRecentInput: boolean }) => !s.hadRecentInput) as { value: number; sources: string[] }[])
const current = async (page: Page) => byId.get((await page.getAttribute('#card', 'data-question'))!)!
const text = (page: Page, selector: string) => page.locator(selector).innerText()
/** Moves straight to the element and clicks at once, as someone who knows the answer. */
const clickDirect = async (page: Page, selector: string) => {
  const { x, y } = await center(page, selector)
  await page.mouse.move(x, y, { steps: 4 })
  await page.mouse.down()
  await page.mouse.up()
}
/** Leaves the pointer in the margin, then presses Enter on the focused "Next question". */
const next = async (page: Page) => {
  await page.mouse.move(MARGIN.x, MARGIN.y, { steps: 3 })
  await page.keyboard.press('Enter')
}

describe('examples/learning in Chromium (script tag only, strict CSP)', () => {
  it('reveals a hint where the learner pauses, and steps down after a wrong answer and up after a quick right one', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()))
    await watchLayoutAndCsp(page)
    await page.goto(`${server.url}/examples/learning/`)
    await page.waitForFunction(() => (window as any).tacit && !Array.isArray((window as any).tacit))
    await page.evaluate(() => (window as any).tacit.ready)
    await page.waitForSelector('#card[data-question]')

    // Question 1, Normal, choose one: rest on a wrong answer, then move away. The hint appears.
    expect(await text(page, '#count')).toBe('Question 1 of 8')
    expect(await text(page, '#level')).toBe('Normal')
    const q1 = await current(page)
    expect(q1.choices).toHaveLength(4)
    const wrong = q1.answer === 0 ? 1 : 0
    expect(await page.isHidden('.hint')).toBe(true)
    const spot = await center(page, `#answer-${wrong}`)
    await page.mouse.move(spot.x, spot.y, { steps: 5 })
    await page.waitForTimeout(1200)
    await page.mouse.move(MARGIN.x, MARGIN.y, { steps: 4 })
    await page.waitForSelector('.hint:not([hidden])', { timeout: 2000 })
    expect(await text(page, '.hint')).toMatch(/^Hint: \w/)
    await expect.poll(() => page.locator('#noticed li').allInnerTexts()).toEqual([
      expect.stringMatching(new RegExp(`^Rested 1\\.\\d s on “${q1.choices![wrong]}”, then moved away$`)),
    ])

    // A wrong answer: the next question is easier, and the page says why.
    await clickDirect(page, `#answer-${wrong}`)
    expect(await text(page, '#verdict')).toBe(`Not quite: the answer is ${q1.choices![q1.answer]}.`)
    expect(await text(page, '#why-next')).toBe('Next: easier (Easy). That answer was not right, and you paused once, so the next question is easier.')
    expect(await page.getAttribute(`#answer-${wrong}`, 'class')).toContain('wrong')
    await page.mouse.move(MARGIN.x, MARGIN.y, { steps: 3 })
    await screenshot(page, 'example-learning')
    await next(page)

    // Question 2, Easy, type the number: the answer box focused for 3 s with nothing typed shows its hint.
    await expect.poll(() => text(page, '#count')).toBe('Question 2 of 8')
    expect(await text(page, '#level')).toBe('Easy')
    const q2 = await current(page)
    expect(q2.choices).toBeUndefined()
    expect(await page.isHidden('.hint')).toBe(true)
    await clickDirect(page, '#answer-text')
    await page.mouse.move(MARGIN.x, MARGIN.y, { steps: 3 })
    await page.waitForTimeout(2500)
    expect(await page.isHidden('.hint')).toBe(true)
    await page.waitForSelector('.hint:not([hidden])', { timeout: 1500 })
    expect(await page.locator('#noticed li').allInnerTexts()).toEqual(['Answer box focused for 3.0 s with nothing typed'])
    await page.keyboard.type(String(q2.answer), { delay: 30 })
    await page.keyboard.press('Enter')
    expect(await text(page, '#verdict')).toBe(`Right: ${q2.answer}.`)
    expect(await text(page, '#why-next')).toBe('Next: same level (Easy). Right, but you paused once, so the level stays.')
    await screenshot(page, 'example-learning-field')
    await next(page)

    // Question 3, Easy: straight to the right answer, no pause. The next question is harder.
    await expect.poll(() => text(page, '#count')).toBe('Question 3 of 8')
    expect(await text(page, '#level')).toBe('Easy')
    const q3 = await current(page)
    await clickDirect(page, `#answer-${q3.answer}`)
    expect(await text(page, '#verdict')).toBe(`Right: ${q3.choices![q3.answer]}.`)
    expect(await text(page, '#why-next')).toMatch(/^Next: harder \(Normal\)\. Right in \d+\.\d s without a pause, so the next question is harder\.$/)
    expect(await page.isHidden('.hint')).toBe(true)
    await next(page)

    await expect.poll(() => text(page, '#count')).toBe('Question 4 of 8')
    expect(await text(page, '#level')).toBe('Normal')
    expect(await text(page, '#ladder .current')).toBe('Normal')
    expect(await page.locator('#history li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Q1 Normal: wrong in \d+\.\d s, 1 pause ↓ Easy$/),
      expect.stringMatching(/^Q2 Easy: right in \d+\.\d s, 1 pause → Easy$/),
      expect.stringMatching(/^Q3 Easy: right in \d+\.\d s ↑ Normal$/),
    ])
    expect(await page.locator('#dots li').allInnerTexts()).toEqual(['N', 'E', 'E', '4', '5', '6', '7', '8'])

    // What Tacit stored: the pauses, in this browser.
    const profile = await page.evaluate(() => (window as any).tacit.profile())
    expect(profile.storage).toBe('indexeddb')
    expect(profile.signals.filter((s: { type: string }) => s.type === 'hesitation').map((s: { target: string }) => s.target)).toEqual(
      expect.arrayContaining([`button#answer-${wrong}`, 'input#answer-text']),
    )
    // Nothing Tacit showed (hints, verdicts, the panel) moved the page under the learner: CLS 0.
    const shifts = await unexpectedShifts(page)
    console.log(`examples/learning: layout shift without recent input = ${shifts.reduce((sum, s) => sum + s.value, 0)} (${shifts.length} entries)`)
    expect(shifts).toEqual([])
    expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })
})
