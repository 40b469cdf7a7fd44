import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SETTLE_MS } from './src/guidance'
import { launch, newContext, readDatabase, screenshot, serve, type Served, center, watchLayoutAndCsp, withJournal } from '../../packages/browser/test/chromium'

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

interface Opened {
  context: BrowserContext
  page: Page
  errors: string[]
  /** Every screen the card showed, in order, as recorded by the page itself. */
  stepsSeen: () => Promise<string[]>
  /** Layout shifts not caused by the person's own input (what CLS counts), since before the page's scripts. */
  unexpectedShifts: () => Promise<{ value: number; sources: string[] }[]>
}

/** A fresh browser context on the example, once Tacit has loaded. */
const open = async (): Promise<Opened> => {
  const context = await newContext(browser)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()))
  await watchLayoutAndCsp(page)
  await page.addInitScript(() => {
    const w = window as any
    const seen: string[] = ((window as any).__stepsSeen = [])
    new MutationObserver(() => {
      const step = document.querySelector('main[data-step]')?.getAttribute('data-step')
      if (step && seen[seen.length - 1] !== step) seen.push(step)
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] })
  })
  await page.goto(`${server.url}/examples/react-onboarding/`)
  await page.waitForSelector('aside[data-ready="true"]')
  return {
    context,
    page,
    errors,
    stepsSeen: () => page.evaluate(() => (window as any).__stepsSeen as string[]),
    unexpectedShifts: () => page.evaluate(() => (window as any).__shifts.filter((s: { hadRecentInput: boolean }) => !s.hadRecentInput)),
  }
}

/** Nothing Tacit showed or changed moved the page under the person: CLS 0. The figure goes to the log. */
const expectNoShift = async ({ unexpectedShifts }: Opened, scenario: string) => {
  const shifts = await unexpectedShifts()
  console.log(`examples/react-onboarding (${scenario}): layout shift without recent input = ${shifts.reduce((sum, s) => sum + s.value, 0)} (${shifts.length} entries)`)
  expect(shifts).toEqual([])
}

/** Moves straight to the element and clicks at once, as someone who knows what they want. */
const clickDirect = async (page: Page, selector: string) => {
  const { x, y } = await center(page, selector)
  await page.mouse.move(x, y, { steps: 5 })
  await page.mouse.down()
  await page.mouse.up()
}
const step = (page: Page) => page.locator('main').getAttribute('data-step')
const hints = (page: Page) => page.locator('.hint')
/** The panel's drop-off risk, in percent. */
const risk = async (page: Page) => Number((await page.locator('#risk').innerText()).replace('%', ''))

describe('examples/react-onboarding in Chromium', () => {
  it('shortens the flow for a person who moves through it confidently', async () => {
    const opened = await open()
    const { context, page, errors, stepsSeen } = opened
    await expect.poll(() => page.locator('#step-count').innerText()).toBe('STEP 1 OF 5')

    await clickDirect(page, '#start')
    await expect.poll(() => step(page)).toBe('profile')
    await clickDirect(page, '#name')
    await page.keyboard.type('Ada', { delay: 20 })
    await clickDirect(page, '.chip:has(#role-engineering)')
    await clickDirect(page, '#next')

    // Preferences and notifications became one step, and the page says why.
    await expect.poll(() => step(page)).toBe('setup')
    expect(await page.locator('#step-count').innerText()).toBe('STEP 3 OF 4')
    expect(await page.locator('#progress li').allInnerTexts()).toEqual(['Welcome', 'Profile', 'Quick setup', 'Done'])
    const adapted = await page.locator('.adapted').innerText()
    expect(adapted).toContain('A shorter setup for you.')
    expect(adapted).toMatch(/Why am I seeing this\? You finished Welcome in \d+\.\d s and Profile in \d+\.\d s without pausing anywhere/)
    expect(await page.locator('#pace').innerText()).toBe('Confident: the flow is shortened to 4 steps.')
    expect(await hints(page).count()).toBe(0)
    // Tacit's drop-off risk (the demo's hand-set prior) is low for this person.
    expect(await risk(page)).toBeLessThan(25)
    await screenshot(page, 'example-react-onboarding-confident')

    await clickDirect(page, '#next')
    await expect.poll(() => step(page)).toBe('done')
    expect(await page.locator('#step-title').innerText()).toBe('You’re all set, Ada.')
    expect(await page.locator('#summary').innerText()).toMatch(/^Finished in 4 steps/)
    expect(await page.locator('#trail').innerText()).toBe('Your path: Welcome → Profile → Quick setup → Done')
    // The separate settings steps never appeared, not even for a frame.
    expect(await stepsSeen()).toEqual(['welcome', 'profile', 'setup', 'done'])
    expect(await page.locator('#noticed li').count()).toBe(0)

    // Tacit recorded the funnel as completed and the goal, in this browser's IndexedDB (in the
    // stores, or journalled and not folded yet).
    await expect
      .poll(async () => withJournal(await readDatabase(page), 'funnels'), { timeout: 6000 })
      .toContainEqual(expect.objectContaining({ funnel: 'onboarding', furthest: 4, completions: 1 }))
    expect(withJournal(await readDatabase(page), 'outcomes')).toContainEqual(expect.objectContaining({ goal: 'onboarding-complete', count: 1 }))
    await expectNoShift(opened, 'confident')
    expect(errors).toEqual([])
    await context.close()
  })

  it('adds guidance where a hesitant person pauses, and keeps every step', async () => {
    const opened = await open()
    const { context, page, errors, stepsSeen } = opened

    // The app ignores a pause that starts within SETTLE_MS (400 ms) of a step appearing (the step
    // came up under a still pointer): a person reads the step before pointing. Without this wait
    // the pointer could arrive as soon as Tacit is ready, and whether the hint came depended on
    // how fast the page rendered.
    await page.waitForTimeout(SETTLE_MS + 200)
    // Rest on "Get started" without clicking, then move away.
    const start = await center(page, '#start')
    await page.mouse.move(start.x, start.y, { steps: 5 })
    // Well over the 1 s threshold: on a busy machine the page may handle the pointer's arrival late.
    await page.waitForTimeout(1800)
    await page.mouse.move(start.x, start.y + 90, { steps: 3 })
    const welcomeHint = page.locator('.hint[data-hint="step:welcome"]')
    await welcomeHint.waitFor()
    expect(await welcomeHint.innerText()).toMatch(
      /^Setup takes about a minute\.[^]*Why am I seeing this\? Your pointer rested on “Get started” for [1-3]\.\d s, then moved away without clicking\.$/,
    )

    await clickDirect(page, '#start')
    await expect.poll(() => step(page)).toBe('profile')
    // Focus the name field and wait without typing.
    await clickDirect(page, '#name')
    const nameHint = page.locator('.hint[data-hint="input#name"]')
    await nameHint.waitFor({ timeout: 5000 })
    expect(await nameHint.innerText()).toMatch(
      /^This is the name teammates see[^]*Why am I seeing this\? You focused the Display name field and did not type for 3\.0 s\.$/,
    )
    // The hint sits right under the field it is about, and is the only one on this step.
    expect(await page.locator('#name + .hint').count()).toBe(1)
    expect(await hints(page).count()).toBe(1)
    expect(await page.locator('#noticed li').allInnerTexts()).toEqual([
      expect.stringMatching(/^Welcome: Your pointer rested on “Get started”/),
      'Profile: You focused the Display name field and did not type for 3.0 s.',
    ])
    expect(await page.locator('#pace').innerText()).toBe('Taking it slowly: tips are on.')
    await expect.poll(() => risk(page)).toBeGreaterThan(40)
    await screenshot(page, 'example-react-onboarding-hesitant')

    await page.keyboard.type('Grace', { delay: 20 })
    await clickDirect(page, '#next')

    // Every step stays, and the next one opens with its tip.
    await expect.poll(() => step(page)).toBe('preferences')
    expect(await page.locator('#step-count').innerText()).toBe('STEP 3 OF 5')
    const tip = page.locator('.hint[data-hint="step:preferences"]')
    expect(await tip.innerText()).toMatch(/^Not sure\? “System” follows[^]*Why am I seeing this\? You paused 2 times on earlier steps, so every step now opens with a short tip\.$/)
    expect(await page.locator('#pace').innerText()).toBe('Taking it slowly: every step, with tips.')
    await clickDirect(page, '#next')
    await expect.poll(() => step(page)).toBe('notifications')
    expect(await page.locator('.hint[data-hint="step:notifications"]').isVisible()).toBe(true)
    expect(await stepsSeen()).toEqual(['welcome', 'profile', 'preferences', 'notifications'])
    await expectNoShift(opened, 'hesitant')
    expect(errors).toEqual([])
    await context.close()
  })
})
