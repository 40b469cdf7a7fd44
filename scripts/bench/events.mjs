#!/usr/bin/env node
// Added script time per trusted input event, Tacit against no SDK on the session benchmark's shop
// page (issue 7): `node scripts/bench/events.mjs [--rounds 3] [--events 300] [--kinds move,...]
// [--bundle path/to/tacit.js] [--baseline path/to/other-build.js]` (build first: `npm run build`).
//
// A benchmark, not a test: it prints figures, and exits non-zero only when it cannot run.
//
// Each measurement is one fresh page of one variant (no SDK, Tacit, the baseline build if given),
// ready and settled, then `--events` trusted inputs of one kind through the Chrome DevTools
// Protocol, the renderer's script time (CDP Performance metrics, thread time) read before and
// after. The median of the rounds, minus the no-SDK page's, over the number of events, is what
// one event costs the page. Kinds:
//   move       the pointer moves from a product card to another (one pointerover each)
//   inside     the pointer moves about inside one card (a pointerover when it changes element)
//   clickAdd   a click on a card's Add button: a goal and a funnel step, answered by the page
//   clickDead  a click on a card's title: nothing answers it (a dead click after 2.5 s)
//   wheel      one wheel step, alternately down and up (scroll, dwell and scroll-depth)
// The bench:session run is the whole session; this one tells which events cost what, in minutes.
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'
import { READY_EXPRESSION, VIEWPORT } from './lib/sessionScript.mjs'
import { startSessionServer } from './lib/sessionServer.mjs'
import { median } from './lib/stats.mjs'
import { arg } from './lib/args.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const INSTRUMENT = fileURLToPath(new URL('./pages/session-instrument.js', import.meta.url))
const ROUNDS = Number(arg('rounds', 3))
const EVENTS = Number(arg('events', 300))
const KINDS = arg('kinds', 'move,inside,clickAdd,clickDead,wheel').split(',')
const BUNDLE = arg('bundle', `${root}packages/browser/dist/tacit.min.js`)
const BASELINE = arg('baseline', undefined)
const ALL_KINDS = ['move', 'inside', 'clickAdd', 'clickDead', 'wheel']
if (!(ROUNDS >= 1) || !(EVENTS >= 10) || KINDS.some((k) => !ALL_KINDS.includes(k))) {
  throw new Error(`--rounds at least 1, --events at least 10, --kinds among ${ALL_KINDS.join(', ')}`)
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const scriptMs = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return metrics.find((m) => m.name === 'ScriptDuration').value * 1000
}

/** One page of one variant: the script time that `EVENTS` inputs of `kind` added. */
const measure = async (browser, server, variant, kind) => {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    await context.addInitScript({ path: INSTRUMENT })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    await page.goto(`${server.url}/session.html?sdk=${variant}`, { waitUntil: 'load' })
    if (variant !== 'none') {
      const waited = await cdp.send('Runtime.evaluate', { expression: READY_EXPRESSION.sdk, awaitPromise: true })
      if (waited.exceptionDetails) throw new Error(`${variant}: ${waited.exceptionDetails.text}`)
    }
    await sleep(1500)
    const centres = (selector) =>
      page.evaluate((s) => [...document.querySelectorAll(s)].slice(0, 12).map((e) => { const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2] }), selector)
    const [cards, adds, titles] = await Promise.all([centres('#grid > li'), centres('#grid .add'), centres('#grid h3')])
    // Warm-up: the handlers' first runs (compilation) are not what an event of a session costs.
    for (let i = 0; i < 100; i++) await page.mouse.move(cards[i % cards.length][0] + (i % 3) * 10, cards[i % cards.length][1] + (i % 5) * 10)
    await sleep(300)
    const before = await scriptMs(cdp)
    for (let i = 0; i < EVENTS; i++) {
      if (kind === 'move') {
        const [x, y] = cards[(i * 7) % cards.length]
        await page.mouse.move(x + ((i * 13) % 40) - 20, y + ((i * 17) % 60) - 30)
      } else if (kind === 'inside') {
        await page.mouse.move(cards[0][0] + ((i * 13) % 80) - 40, cards[0][1] + ((i * 17) % 100) - 50)
      } else if (kind === 'wheel') {
        await page.mouse.wheel(0, i % 2 ? 40 : -40)
      } else {
        const [x, y] = (kind === 'clickAdd' ? adds : titles)[i % 12]
        await page.mouse.click(x, y)
        await sleep(30) // clicks a person makes, not a burst (a burst is a rage click)
      }
    }
    await sleep(300)
    return (await scriptMs(cdp)) - before
  } finally {
    await context.close()
  }
}

const main = async () => {
  const server = await startSessionServer({ bundle: readFileSync(BUNDLE), baseline: BASELINE ? readFileSync(BASELINE) : undefined })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const variants = BASELINE ? ['none', 'tacit', 'baseline'] : ['none', 'tacit']
  console.log(`Events benchmark: Chromium ${browser.version()} headless, ${ROUNDS} rounds x ${KINDS.length} kinds x ${variants.length} variants, ${EVENTS} events per page; ${BUNDLE}${BASELINE ? ` against ${BASELINE}` : ''}`)
  const load = loadavg()[0]
  const ms = {}
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of KINDS) for (const variant of variants) (ms[`${kind} ${variant}`] ??= []).push(await measure(browser, server, variant, kind))
    }
  } finally {
    await browser.close()
    await server.close()
  }
  console.log('\nAdded script time per event over no SDK (medians of the rounds; script ms per page in brackets):')
  for (const kind of KINDS) {
    const none = median(ms[`${kind} none`])
    const per = (variant) => ((median(ms[`${kind} ${variant}`]) - none) / EVENTS) * 1000
    const rounds = (variant) => ms[`${kind} ${variant}`].map((x) => x.toFixed(1)).join(', ')
    let line = `  ${kind.padEnd(10)} Tacit ${per('tacit').toFixed(1).padStart(6)} µs [${rounds('tacit')}]`
    if (BASELINE) line += `   baseline ${per('baseline').toFixed(1).padStart(6)} µs [${rounds('baseline')}]   Tacit/baseline ${(per('tacit') / per('baseline')).toFixed(2)}`
    console.log(`${line}   (no SDK [${rounds('none')}])`)
  }
  console.log(`\nmachine: ${cpus().length} CPUs, load average ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`)
}

main().catch((error) => {
  console.error('events benchmark failed:', error)
  process.exit(1)
})
