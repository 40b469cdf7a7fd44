#!/usr/bin/env node
// Event storm (issue 6, "Load and growth"): 10,000 pointer moves and 1,000 scroll events a second
// for 10 seconds, on a page of 160 tracked items, with and without tacit.min.js (consent
// granted), in headless Chromium.
//
//   node scripts/bench/storm.mjs [--runs 3] [--seconds 10] [--moves 10000] [--scrolls 1000] [--bundle path]
//
// A benchmark, not a test: it prints figures and ratios against the no-SDK runs beside them. Its
// one check is a sanity check without units: the ring of recent signals stays within its cap
// (recentSignals, 500) in memory and in IndexedDB; if it does not, the exit code is 1.
//
// The storm comes from a page script (pages/storm.html): synthetic events, since no input path
// delivers 10,000 moves a second (Chromium coalesces trusted moves to one per frame). The page
// plays the browser's part: pointermove/mousemove on the element under a virtual pointer, and
// pointerout/over and mouseout/over each time that element changes; each tick also really
// scrolls the page and dispatches the rest of the scroll events on the document. The generator
// costs the same with and without Tacit, so the difference between the paired runs is Tacit's.
//
// Per run (a fresh browser context: empty storage): load, wait for `tacit.ready` (or the load
// event without Tacit), 1 s to settle, then a snapshot; the first half of the storm, a snapshot;
// the second half; 3 s for the last writes (flushIntervalMs is 2 s) and idle work; a last
// snapshot. Heap growth in the second half beside the first tells a plateau from a leak. A snapshot forces garbage
// collection twice, then reads the DevTools protocol's Performance metrics: JSHeapUsedSize, and
// ScriptDuration and TaskDuration in thread time (CPU time of the page's main thread, which a
// shared machine does not inflate). Rounds alternate: none, tacit, none, tacit...
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startServer } from '../serve.mjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'
import { median, pairedMedian, range } from './lib/stats.mjs'
import { arg } from './lib/args.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const PAGES = fileURLToPath(new URL('./pages/', import.meta.url))
const VIEWPORT = { width: 1280, height: 800 }
const SETTLE_MS = 1000
const END_MS = 3000
const RING_CAP = 500 // recentSignals, the default of options.ts

const RUNS = Number(arg('runs', 3))
const STORM = { seconds: Number(arg('seconds', 10)), moves: Number(arg('moves', 10000)), scrolls: Number(arg('scrolls', 1000)) }
const BUNDLE = arg('bundle', `${root}packages/browser/dist/tacit.min.js`)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const MiB = 1024 * 1024

/** Heap after forced garbage collection, and main-thread times so far (ms of thread time). */
const snapshot = async (cdp) => {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]))
  return { heapBytes: m.JSHeapUsedSize, scriptMs: m.ScriptDuration * 1000, taskMs: m.TaskDuration * 1000 }
}

/** What Tacit keeps after the storm: the ring in memory and in IndexedDB (after a write). */
const ringOf = (page) =>
  page.evaluate(async () => {
    const profile = await window.tacit.profile() // writes what is pending, then reads back
    const ring = await new Promise((resolve, reject) => {
      const req = indexedDB.open('tacit')
      req.onerror = () => reject(req.error)
      req.onsuccess = () => {
        const db = req.result
        const tx = db.transaction(['signals', 'journal'], 'readonly')
        const count = tx.objectStore('signals').count()
        const journal = tx.objectStore('journal').getAll()
        tx.oncomplete = () => {
          db.close()
          resolve({ stored: count.result, journalled: journal.result.reduce((a, e) => a + e.signals.length, 0) })
        }
      }
    })
    return { emitted: window.__signals, inMemory: profile.signals.length, items: profile.items.length, tags: profile.tags.length, ...ring }
  })

const runOnce = async (browser, url, variant) => {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    if (variant === 'none') {
      await context.route('**/storm.html', async (route) => {
        const res = await route.fetch()
        const html = await res.text()
        const body = html.replace(/<script src="\/tacit\.min\.js"[^>]*><\/script>/, '')
        if (body === html) throw new Error('storm.html: the tacit.min.js tag was not found')
        await route.fulfill({ response: res, body })
      })
    } else {
      await context.route('**/tacit.min.js', (route) => route.fulfill({ body: readFileSync(BUNDLE), contentType: 'text/javascript' }))
    }
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()))
    const cdp = await context.newCDPSession(page)
    // Thread time, not wall time: a busy machine would otherwise inflate every figure.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    await page.goto(url, { waitUntil: 'load' })
    if (variant === 'tacit') {
      await page.waitForFunction(() => !Array.isArray(window.tacit), null, { timeout: 30_000 })
      await page.evaluate(() => window.tacit.ready)
    }
    await sleep(SETTLE_MS)
    const start = await snapshot(cdp)
    // Two halves with a snapshot between: growth that goes on in the second half is not bounded.
    const half = { ...STORM, seconds: STORM.seconds / 2 }
    const first = await page.evaluate((o) => window.__storm(o), half)
    const mid = await snapshot(cdp)
    const second = await page.evaluate((o) => window.__storm(o), half)
    await sleep(END_MS)
    const end = await snapshot(cdp)
    const storm = Object.fromEntries(Object.keys(first).map((k) => [k, first[k] + second[k]]))
    const ring = variant === 'tacit' ? await ringOf(page) : undefined
    return { variant, start, mid, end, storm, ring, errors: [...new Set(errors)] }
  } finally {
    await context.close()
  }
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
const signed = (x, digits = 1) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : 'n/a')
const kib = (bytes) => bytes / 1024

const main = async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`)
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\``)
  const server = await startServer({ mounts: { '/bench/': PAGES } })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  const url = `${server.url}/bench/storm.html`
  console.log(`Event storm: ${STORM.moves} pointer moves/s and ${STORM.scrolls} scroll events/s for ${STORM.seconds} s, ${RUNS} round(s)`)
  console.log(`machine: ${cpus().length} CPUs, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}; bundle ${BUNDLE.replace(root, '')}\n`)
  const runs = { none: [], tacit: [] }
  try {
    for (let round = 0; round < RUNS; round++) {
      for (const variant of ['none', 'tacit']) {
        const r = await runOnce(browser, url, variant)
        runs[variant].push(r)
        const s = r.storm
        console.log(
          `round ${round + 1} ${variant.padEnd(5)}  storm ${fmt(s.ms / 1000, 2)} s: ${s.moves} moves, ${s.scrolls} scrolls (+${s.delivered - s.scrolls} real), ` +
            `${s.crossings} element crossings, ${s.ticks} ticks | script ${fmt(r.end.scriptMs - r.start.scriptMs, 0)} ms, ` +
            `heap ${fmt(r.start.heapBytes / MiB, 2)} -> ${fmt(r.mid.heapBytes / MiB, 2)} -> ${fmt(r.end.heapBytes / MiB, 2)} MiB` +
            (r.ring ? ` | signals emitted ${r.ring.emitted}, ring ${r.ring.inMemory} in memory / ${r.ring.stored} stored` : '') +
            (r.errors.length ? ` | page errors: ${r.errors.join('; ')}` : ''),
        )
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }

  const { none, tacit } = runs
  const growth = (r) => r.end.heapBytes - r.start.heapBytes
  const script = (r) => r.end.scriptMs - r.start.scriptMs
  const task = (r) => r.end.taskMs - r.start.taskMs
  const m = (xs, f) => median(xs.map(f))
  const addedGrowth = pairedMedian(tacit.map(growth), none.map(growth))
  const addedScript = pairedMedian(tacit.map(script), none.map(script))
  const addedTask = pairedMedian(tacit.map(task), none.map(task))
  const addedHeapEnd = pairedMedian(tacit.map((r) => r.end.heapBytes), none.map((r) => r.end.heapBytes))
  const events = STORM.seconds * (STORM.moves + STORM.scrolls)

  console.log('\nMedians over rounds (storm + 3 s after it; thread time; heap after forced GC)')
  console.log('                        no SDK        Tacit     Tacit added   ratio Tacit/no SDK')
  const row = (label, a, b, added, unit, digits = 0) =>
    console.log(`${label.padEnd(22)} ${fmt(a, digits).padStart(8)} ${fmt(b, digits).padStart(12)} ${signed(added, digits).padStart(12)} ${unit.padEnd(4)} ${fmt(b / a, 2).padStart(6)}`)
  row('script time', m(none, script), m(tacit, script), addedScript, 'ms')
  row('task time', m(none, task), m(tacit, task), addedTask, 'ms')
  row('heap growth', kib(m(none, growth)), kib(m(tacit, growth)), kib(addedGrowth), 'KiB')
  row('heap growth 1st half', kib(m(none, (r) => r.mid.heapBytes - r.start.heapBytes)), kib(m(tacit, (r) => r.mid.heapBytes - r.start.heapBytes)), kib(pairedMedian(tacit.map((r) => r.mid.heapBytes - r.start.heapBytes), none.map((r) => r.mid.heapBytes - r.start.heapBytes))), 'KiB')
  row('heap growth 2nd half', kib(m(none, (r) => r.end.heapBytes - r.mid.heapBytes)), kib(m(tacit, (r) => r.end.heapBytes - r.mid.heapBytes)), kib(pairedMedian(tacit.map((r) => r.end.heapBytes - r.mid.heapBytes), none.map((r) => r.end.heapBytes - r.mid.heapBytes))), 'KiB')
  row('heap at the end', kib(m(none, (r) => r.end.heapBytes)), kib(m(tacit, (r) => r.end.heapBytes)), kib(addedHeapEnd), 'KiB')
  const [lo, hi] = range(tacit.map((r, i) => script(r) - script(none[i])))
  console.log(`\nTacit's added script time: ${fmt(addedScript, 0)} ms over ${events.toLocaleString('en')} events ` +
    `(${fmt((addedScript * 1000) / events, 2)} µs an event; rounds ${fmt(lo, 0)} to ${fmt(hi, 0)} ms), ` +
    `${fmt((addedScript / (STORM.seconds * 1000)) * 100, 1)}% of the storm's ${STORM.seconds} s`)
  console.log(`Tacit's added heap growth: ${fmt(kib(addedGrowth), 0)} KiB; retained at the end, beside the page without it: ${fmt(kib(addedHeapEnd), 0)} KiB`)

  // The one check: the ring of recent signals stays within its cap.
  const rings = tacit.map((r) => r.ring)
  const worst = Math.max(...rings.map((r) => Math.max(r.inMemory, r.stored)))
  const ok = worst <= RING_CAP
  console.log(
    `\nRing of recent signals (cap ${RING_CAP}): emitted per run ${rings.map((r) => r.emitted).join(', ')}; ` +
      `kept in memory ${rings.map((r) => r.inMemory).join(', ')}; in IndexedDB ${rings.map((r) => r.stored).join(', ')} ` +
      `(+${rings.map((r) => r.journalled).join(', ')} journalled); items ${rings[0]?.items}, tags ${rings[0]?.tags} -> ${ok ? 'bounded' : 'OVER THE CAP'}`,
  )
  if (!ok) process.exitCode = 1
}

main().catch((error) => {
  console.error(error)
  process.exit(2)
})
