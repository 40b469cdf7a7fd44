import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { center, launch, newContext, readDatabase, ready, serve, type Served } from './chromium'

/**
 * Issue 5, "Encryption at rest": `data-encrypt="true"` on the script tag of the built
 * tacit.min.js, real IndexedDB and WebCrypto in Chromium, trusted input. What a person checking
 * the browser's storage sees: no item id, tag, goal, slot, funnel, target or signal type in any
 * stored value, as JSON or as bytes; the key is a non-extractable CryptoKey; and the site still
 * gets the whole profile back after a reload or after the tab closed mid-session.
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

const PATH = '/test/encrypted-shop.html'
// Names from the page that must not be readable in storage.
const NAMES = ['sku-quokka-1', 'sku-quokka-2', 'tag-wombat', 'tag-numbat', 'tag-bilby', 'goal-platypus', 'slot-echidna', 'checkout-dingo', 'cart-step', 'nothing-button', 'encrypted-shop']

// A flush interval far longer than any test: after the write at start-up, what is stored got
// there through profile() or through the page-hide path. TABS: one short, so that several tabs'
// writes overlap often.
const TABS_PATH = '/test/encrypted-tabs.html'
const shop = (flushMs: number) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tacit: encryption at rest</title>
  <link rel="icon" href="data:,">
  <style>
    body { margin: 0; font: 16px sans-serif; }
    .row { display: flex; gap: 20px; padding: 20px; }
    [data-tacit-item] { width: 200px; height: 150px; border: 1px solid #999; }
    button { width: 160px; height: 50px; }
  </style>
  <script src="/test/lifecycle.js"></script>
  <script src="/tacit.min.js" data-consent="granted" data-encrypt="true" data-flush-interval-ms="${flushMs}"
          data-funnels='{"checkout-dingo":["cart-step","pay-step"]}' async></script>
</head>
<body>
  <div class="row">
    <div data-tacit-item="sku-quokka-1" data-tacit-tags="tag-wombat,tag-numbat">Suitcase</div>
    <div data-tacit-item="sku-quokka-2" data-tacit-tags="tag-bilby">Bag</div>
  </div>
  <div class="row">
    <button id="nothing-button">Does nothing</button>
    <button id="buy" data-tacit-goal="goal-platypus" data-tacit-value="49">Buy</button>
  </div>
  <div data-tacit-slot="slot-echidna">
    <template data-tacit-variant="calm">Calm</template>
    <template data-tacit-variant="bold">Bold</template>
  </div>
</body>
</html>`

/** A context whose pages get the shop at PATH from the test server's origin. */
const shopContext = async (): Promise<BrowserContext> => {
  const context = await newContext(browser)
  await context.route(`**${PATH}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: shop(600_000) }))
  await context.route(`**${TABS_PATH}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: shop(40) }))
  return context
}

const profileOf = (page: Page) => page.evaluate(() => (window as any).tacit.profile())
const itemOf = (profile: any, id: string) => profile.items.find((i: any) => i.id === id)

const pointAt = async (page: Page, selector: string, clicks = 0, restMs = 200) => {
  const p = await center(page, selector)
  await page.mouse.move(p.x, p.y, { steps: 3 })
  await page.waitForTimeout(restMs)
  for (let i = 0; i < clicks; i++) await page.mouse.click(p.x, p.y, { delay: 15 })
  await page.mouse.move(1150, 700, { steps: 3 })
}

/**
 * Every stored value of every store, read with the page's own IndexedDB: the text a storage
 * viewer or a disk search could find (JSON, plus every binary value's bytes as Latin-1 and UTF-8),
 * and the keys record described.
 */
const rawStorage = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tacit')
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const names = Array.from(db.objectStoreNames)
    const tx = db.transaction(names, 'readonly')
    const stores: Record<string, unknown[]> = {}
    await Promise.all(
      names.map(
        (n) =>
          new Promise<void>((resolve) => {
            const req = tx.objectStore(n).getAll()
            req.onsuccess = () => {
              stores[n] = req.result
              resolve()
            }
          }),
      ),
    )
    db.close()
    const parts: string[] = []
    const walk = (v: unknown): void => {
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
        const b = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
        parts.push(String.fromCharCode(...b), new TextDecoder().decode(b))
      } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x)
    }
    for (const values of Object.values(stores)) {
      parts.push(JSON.stringify(values))
      walk(values)
    }
    const keys = (stores.meta as any[]).find((r) => r.key === 'crypto')
    const describe = async (k: CryptoKey) => ({
      isCryptoKey: k instanceof CryptoKey,
      extractable: k.extractable,
      algorithm: k.algorithm.name,
      usages: [...k.usages].sort(),
      exported: await crypto.subtle.exportKey('raw', k).then(
        () => 'exported',
        (e: DOMException) => e.name,
      ),
    })
    const shapes = Object.fromEntries(
      Object.entries(stores).map(([n, values]) => [n, values.map((v) => Object.keys(v as object).sort().join(','))]),
    )
    return { text: parts.join('\n'), counts: Object.fromEntries(Object.entries(stores).map(([n, v]) => [n, v.length])), shapes, aes: await describe(keys.aes), mac: await describe(keys.mac) }
  })

const readable = (text: string, names: readonly string[]) => names.filter((n) => text.includes(n))

describe('encryption at rest (built tacit.min.js, data-encrypt="true")', () => {
  it('a scripted session leaves no name in clear text, under a non-extractable key, and a reload decrypts it all', async () => {
    const context = await shopContext()
    const page = await context.newPage()
    await page.goto(`${server.url}${PATH}`)
    await ready(page)
    expect(await page.evaluate(() => (window as any).tacit.storage)).toBe('indexeddb')

    // A rest long enough for a hesitation, clicks, a rage click, a goal, a funnel step, a decision.
    await pointAt(page, '[data-tacit-item="sku-quokka-1"]', 0, 1300)
    await pointAt(page, '[data-tacit-item="sku-quokka-1"]', 2)
    await pointAt(page, '[data-tacit-item="sku-quokka-2"]', 1)
    await pointAt(page, '#nothing-button', 3)
    await page.waitForFunction(() => (window as any).__signals.some((s: any) => s.type === 'rage-click'))
    await pointAt(page, '#buy', 1)
    await page.evaluate(() => {
      const t = (window as any).tacit
      t.step('checkout-dingo', 'cart-step')
      t.decide('slot-echidna', ['calm', 'bold'])
    })
    const before = await profileOf(page) // writes what is pending, reads it back
    const types: string[] = [...new Set<string>(before.signals.map((s: any) => s.type))]
    expect(types).toEqual(expect.arrayContaining(['hesitation', 'rage-click']))
    expect(itemOf(before, 'sku-quokka-1')).toMatchObject({ clicks: 2, tags: ['tag-wombat', 'tag-numbat'] })

    const stored = await rawStorage(page)
    expect(readable(stored.text, [...NAMES, ...types])).toEqual([])
    // The helper the other browser tests use sees the same: nothing readable.
    expect(readable(JSON.stringify(await readDatabase(page)), [...NAMES, ...types])).toEqual([])
    // Something was stored, all of it sealed: hashed key, IV, ciphertext.
    expect(stored.counts).toMatchObject({ items: 2, tags: 3, outcomes: 1, funnels: 1, decisions: 1 })
    expect(stored.counts.signals).toBe(before.signals.length)
    expect(new Set(stored.shapes.items)).toEqual(new Set(['data,id,iv']))
    expect(new Set(stored.shapes.tags)).toEqual(new Set(['data,iv,tag']))
    expect(new Set(stored.shapes.signals)).toEqual(new Set(['data,iv']))
    expect(stored.aes).toEqual({ isCryptoKey: true, extractable: false, algorithm: 'AES-GCM', usages: ['decrypt', 'encrypt'], exported: 'InvalidAccessError' })
    expect(stored.mac).toEqual({ isCryptoKey: true, extractable: false, algorithm: 'HMAC', usages: ['sign'], exported: 'InvalidAccessError' })

    // A reload decrypts: the same profile, nothing dropped, and export() has it in the clear.
    await page.reload()
    await ready(page)
    const after = await profileOf(page)
    expect(after.storage).toBe('indexeddb')
    expect(after.health).toEqual({ droppedRecords: 0, expiredRecords: 0 })
    expect(itemOf(after, 'sku-quokka-1')).toMatchObject({ clicks: 2, hovers: before.items.find((i: any) => i.id === 'sku-quokka-1').hovers })
    expect(itemOf(after, 'sku-quokka-2')).toMatchObject({ clicks: 1, tags: ['tag-bilby'] })
    expect(after.outcomes).toEqual([expect.objectContaining({ goal: 'goal-platypus', count: 1, valueSum: 49 })])
    expect(after.signals.slice(0, before.signals.length)).toEqual(before.signals)
    expect(after.visitor.visits).toBe(1)
    expect(after.session.pages).toBe(2)
    const exported = JSON.parse(await page.evaluate(() => (window as any).tacit.export()))
    expect(exported.items.map((i: any) => i.id).sort()).toEqual(['sku-quokka-1', 'sku-quokka-2'])
    expect(exported.decisions.map((d: any) => d.slot)).toEqual(['slot-echidna'])
    expect(exported.funnels.map((f: any) => f.funnel)).toEqual(['checkout-dingo'])
    expect(readable((await rawStorage(page)).text, [...NAMES, ...types])).toEqual([])

    // erase() removes the database, keys included.
    await page.evaluate(() => (window as any).tacit.erase())
    expect(await readDatabase(page)).toBeNull()
    await context.close()
  })

  it('a tab closed right after activity keeps it: page hide seals one journal entry, the next page reads it', async () => {
    const context = await shopContext()
    // Each round: a new tab, activity, then the tab closes at once (no wait after the last
    // action), so the journal entry is sealed and added inside pagehide.
    const ROUNDS = 5
    for (let round = 1; round <= ROUNDS; round++) {
      const page = await context.newPage()
      await page.goto(`${server.url}${PATH}`)
      await ready(page)
      // Start-up work first: it folds the previous tab's entry, and a tab closed while that is
      // under way is another case (lifecycle.browser.test.ts).
      await profileOf(page)
      await expect.poll(async () => (await rawStorage(page)).counts.journal).toBe(0)
      await pointAt(page, '[data-tacit-item="sku-quokka-2"]', 1)
      await page.evaluate((r) => (window as any).tacit.track(`goal-platypus-${r}`), round)
      await page.close({ runBeforeUnload: true })
    }

    // Read before any Tacit starts again (the away page has no Tacit, so nothing folds the journal).
    const reader = await context.newPage()
    await reader.goto(`${server.url}/test/lifecycle-away.html`)
    const stored = await rawStorage(reader)
    expect(stored.counts.journal).toBe(1)
    expect(stored.shapes.journal).toEqual(['data,iv'])
    expect(readable(stored.text, [...NAMES, `goal-platypus-${ROUNDS}`])).toEqual([])

    const again = await context.newPage()
    await again.goto(`${server.url}${PATH}`)
    await ready(again)
    const profile = await profileOf(again)
    expect(profile.outcomes.map((o: any) => o.goal).sort()).toEqual(Array.from({ length: ROUNDS }, (_, i) => `goal-platypus-${i + 1}`))
    expect(itemOf(profile, 'sku-quokka-2')).toMatchObject({ clicks: ROUNDS })
    expect(profile.health.droppedRecords).toBe(0)
    await context.close()
  })

  it('four tabs writing at once add up: each write reads, merges and puts under the Web Lock', async () => {
    const context = await shopContext()
    const TABS = 4
    const TRACKS = 15
    const tabs = await Promise.all(Array.from({ length: TABS }, () => context.newPage()))
    await Promise.all(tabs.map((p) => p.goto(`${server.url}${TABS_PATH}`)))
    await Promise.all(tabs.map((p) => ready(p)))
    // Every tab tracks the same goal and the same item, flushing every 40 ms: the writes overlap.
    await Promise.all(
      tabs.map((p, tab) =>
        p.evaluate(
          async ([n, tab]) => {
            const t = (window as any).tacit
            for (let i = 0; i < n; i++) {
              t.track('goal-platypus', 1)
              await new Promise((r) => setTimeout(r, 10 + ((i * 7 + tab * 13) % 30)))
            }
            await t.profile()
          },
          [TRACKS, tab],
        ),
      ),
    )
    const reader = await context.newPage()
    await reader.goto(`${server.url}${PATH}`)
    await ready(reader)
    const profile = await profileOf(reader)
    expect(profile.outcomes).toEqual([expect.objectContaining({ goal: 'goal-platypus', count: TABS * TRACKS, valueSum: TABS * TRACKS })])
    expect(profile.health.droppedRecords).toBe(0)
    await context.close()
  })
})
