import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hidePage, launch, newContext, readDatabase, screenshot, serve, type Served, ready, center } from './chromium'

/**
 * Issue 5, "Nothing sensitive is stored" and "Nothing leaves the page", in real Chromium with
 * trusted input and the built tacit.min.js.
 */

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

const SECRET = 'QUOKKA-SECRET-9931'
const PROSE = 'WOMBATPROSE77'
const CARD_TEXT = 'KIWICARD55'
const URL_TOKEN = 'ZEBRATOKEN42'
const PAGE = `/test/privacy-fields.html?q=${URL_TOKEN}#frag-${URL_TOKEN}`
/** Ids and names of the ignored region and the sensitive fields: no signal may point at them. */
const IGNORED_IDS = ['private-zone', 'private-button', 'f-password', 'passcode', 'f-card', 'cardnumber']

type Signal = { type: string; target?: string; field?: string; outcome?: string }

const moveTo = async (page: Page, selector: string) => {
  const { x, y } = await center(page, selector)
  await page.mouse.move(x, y, { steps: 4 })
}
const clickOn = async (page: Page, selector: string, times = 1) => {
  const { x, y } = await center(page, selector)
  await page.mouse.move(x, y, { steps: 4 })
  for (let i = 0; i < times; i++) await page.mouse.click(x, y, { delay: 15 })
}
/** A spot in the right margin, over nothing interactive. */
const rest = (page: Page) => page.mouse.move(1150, 20, { steps: 4 })
const signalLog = (page: Page) => page.evaluate(() => (window as any).__signals as Signal[])
const pointsAtIgnored = (s: Signal) => IGNORED_IDS.some((id) => `${s.target ?? ''} ${s.field ?? ''}`.includes(id))

/** Every string (object keys included) and every number in `value`, as text; JSON held in a string is walked too. */
const leaves = (value: unknown, out: { strings: string[]; numbers: string[] } = { strings: [], numbers: [] }) => {
  if (typeof value === 'string') {
    out.strings.push(value)
    if (/^[[{]/.test(value)) {
      try {
        leaves(JSON.parse(value), out)
      } catch {
        // Not JSON: searched as text above.
      }
    }
  } else if (typeof value === 'number') out.numbers.push(String(value))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.strings.push(k)
      leaves(v, out)
    }
  }
  return out
}

describe('nothing sensitive is stored', () => {
  it('keeps no typed secret, selected or copied text, query string, fragment, or ignored target in any store or in export()', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}${PAGE}`)
    await ready(page)
    expect(await page.evaluate(() => (window as any).tacit.storage)).toBe('indexeddb')

    // Attention to a tracked item, so there is something that should be stored.
    await moveTo(page, '[data-tacit-item="sku-card-a"]')
    await page.waitForTimeout(500)

    // The secret, typed with the keyboard into every kind of field.
    for (const field of ['#f-text', '#f-password', '#f-email', '#f-notes', '#f-card']) {
      await clickOn(page, field)
      await page.keyboard.type(SECRET)
    }
    expect(await page.inputValue('#f-notes')).toBe(SECRET)

    // Select the paragraph by dragging across it, then copy it.
    const prose = (await page.locator('#prose').boundingBox())!
    await page.mouse.move(prose.x + 2, prose.y + prose.height / 2)
    await page.mouse.down()
    await page.mouse.move(prose.x + prose.width - 2, prose.y + prose.height / 2, { steps: 8 })
    await page.mouse.up()
    expect(await page.evaluate(() => String(getSelection()))).toContain(PROSE)
    await page.keyboard.press('Control+C')
    expect(await page.evaluate(() => (window as any).__copies)).toBe(1)

    // Rest on, then click (three times) inside the ignored region; click the password field.
    await moveTo(page, '#private-button')
    await page.waitForTimeout(1200)
    await clickOn(page, '#private-button', 3)
    await clickOn(page, '#f-password')
    await rest(page)

    // Leave the page: what was written on hide (the journal included) ...
    await hidePage(page)
    await page.evaluate(() => (window as any).tacit.profile())
    const onHide = await readDatabase(page)
    // The start-up copy, written on hide outside the database (localStorage): checked like a store.
    const localOnHide: string = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)))
    const exportedOnHide: string = await page.evaluate(() => (window as any).tacit.export())
    const liveLog = await signalLog(page)

    // ... and, after a reload, everything it folded into the stores.
    await page.reload()
    await ready(page)
    const afterReload = await readDatabase(page)
    const exported: string = await page.evaluate(() => (window as any).tacit.export())
    const profile = await page.evaluate(() => (window as any).tacit.profile())

    // The control: capture worked and was persisted.
    expect(afterReload).not.toBeNull()
    expect(Object.keys(afterReload!)).toEqual(expect.arrayContaining(['items', 'tags', 'sessions', 'meta', 'signals']))
    expect(afterReload!.items).toContainEqual(expect.objectContaining({ id: 'sku-card-a' }))
    expect(afterReload!.signals.length).toBeGreaterThan(0)
    expect(profile.signals.length).toBeGreaterThan(0)
    expect(JSON.parse(exported).items).toContainEqual(expect.objectContaining({ id: 'sku-card-a' }))
    expect(localOnHide).toContain('sku-card-a')

    // Every store, before and after the reload, and both exports: none of it appears.
    const forbidden = [SECRET, 'QUOKKA', '9931', PROSE, CARD_TEXT, URL_TOKEN, 'frag-', ...IGNORED_IDS]
    // Searched in every string (keys included, and JSON inside strings, as the start-up copy is);
    // a number only as a whole, since digits of timestamps and weights may spell 9931 by chance.
    const dumps = { onHide, afterReload, localOnHide: JSON.parse(localOnHide), exportedOnHide: JSON.parse(exportedOnHide), exported: JSON.parse(exported) }
    for (const [where, value] of Object.entries(dumps)) {
      const { strings, numbers } = leaves(value)
      expect(strings.length, `${where} holds strings`).toBeGreaterThan(0)
      for (const word of forbidden) {
        expect(strings.find((text) => text.includes(word)), `${word} found in ${where}`).toBeUndefined()
        expect(numbers.includes(word), `${word} found as a number in ${where}`).toBe(false)
      }
    }

    // No signal, in the page's log, the stored ring or the profile, points inside the ignored region or the password/card fields.
    const ring = afterReload!.signals as Signal[]
    for (const signals of [liveLog, ring, profile.signals as Signal[]]) {
      expect(signals.filter(pointsAtIgnored)).toEqual([])
    }
    await context.close()
  })
})

describe('ignored elements and password/payment fields produce no signals', () => {
  it('a rage-click, a rest and a long focus on them emit nothing, while the same on normal elements do', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/test/privacy-fields.html`)
    await ready(page)
    await rest(page)
    const before = (await signalLog(page)).length

    // Ignored: rest 1.5 s on the ignored button, rage-click it, focus the password then the
    // card field 3.5 s each without typing (which also outlasts the 2.5 s dead-click window).
    await moveTo(page, '#private-button')
    await page.waitForTimeout(1500)
    await rest(page)
    await clickOn(page, '#private-button', 3)
    await clickOn(page, '#f-password')
    await page.waitForTimeout(3500)
    await clickOn(page, '#f-card')
    await page.waitForTimeout(3500)
    await rest(page)
    const ignoredPhase = (await signalLog(page)).slice(before)
    // Only page-level signals (engaged time, scroll, idle) may appear; none about an element.
    expect(ignoredPhase.filter((s) => s.target !== 'page')).toEqual([])

    // Control: the same on a normal button and a text field.
    await moveTo(page, '#control-button')
    await page.waitForTimeout(1500)
    await rest(page)
    await clickOn(page, '#control-button', 3)
    await clickOn(page, '#f-text')
    await page.waitForTimeout(3500)
    const log = await signalLog(page)
    expect(log).toContainEqual(expect.objectContaining({ type: 'hesitation', outcome: 'abandoned', target: 'button#control-button' }))
    expect(log).toContainEqual(expect.objectContaining({ type: 'rage-click', target: 'button#control-button' }))
    expect(log).toContainEqual(expect.objectContaining({ type: 'hesitation', outcome: 'field', target: 'input#f-text' }))
    expect(log.filter(pointsAtIgnored)).toEqual([])
    await context.close()
  })
})

/** Resource types by which a page sends data out; none may occur. */
const NETWORK_API_TYPES = ['fetch', 'xhr', 'beacon', 'eventsource', 'websocket', 'ping']

interface Example {
  name: string
  /** Waits until the example and Tacit are up. */
  loaded(page: Page): Promise<void>
  /** A short session: move, hover, click, scroll, type. */
  session(page: Page): Promise<void>
}

const EXAMPLES: Example[] = [
  {
    name: 'shop',
    loaded: async (page) => {
      await ready(page)
      await page.waitForSelector('#grid[data-tacit-ready]')
    },
    session: async (page) => {
      await moveTo(page, '[data-tacit-item="storm-shell"]')
      await page.waitForTimeout(600)
      await clickOn(page, 'button.add[data-id="daypack"]')
      await clickOn(page, 'button.add[data-id="storm-shell"]')
      if (await page.isVisible('#buy')) {
        await page.locator('#buy').scrollIntoViewIfNeeded()
        await clickOn(page, '#buy')
      }
      if (await page.isVisible('#email')) {
        await clickOn(page, '#email')
        await page.keyboard.type(SECRET)
      }
      await page.mouse.move(10, 400)
      for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 500)
    },
  },
  {
    name: 'learning',
    loaded: async (page) => {
      await ready(page)
      await page.waitForSelector('#answers button, #answer-text:visible')
    },
    session: async (page) => {
      if (await page.isVisible('#answer-text')) {
        await clickOn(page, '#answer-text')
        await page.keyboard.type('42')
        await page.keyboard.press('Enter')
      } else {
        await moveTo(page, '#answer-1')
        await page.waitForTimeout(600)
        await clickOn(page, '#answer-0')
      }
      await page.waitForSelector('#next:visible')
      await clickOn(page, '#next')
      await page.mouse.move(40, 600, { steps: 3 })
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 400)
    },
  },
  {
    name: 'react-onboarding',
    loaded: async (page) => {
      await page.waitForSelector('aside[data-ready="true"]')
    },
    session: async (page) => {
      await moveTo(page, '#start')
      await page.waitForTimeout(600)
      await clickOn(page, '#start')
      await page.waitForSelector('#name')
      await clickOn(page, '#name')
      await page.keyboard.type('Ada')
      await clickOn(page, '.chip:has(#role-engineering)')
      await clickOn(page, '#next')
      await page.mouse.move(10, 400)
      for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 400)
    },
  },
]

describe('nothing leaves the page', () => {
  for (const example of EXAMPLES) {
    it(`examples/${example.name}: a scripted session requests only the example's own files, and opens no socket`, async () => {
      const context = await newContext(browser)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      const requests: { request: Request; afterLoad: boolean }[] = []
      let afterLoad = false
      // The context sees the page's requests and those of any worker or popup it might start.
      context.on('request', (request) => requests.push({ request, afterLoad }))
      const sockets: string[] = []
      page.on('websocket', (ws) => sockets.push(ws.url()))

      const base = `/examples/${example.name}/`
      await page.goto(`${server.url}${base}?ref=${URL_TOKEN}`)
      await example.loaded(page)
      afterLoad = true
      await example.session(page)
      await hidePage(page)
      await page.evaluate(() => (window as any).tacit?.profile?.())
      await page.waitForTimeout(300)
      await screenshot(page, `privacy-${example.name}`)
      expect(await page.evaluate(async () => (await navigator.serviceWorker?.getRegistrations())?.length ?? 0)).toBe(0)
      await context.close()

      const origin = new URL(server.url).origin
      const described = requests.map(({ request: r, afterLoad: after }) => `${after ? 'after' : 'during'} load: ${r.resourceType()} ${r.method()} ${r.url()}`)
      // Loading made requests (the control), and every request is for this example's own files or /tacit.min.js.
      expect(requests.length).toBeGreaterThan(0)
      const foreign = requests.filter(({ request: r }) => {
        const url = new URL(r.url())
        return url.origin !== origin || !(url.pathname.startsWith(base) || url.pathname === '/tacit.min.js') || r.method() !== 'GET'
      })
      expect(foreign.map(({ request: r }) => r.url()), described.join('\n')).toEqual([])
      // No network API at all: nothing fetched, posted, beaconed or streamed, before or after load.
      expect(requests.filter(({ request: r }) => NETWORK_API_TYPES.includes(r.resourceType())).map(({ request: r }) => r.url())).toEqual([])
      expect(requests.filter(({ request: r, afterLoad: after }) => after && NETWORK_API_TYPES.includes(r.resourceType()))).toEqual([])
      expect(sockets).toEqual([])
      expect(errors).toEqual([])
    })
  }
})
