import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core'
import { fileURLToPath } from 'node:url'
// @ts-expect-error plain ESM script without types
import { startServer } from '../../../scripts/serve.mjs'
// @ts-expect-error plain ESM script without types
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/lib/chromium.mjs'

const CHROMIUM = CHROMIUM_PATH
const ARGS = CHROMIUM_ARGS

export const root = fileURLToPath(new URL('../../../', import.meta.url))
export const artifacts = `${root}test-results`

/** Launches Debian's Chromium; fails with one line that says how to install it. */
export const launch = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`)
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
}

export interface Served {
  url: string
  close(): Promise<void>
}

/** Serves the examples plus the test pages of this folder under /test/. */
export const serve = async (): Promise<Served> =>
  startServer({ mounts: { '/test/': fileURLToPath(new URL('./pages/', import.meta.url)) } })

/** Every request a page makes, to prove that nothing leaves it. */
export const recordRequests = (page: Page): Request[] => {
  const requests: Request[] = []
  page.on('request', (r) => requests.push(r))
  return requests
}

/** Requests other than the page's own HTML, CSS and scripts from the test server. */
export const foreignRequests = (requests: Request[], base: string): string[] =>
  requests.map((r) => r.url()).filter((u) => !u.startsWith(base) || /collect|beacon|track/i.test(new URL(u).pathname))

export const newContext = async (browser: Browser): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1200, height: 800 } })

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: `${artifacts}/${name}.png` })
}

/** Makes the page believe it was hidden, as a tab switch would, and fires the events. */
export const hidePage = async (page: Page): Promise<void> => {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    Object.defineProperty(document, 'hidden', { value: true, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  })
}

export const showPage = async (page: Page): Promise<void> => {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    Object.defineProperty(document, 'hidden', { value: false, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  })
}

/** Reads every object store of a database with the page's real IndexedDB. */
export const readDatabase = (page: Page, name = 'tacit') =>
  page.evaluate(
    (dbName) =>
      new Promise<Record<string, unknown[]> | null>((resolve, reject) => {
        indexedDB.databases().then((dbs) => {
          if (!dbs.some((d) => d.name === dbName)) return resolve(null)
          const req = indexedDB.open(dbName)
          req.onerror = () => reject(req.error)
          req.onsuccess = () => {
            const db = req.result
            const names = Array.from(db.objectStoreNames)
            const out: Record<string, unknown[]> = {}
            if (!names.length) {
              db.close()
              return resolve(out)
            }
            const tx = db.transaction(names, 'readonly')
            for (const n of names) {
              const r = tx.objectStore(n).getAll()
              r.onsuccess = () => (out[n] = r.result)
            }
            tx.oncomplete = () => {
              db.close()
              resolve(out)
            }
          }
        })
      }),
    name,
  )

/**
 * The records of `store` in a database read by {@link readDatabase}, followed by those of the same
 * store still in its journal (periodic writes and page hides journal their changes; they are folded
 * into the stores later). Journalled records are changes: counts add up over the list.
 */
export const withJournal = <T = Record<string, unknown>>(db: Record<string, unknown[]> | null, store: string): T[] => {
  if (!db) return []
  const entries = (db.journal ?? []) as Array<Record<string, unknown>>
  const journalled = entries.flatMap((e) => (store === 'meta' ? (e.visitor ? [e.visitor] : []) : ((e[store] as unknown[]) ?? [])))
  return [...(db[store] ?? []), ...journalled] as T[]
}

/** Waits until tacit.min.js has replaced the queue and `tacit.ready` has resolved. */
export const ready = async (page: Page): Promise<void> => {
  await page.waitForFunction(() => !Array.isArray((window as any).tacit))
  await page.evaluate(() => (window as any).tacit.ready)
}

/** The centre of an element, for trusted mouse input. */
export const center = async (page: Page, selector: string) => {
  const box = (await page.locator(selector).boundingBox())!
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/**
 * Before any page script: records every layout shift (`window.__shifts`, with the ids of the
 * nodes that moved) and every Content-Security-Policy violation (`window.__csp`).
 */
export const watchLayoutAndCsp = (page: Page): Promise<unknown> =>
  page.addInitScript(() => {
    const w = window as any
    w.__shifts = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[])
        w.__shifts.push({
          value: e.value,
          hadRecentInput: e.hadRecentInput,
          sources: (e.sources || []).map((s: any) => (s.node ? s.node.id || s.node.className || s.node.nodeName : null)),
        })
    }).observe({ type: 'layout-shift', buffered: true })
    w.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
