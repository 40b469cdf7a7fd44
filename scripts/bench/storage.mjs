#!/usr/bin/env node
// Storage cost of the built script tag (packages/browser/dist/tacit.min.js) in headless
// Chromium: `node scripts/bench/storage.mjs [--seconds 60] [--days 90] [--cards 200]`
// (build first: `npm run build`; `--days 0` or `--seconds 0` skips a part).
//
// A benchmark, not a test (issue 7, item 5): it prints figures and exits non-zero only when it
// cannot run. Two parts, each in a fresh browser context (a first visit: empty storage):
//
//  1. IndexedDB transactions in a busy session. pages/storage.html is a shop page (`--cards`
//     product cards with tags, a decided hero slot, a newsletter form, add-to-cart goals and a
//     checkout funnel step). For `--seconds` (default 60) trusted mouse, wheel and keyboard input
//     runs without pause: the pointer glides to a card in view and rests on it (every sixth time
//     long enough to be a hesitation), every fourth card is added to the cart, the page scrolls,
//     the email field is typed into, a status line is rage-clicked, the hero link clicked. Every
//     `IDBDatabase.prototype.transaction` call is counted by an init script that runs before
//     Tacit, with its mode and stores, and every put/add/delete with the JSON size of what was
//     written. Printed per minute (a shorter run is extrapolated), beside the design's ceiling
//     (one write per `flushIntervalMs`, 5 s by default, and one per hide), then what hiding the page adds.
//  2. The database after 90 days. An init script shifts `Date` by `?day=N` days, so each page
//     load is a day later: one visit a day (24 products from a catalogue of 900, rotating so a
//     product returns every 37.5 days; hovers, a hesitation, two add-to-carts, a scroll, the hero;
//     every third day the form), then the page is left (pagehide). After the last day, one more
//     load folds the journal and applies retention; then pages/storage-size.html reads every
//     record back without Tacit: JSON bytes per store, and navigator.storage.estimate().
//     packages/core/test/profile/ninetyDays.test.ts runs a heavier simulation (two visits a day)
//     with fake-indexeddb and asserts a size bound; this is the same question in a real browser.
import { existsSync, statSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { resolveOptions } from '../../packages/core/dist/index.js'
import { startServer } from '../serve.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLE = `${root}packages/browser/dist/tacit.min.js`
// The defaults, from the built @tacit/core (the storage page sets neither).
const { flushIntervalMs: FLUSH_INTERVAL_MS, retentionDays: RETENTION_DAYS } = resolveOptions({})
const DAY = 86_400_000

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const SECONDS = arg('seconds', 60)
const DAYS = arg('days', 90)
const CARDS = arg('cards', 200)

const kb = (n) => `${(n / 1024).toFixed(1)} KB`

/**
 * Runs in every page before its scripts. `?day=N` moves the clock N days ahead (Date.now and
 * `new Date()`, which is all Tacit reads). Counts IndexedDB transactions and writes.
 */
const instrument = () => {
  const day = /[?&]day=(\d+)/.exec(location.search)
  if (day) {
    const shift = Number(day[1]) * 86_400_000
    const RealDate = Date
    class ShiftedDate extends RealDate {
      constructor(...args) {
        super(...(args.length ? args : [RealDate.now() + shift]))
      }
      static now() {
        return RealDate.now() + shift
      }
    }
    window.Date = ShiftedDate
  }
  const bench = (window.__storage = { tx: [], writes: { put: 0, add: 0, delete: 0, bytes: 0, byStore: {} } })
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const tx = transaction.call(this, stores, mode, ...rest)
    const record = { at: performance.now(), mode: mode || 'readonly', stores: typeof stores === 'string' ? [stores] : Array.from(stores), ms: undefined, ok: undefined }
    bench.tx.push(record)
    tx.addEventListener('complete', () => {
      record.ms = performance.now() - record.at
      record.ok = true
    })
    tx.addEventListener('abort', () => {
      record.ms = performance.now() - record.at
      record.ok = false
    })
    return tx
  }
  const size = (value) => {
    try {
      return JSON.stringify(value)?.length ?? 0
    } catch {
      return 0
    }
  }
  for (const op of ['put', 'add']) {
    const original = IDBObjectStore.prototype[op]
    IDBObjectStore.prototype[op] = function (value, ...rest) {
      const bytes = size(value)
      bench.writes[op]++
      bench.writes.bytes += bytes
      bench.writes.byStore[this.name] = (bench.writes.byStore[this.name] || 0) + bytes
      return original.call(this, value, ...rest)
    }
  }
  const del = IDBObjectStore.prototype.delete
  IDBObjectStore.prototype.delete = function (...args) {
    bench.writes.delete++
    return del.apply(this, args)
  }
}

/** What a transaction is for, from its mode and stores (see packages/core/src/profile/idbStore.ts). */
const kindOf = (tx) => {
  if (tx.mode !== 'readwrite') return tx.stores.length > 1 ? 'read of every store (start-up, profile())' : `read of ${tx.stores.join(', ')}`
  if (tx.stores.length === 1 && tx.stores[0] === 'journal') return 'journal append (a write, or the page hiding)'
  if (tx.stores.length === 2 && tx.stores.includes('journal') && tx.stores.includes('models')) return 'journal append with model changes (a write)'
  if (tx.stores.includes('journal')) return 'journal fold (idle: after start-up, every 12 writes, profile())'
  return 'write of a batch (builds before journal appends; stale records deleted)'
}

const summarise = (txs) => {
  const by = new Map()
  for (const tx of txs) {
    const k = kindOf(tx)
    const e = by.get(k) ?? { n: 0, ms: [] }
    e.n++
    if (tx.ms !== undefined) e.ms.push(tx.ms)
    by.set(k, e)
  }
  return [...by].map(([k, e]) => {
    const sorted = e.ms.sort((a, b) => a - b)
    return { kind: k, n: e.n, p50: sorted[Math.floor((sorted.length - 1) / 2)] }
  })
}

const readyIn = (page) => page.waitForFunction(() => window.tacit && window.tacit.ready && window.tacit.version, null, { timeout: 30_000 }).then(() => page.evaluate(() => window.tacit.ready))

/** Card centres in the viewport, as the person sees them. */
const cardsInView = (page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('.card'))
      .map((el) => {
        const r = el.getBoundingClientRect()
        const b = el.querySelector('button').getBoundingClientRect()
        return { id: el.dataset.tacitItem, x: r.left + r.width / 2, y: r.top + 40, button: { x: b.left + b.width / 2, y: b.top + b.height / 2 }, visible: r.top >= 0 && r.bottom <= innerHeight }
      })
      .filter((c) => c.visible),
  )

const hideAndShow = () => {
  const set = (state) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }
  set('hidden')
}

/** Part 1: a busy session of `seconds`, trusted input all the way. */
const busySession = async (browser, base) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  await context.addInitScript(instrument)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${base}/storage.html?cards=${CARDS}`)
  await readyIn(page)
  // Start-up transactions (the first visit: an empty database) happen before the window.
  await page.waitForTimeout(1500)
  const from = await page.evaluate(() => performance.now())
  const inputs = { moves: 0, hovers: 0, hesitations: 0, clicks: 0, keys: 0, wheels: 0 }
  const started = Date.now()
  let down = true
  for (let k = 0; Date.now() - started < SECONDS * 1000; k++) {
    const cards = await cardsInView(page)
    if (cards.length) {
      const card = cards[(k * 7) % cards.length]
      await page.mouse.move(card.x, card.y, { steps: 8 })
      inputs.moves += 8
      inputs.hovers++
      const hesitation = k % 6 === 5
      if (hesitation) inputs.hesitations++
      await page.waitForTimeout(hesitation ? 1200 : 250)
      if (k % 4 === 3) {
        await page.mouse.click(card.button.x, card.button.y)
        inputs.clicks++
      }
    }
    if (k % 3 === 2) {
      // Down the page and back up, a wheel notch at a time.
      const atBottom = await page.evaluate(() => innerHeight + scrollY >= document.documentElement.scrollHeight - 2)
      const atTop = await page.evaluate(() => scrollY <= 0)
      if (atBottom) down = false
      if (atTop) down = true
      await page.mouse.wheel(0, down ? 400 : -400)
      inputs.wheels++
    }
    if (k % 15 === 14) {
      await page.evaluate(() => scrollTo(0, 0))
      await page.click('input[name=email]')
      await page.keyboard.type('someone@example.org', { delay: 30 })
      inputs.keys += 19
      inputs.clicks++
    }
    if (k % 20 === 19) {
      const box = await page.locator('#status').boundingBox()
      for (let i = 0; i < 3; i++) await page.mouse.click(box.x + 5, box.y + 5, { delay: 20 })
      inputs.clicks += 3
    }
    if (k % 25 === 24) {
      await page.evaluate(() => scrollTo(0, 0))
      const link = page.locator('#hero a')
      if (await link.count()) {
        await link.first().click()
        inputs.clicks++
      }
    }
  }
  const to = await page.evaluate(() => performance.now())
  await page.evaluate(`(${hideAndShow})()`)
  await page.waitForTimeout(1500)
  const r = await page.evaluate(({ from, to }) => {
    const s = window.__storage
    return { during: s.tx.filter((t) => t.at >= from && t.at < to), atStart: s.tx.filter((t) => t.at < from), onHide: s.tx.filter((t) => t.at >= to), writes: s.writes, storage: window.tacit.storage }
  }, { from, to })
  await context.close()
  return { ...r, ms: to - from, inputs, errors }
}

/** Part 2: one short visit a day for `days` days, then the database read back. */
const ninetyDays = async (browser, base) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  await context.addInitScript(instrument)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  const perDay = []
  const growth = []
  const measure = async (day) => {
    await page.goto(`${base}/storage-size.html?day=${day}`)
    await page.waitForFunction(() => window.__size !== null, null, { timeout: 30_000 })
    const size = await page.evaluate(() => window.__size)
    if (size.error) throw new Error(`reading the database: ${size.error}`)
    return size
  }
  for (let day = 0; day <= DAYS; day++) {
    await page.goto(`${base}/storage.html?day=${day}&cards=24&offset=${(day * 24) % 900}`)
    await readyIn(page)
    await page.waitForTimeout(300) // the journal fold, in idle time
    if (day < DAYS) {
      const cards = await cardsInView(page)
      for (let k = 0; k < Math.min(6, cards.length); k++) {
        await page.mouse.move(cards[k].x, cards[k].y, { steps: 4 })
        await page.waitForTimeout(k === 5 ? 1100 : 150)
      }
      for (const k of [1, 4]) if (cards[k]) await page.mouse.click(cards[k].button.x, cards[k].button.y)
      await page.mouse.wheel(0, 400)
      if (day % 3 === 0) {
        await page.click('input[name=email]')
        await page.keyboard.type('me@example.org')
      }
      await page.evaluate(() => scrollTo(0, 0))
      const link = page.locator('#hero a')
      if (day % 2 === 0 && (await link.count())) await link.first().click()
      await page.waitForTimeout(200)
    } else await page.waitForTimeout(1500) // the last load: retention and the journal fold only
    perDay.push(await page.evaluate(() => window.__storage.tx.length))
    if (day > 0 && day % 30 === 0 && day < DAYS) {
      const s = await measure(day)
      growth.push([day, Object.values(s.stores).reduce((a, b) => a + b.bytes, 0)])
    }
  }
  const size = await measure(DAYS)
  await context.close()
  return { size, perDay, growth, errors }
}

const main = async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is not built: run \`npm run build\` first`)
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`)
  const server = await startServer({ mounts: { '/bench/': fileURLToPath(new URL('./pages/', import.meta.url)) } })
  const loadStart = loadavg()[0]
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    const base = `${server.url}/bench`
    console.log(`Tacit storage benchmark: Chromium ${browser.version()} headless, tacit.min.js ${(statSync(BUNDLE).size / 1024).toFixed(0)} KB`)
    console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadStart.toFixed(1)} at start`)
    console.log('')

    if (SECONDS > 0) {
      const s = await busySession(browser, base)
      if (s.storage !== 'indexeddb') throw new Error(`Tacit did not persist in the busy session (storage: ${s.storage})`)
      const minutes = s.ms / 60_000
      const writes = s.during.filter((t) => t.mode === 'readwrite')
      const i = s.inputs
      console.log(
        `Busy session: ${(s.ms / 1000).toFixed(1)} s of trusted input on ${CARDS} cards (${i.moves} pointer moves, ${i.hovers} hovers of which ${i.hesitations} hesitations, ` +
          `${i.clicks} clicks, ${i.keys} keys, ${i.wheels} wheel scrolls)${SECONDS < 60 ? `; per-minute figures extrapolated from ${SECONDS} s` : ''}`,
      )
      console.log(
        `  IndexedDB transactions: ${s.during.length} in the session = ${(s.during.length / minutes).toFixed(1)} per minute ` +
          `(${(writes.length / minutes).toFixed(1)} read-write); the design's ceiling is ${60_000 / FLUSH_INTERVAL_MS} writes per minute (one per flushIntervalMs) plus one per hide`,
      )
      for (const k of summarise(s.during)) console.log(`    ${String(k.n).padStart(4)}  ${k.kind}, median ${k.p50 === undefined ? 'n/a' : `${k.p50.toFixed(1)} ms`} from start to commit`)
      const failed = s.during.filter((t) => t.ok === false).length
      if (failed) console.log(`    ${failed} aborted`)
      console.log(`  at start-up (before the session window): ${s.atStart.length} (${summarise(s.atStart).map((k) => `${k.n} ${k.kind}`).join(', ')})`)
      console.log(`  hiding the page added: ${s.onHide.length} (${summarise(s.onHide).map((k) => `${k.n} ${k.kind}`).join(', ') || 'none'})`)
      console.log(`  written, whole run: ${s.writes.put} puts, ${s.writes.add} adds, ${s.writes.delete} deletes, ${kb(s.writes.bytes)} of JSON = ${kb(s.writes.bytes / (minutes || 1))} per minute`)
      const byStore = Object.entries(s.writes.byStore).sort((a, b) => b[1] - a[1])
      console.log(`    by store: ${byStore.map(([k, v]) => `${k} ${kb(v)}`).join(', ')}`)
      if (s.errors.length) console.log(`  page errors: ${[...new Set(s.errors)].join(' | ')}`)
      console.log('')
    }

    if (DAYS > 0) {
      const d = await ninetyDays(browser, base)
      const total = Object.values(d.size.stores).reduce((a, b) => a + b.bytes, 0)
      const records = Object.values(d.size.stores).reduce((a, b) => a + b.records, 0)
      const txPerVisit = d.perDay.slice(0, DAYS)
      console.log(`${DAYS} days, one visit a day (24 products a day from a catalogue of 900, retentionDays ${RETENTION_DAYS}), then one more load:`)
      console.log(`  database: ${kb(total)} of JSON in ${records} records`)
      console.log(`    ${Object.entries(d.size.stores).map(([k, v]) => `${k} ${v.records} (${kb(v.bytes)})`).join(', ')}`)
      if (d.growth.length) console.log(`  growth: ${d.growth.map(([day, b]) => `day ${day} ${kb(b)}`).join(', ')}, day ${DAYS} ${kb(total)}`)
      const e = d.size.estimate
      console.log(
        e
          ? `  navigator.storage.estimate(): usage ${kb(e.usage)}${e.indexedDB !== undefined ? `, of which IndexedDB ${kb(e.indexedDB)}` : ''} (the browser's own accounting: on-disk format, not JSON)`
          : '  navigator.storage.estimate(): not available',
      )
      const oldest = Object.entries(d.size.oldest).map(([k, t]) => `${k} ${((d.size.now - t) / DAY).toFixed(1)} days`)
      if (d.size.journal.length) console.log(`  journal entries (appended when the last page was left): ${d.size.journal.map((e) => `${kb(e.bytes)} (${e.items} items, ${e.signals} signals, ${e.models} models)`).join('; ')}`)
      console.log(`  oldest record left, by store: ${oldest.join(', ')} (retention keeps ${RETENTION_DAYS} days)`)
      const sorted = [...txPerVisit].sort((a, b) => a - b)
      console.log(`  IndexedDB transactions per daily visit: median ${sorted[Math.floor((sorted.length - 1) / 2)]}, max ${sorted[sorted.length - 1]}`)
      if (d.errors.length) console.log(`  page errors: ${[...new Set(d.errors)].join(' | ')}`)
    }
    const load = loadavg()[0]
    console.log('')
    console.log(`load average at the end ${load.toFixed(1)}; these figures are counts and sizes, which a busy machine changes little.`)
  } finally {
    await browser.close()
    await server.close()
  }
}

main().catch((error) => {
  console.error(`storage benchmark failed: ${error instanceof Error ? error.stack || error.message : error}`)
  process.exitCode = 1
})
