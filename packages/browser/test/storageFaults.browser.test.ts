import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newContext, readDatabase, ready, serve, withJournal, type Served } from './chromium'

/**
 * Storage faults that fake-indexeddb cannot play faithfully, in real Chromium with the built
 * tacit.min.js: the database deleted by another tab or cleared by the browser mid-session, an
 * upgrade blocked by a real older-version connection in another page, and a full quota inside
 * real IndexedDB transactions.
 * In each, the page keeps deciding, nothing is thrown into it, the fault is reported once through
 * `onError`, and what was captured meanwhile reaches the database once storage is back.
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

/** Retries are 1 s, 2 s, 4 s… apart: recovery is expected well within this. */
const RECOVERY = { timeout: 30_000, interval: 250 }

/** A Tacit page (signals.html, consent granted) recording what reaches `onError` and the page's own error events. */
const tacitPage = async (context: BrowserContext): Promise<Page> => {
  const page = await context.newPage()
  await page.addInitScript(() => {
    const w = window as any
    w.__errors = []
    w.__pageErrors = []
    w.tacitConfig = { onError: (e: any) => w.__errors.push({ name: e?.name, message: String(e?.message), cause: e?.cause?.name }) }
    addEventListener('error', (e) => w.__pageErrors.push(String(e.message)))
    addEventListener('unhandledrejection', (e) => w.__pageErrors.push(String(e.reason)))
  })
  await page.goto(`${server.url}/test/signals.html`)
  return page
}

/** Another tab of the same site, without Tacit. */
const otherTab = async (context: BrowserContext): Promise<Page> => {
  const page = await context.newPage()
  await page.goto(`${server.url}/`)
  return page
}

const errors = (page: Page) => page.evaluate(() => (window as any).__errors as Array<{ name: string; message: string; cause?: string }>)
const storage = (page: Page) => page.evaluate(() => (window as any).tacit.storage as string)
const track = (page: Page, goal: string, times = 1) =>
  page.evaluate(([g, k]) => {
    for (let i = 0; i < k; i++) (window as any).tacit.track(g)
  }, [goal, times] as const)
/** How often `goal` is stored, in its record and in the changes journalled but not folded yet. */
const savedCount = async (page: Page, goal: string): Promise<number> =>
  withJournal<{ goal: string; count: number }>(await readDatabase(page), 'outcomes')
    .filter((o) => o.goal === goal)
    .reduce((sum, o) => sum + o.count, 0)

/** decide, rank and predict answer in the page. */
const expectServing = async (page: Page) => {
  const r = await page.evaluate(() => {
    const t = (window as any).tacit
    return { variant: t.decide('hero', ['a', 'b']).variant, ranked: t.rank([{ id: 'x' }, { id: 'y', tags: ['premium'] }]).length, predict: t.predict() }
  })
  expect(['a', 'b']).toContain(r.variant)
  expect(r.ranked).toBe(2)
  for (const v of [r.predict.convert, r.predict.dropOff]) {
    expect(v).toBeGreaterThanOrEqual(0)
    expect(v).toBeLessThanOrEqual(1)
  }
}

/** Exactly one report, saying what happened and what Tacit does about it; nothing thrown into the page. */
const expectOneFault = async (page: Page, what: RegExp) => {
  const reported = await errors(page)
  expect(reported).toHaveLength(1)
  expect(reported[0].name).toBe('TacitError')
  expect(reported[0].message).toMatch(what)
  expect(reported[0].message).toMatch(/keeps working from memory, keeps the unsaved changes there and tries storage again/)
  expect(await page.evaluate(() => (window as any).__pageErrors)).toEqual([])
}

describe('storage faults in Chromium (built tacit.min.js)', () => {
  it('the database deleted by another tab mid-session: recreated, and the changes not yet saved are written', async () => {
    const context = await newContext(browser)
    const page = await tacitPage(context)
    await ready(page)
    await track(page, 'before')
    await page.evaluate(() => (window as any).tacit.profile())
    const other = await otherTab(context)
    expect(await savedCount(other, 'before')).toBe(1)

    // Tacit closes its connection on versionchange, so the other tab's delete is not blocked.
    const outcome = await other.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const req = indexedDB.deleteDatabase('tacit')
          req.onblocked = () => resolve('blocked')
          req.onsuccess = () => resolve('deleted')
          req.onerror = () => resolve(`error ${req.error?.name}`)
        }),
    )
    expect(outcome).toBe('deleted')
    await track(page, 'after', 3)
    await expectServing(page)
    await expect.poll(() => savedCount(other, 'after'), RECOVERY).toBe(3)
    expect(await storage(page)).toBe('indexeddb')
    expect(await savedCount(other, 'before')).toBe(0) // what the other tab deleted stays deleted
    await expectOneFault(page, /closed or deleted/)
    await context.close()
  })

  it('the browser clearing site data mid-session (connection force-closed): reopened, nothing captured since is lost', async () => {
    const context = await newContext(browser)
    const page = await tacitPage(context)
    await ready(page)
    await track(page, 'before')
    await page.evaluate(() => (window as any).tacit.profile())
    const cdp = await context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: server.url, storageTypes: 'indexeddb' })
    const other = await otherTab(context)
    expect(await savedCount(other, 'before')).toBe(0)

    await track(page, 'after', 2)
    await expectServing(page)
    await expect.poll(() => savedCount(other, 'after'), RECOVERY).toBe(2)
    expect(await storage(page)).toBe('indexeddb')
    await expectOneFault(page, /closed or deleted/)
    await context.close()
  })

  it('an upgrade blocked by a tab holding version 1 open: ready after a bounded wait, memory, then saved once that tab closes', async () => {
    const context = await newContext(browser)
    const old = await otherTab(context)
    // An older build in another tab: version 1, and it never closes on versionchange.
    await old.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('tacit', 1)
          req.onupgradeneeded = () => req.result.createObjectStore('items', { keyPath: 'id' })
          req.onsuccess = () => {
            ;(window as any).__old = req.result
            resolve()
          }
          req.onerror = () => reject(req.error)
        }),
    )
    const page = await tacitPage(context)
    await ready(page) // resolves: the blocked open is given up after a bounded wait
    expect(await storage(page)).toBe('memory')
    await expectOneFault(page, /blocked for \d+ ms by another tab holding an older version/)
    await track(page, 'signup', 2)
    await expectServing(page)

    await old.evaluate(() => (window as any).__old.close())
    await expect.poll(() => storage(page), RECOVERY).toBe('indexeddb')
    await expect.poll(() => savedCount(old, 'signup'), RECOVERY).toBe(2)
    const version = await old.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'tacit')?.version)
    expect(version).toBe(2)
    expect(await errors(page)).toHaveLength(1)
    await context.close()
  })

  it('a full quota (QuotaExceededError on every write): memory, one report, everything written once space is back', async () => {
    const context = await newContext(browser)
    // Chromium's Storage.overrideQuotaForOrigin has no effect on this build (checked: writes of
    // 2 MB still commit under a 1-byte quota), so the refusal is injected where IndexedDB would
    // raise it, under idb and Tacit, while `__quotaFull` is set.
    await context.addInitScript(() => {
      const w = window as any
      for (const name of ['put', 'add'] as const) {
        const original = IDBObjectStore.prototype[name]
        IDBObjectStore.prototype[name] = function (this: IDBObjectStore, ...args: any[]) {
          if (w.__quotaFull) throw new DOMException('The current transaction exceeded its quota limitations.', 'QuotaExceededError')
          return (original as any).apply(this, args)
        } as any
      }
    })
    const page = await tacitPage(context)
    await ready(page)
    await track(page, 'buy')
    await page.evaluate(() => (window as any).tacit.profile())
    await page.evaluate(() => ((window as any).__quotaFull = true))
    await track(page, 'buy', 5)
    await expect.poll(() => storage(page), RECOVERY).toBe('memory')
    await expectOneFault(page, /storage quota of this site is full/)
    expect((await errors(page))[0].cause).toBe('QuotaExceededError')
    await track(page, 'buy', 5)
    await expectServing(page)
    const other = await otherTab(context)
    expect(await savedCount(other, 'buy')).toBe(1) // the refused transactions left nothing half-written

    await page.evaluate(() => ((window as any).__quotaFull = false))
    await expect.poll(() => savedCount(other, 'buy'), RECOVERY).toBe(11)
    await expect.poll(() => storage(page), RECOVERY).toBe('indexeddb')
    expect(await errors(page)).toHaveLength(1)
    await context.close()
  })
})
