#!/usr/bin/env node
// Main-thread cost of a real session (issue 7, item 2): the same shop page with no SDK, with
// tacit.min.js (every feature on, consent granted) and with posthog-js (autocapture, heatmaps,
// rage and dead clicks, page leave; its endpoints are a stub on this machine), in headless
// Chromium with trusted input.
//
//   node scripts/bench/session.mjs [--runs 5] [--moves 2000] [--profile] [--bundle path/to/tacit.js]
//     [--baseline path/to/other/tacit.js]
//   (--runs 0 --profile: only the profiled Tacit run; --bundle: another build, e.g. unminified;
//   --baseline: a fourth variant, another build of Tacit, run in the same rounds right after
//   `tacit`, and the difference between the two printed: how to tell whether a change moved the
//   figure, when the machine's drift between two separate runs is larger than the change)
//
// A benchmark, not a test: it prints figures and the targets of the issue, and exits non-zero only
// when it cannot run, never on a missed target. Results also go to test-results/bench-session.json.
//
// Each round runs the variants in turn (none, tacit, posthog), each in a fresh browser context
// (a first visit: empty storage), with the same session (lib/sessionScript.mjs). Per run:
// - script and task time (ScriptDuration, TaskDuration of the DevTools protocol's Performance
//   metrics, in thread time: CPU time of the page's renderer main thread, which a busy machine
//   does not inflate), at load (once the SDK is ready and 1 s after) and at the end (after the
//   page hid and 1.5 s for its last writes or beacons);
// - the JS heap after a forced garbage collection, at load and at the end;
// - long tasks (the Long Tasks API) and long animation frames whose scripts came from the SDK
//   (wall time: on a machine busier than its CPUs these also count time spent waiting);
// - requests the page made other than its own files and the SDK's script tag;
// - for the SDKs, the time from navigation start to ready (Tacit: `tacit.ready` resolved;
//   posthog-js: its `loaded` callback).
// The added cost of an SDK is the median over rounds of (SDK run - no-SDK run of the same round).
//
// --profile adds one Tacit run under the sampling profiler, prints where Tacit's time goes, and
// writes the profiles to test-results/bench-session-{load,session}.cpuprofile (for DevTools).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'
import { excerpt, selfTimes, startProfile, stopProfile } from './lib/cpuProfile.mjs'
import { END_MS, READY_EXPRESSION, runSession, SETTLE_MS, VIEWPORT } from './lib/sessionScript.mjs'
import { startSessionServer, VARIANTS as SDK_VARIANTS } from './lib/sessionServer.mjs'
import { median, pairedMedian, range } from './lib/stats.mjs'
import { arg } from './lib/args.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const INSTRUMENT = fileURLToPath(new URL('./pages/session-instrument.js', import.meta.url))
const OUT = `${root}test-results/bench-session.json`
const TARGETS = { scriptShareOfPosthog: 1 / 5, aimShareOfPosthog: 1 / 10, longTasks: 0, heapBytes: 1024 * 1024, requests: 0 }

const RUNS = Number(arg('runs', 5))
const MOVES = Number(arg('moves', 2000))
const PROFILE = process.argv.includes('--profile')
const BUNDLE = arg('bundle', `${root}packages/browser/dist/tacit.min.js`)
const BASELINE = arg('baseline', undefined)
const POSTHOG = `${root}node_modules/posthog-js`

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const MiB = 1024 * 1024

/** The SDK's own files, told apart from the page's by path. */
const SDK_SCRIPT = { none: null, tacit: '/tacit.min.js', baseline: '/tacit-baseline.min.js', posthog: '/ph/static/array.js' }
const SDK_SOURCES = {
  none: () => false,
  tacit: (url) => url.includes('/tacit.min.js'),
  baseline: (url) => url.includes('/tacit-baseline.min.js'),
  posthog: (url) => url.includes('/ph/'),
}
/** The variants of each round, in order: `baseline` right after `tacit` when given. */
const VARIANTS = BASELINE ? SDK_VARIANTS.flatMap((v) => (v === 'tacit' ? [v, 'baseline'] : [v])) : SDK_VARIANTS

/** The metrics of the page's renderer after a forced garbage collection. */
const snapshot = async (cdp) => {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]))
  return {
    scriptMs: m.ScriptDuration * 1000,
    taskMs: m.TaskDuration * 1000,
    layoutMs: (m.LayoutDuration + m.RecalcStyleDuration) * 1000,
    heapBytes: m.JSHeapUsedSize,
  }
}

/** One page load and session of one variant, in a fresh context. */
const runOnce = async ({ browser, server, variant, profile = false }) => {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    await context.addInitScript({ path: INSTRUMENT })
    const page = await context.newPage()
    const requests = []
    page.on('request', (r) => requests.push(r.url()))
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text())
    })
    const cdp = await context.newCDPSession(page)
    // Thread time, not wall time: on a shared machine a busy CPU would otherwise inflate every
    // figure by the time the main thread waited to be scheduled.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    server.stub.reset()
    const profiles = []
    if (profile) await startProfile(cdp)
    const started = Date.now()
    await page.goto(`${server.url}/session.html?sdk=${variant}`, { waitUntil: 'load' })
    // Waits over CDP, in every variant alike: page.waitForFunction would inject Playwright's own
    // helper script (about 0.5 MiB of heap) into the page, charged to the SDK variants only.
    const waited = await cdp.send('Runtime.evaluate', { expression: READY_EXPRESSION[variant === 'none' ? 'none' : 'sdk'], awaitPromise: true })
    if (waited.exceptionDetails) throw new Error(`${variant}: ${waited.exceptionDetails.exception?.description ?? waited.exceptionDetails.text}`)
    await sleep(SETTLE_MS)
    if (profile) profiles.push(await stopProfile(cdp))
    const load = await snapshot(cdp)
    if (profile) await startProfile(cdp)
    const counts = await runSession(page, { moves: MOVES })
    await sleep(END_MS)
    if (profile) profiles.push(await stopProfile(cdp))
    const end = await snapshot(cdp)
    const bench = await page.evaluate(() => window.__bench)
    // What the SDK made of the session (read after the measurements): Tacit's signals by type,
    // posthog-js's events by name (decoded by the stub).
    const seen =
      variant === 'tacit' || variant === 'baseline'
        ? await page.evaluate(async () => {
            const profile = await window.tacit.profile()
            const out = {}
            for (const s of profile.signals) out[s.type] = (out[s.type] || 0) + 1
            return out
          })
        : { ...server.stub.events }
    const stubRequests = server.stub.requests
    const path = (u) => (u.startsWith(server.url) ? u.slice(server.url.length) : u)
    const own = (p) => p.startsWith('/session.html') || p.startsWith('/session-')
    const sdkRequests = requests.filter((u) => !u.startsWith('data:')).map(path).filter((p) => !own(p) && p !== SDK_SCRIPT[variant])
    const mine = SDK_SOURCES[variant]
    const sdkFrames = bench.frames
      .map((f) => ({ ms: f.ms, sdkMs: f.scripts.filter((s) => mine(s.url)).reduce((a, s) => a + s.ms, 0), scripts: f.scripts }))
      .filter((f) => f.sdkMs > 0)
    return {
      variant,
      wallMs: Date.now() - started,
      load,
      end,
      longTasks: bench.longtasks.length,
      longTaskMs: bench.longtasks.reduce((a, t) => a + t.ms, 0),
      longTaskApi: !bench['no-longtask'],
      longFrames: bench.frames.length,
      longFrameApi: !bench['no-long-animation-frame'],
      // Long animation frames in which the SDK's scripts ran, and those where the SDK alone ran
      // for 50 ms or more (a long task of its own making).
      sdkLongFrames: sdkFrames.length,
      sdkLongFrameScriptMs: sdkFrames.reduce((a, f) => a + f.sdkMs, 0),
      sdkOwnLongTasks: sdkFrames.filter((f) => f.sdkMs >= 50).length,
      sdkFrameDetail: sdkFrames.slice(0, 5),
      readyMs: bench.ready ?? NaN,
      bootMs: bench.boot ?? NaN,
      sdkRequests,
      stubRequests,
      stubPaths: { ...server.stub.paths },
      offMachine: requests.filter((u) => !/^(https?:\/\/(localhost|127\.0\.0\.1)[:/]|data:|about:)/.test(u)),
      pointermoves: bench.pointermoves,
      counts,
      seen,
      errors: [...new Set(errors)],
      profiles,
    }
  } finally {
    await context.close()
  }
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
const signed = (x, digits = 0) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : 'n/a')
const pad = (s, n) => String(s).padStart(n)

/** Medians of one variant's runs. */
const summarize = (runs) => {
  const m = (f) => median(runs.map(f))
  return {
    runs: runs.length,
    scriptMs: m((r) => r.end.scriptMs),
    scriptLoadMs: m((r) => r.load.scriptMs),
    scriptSessionMs: m((r) => r.end.scriptMs - r.load.scriptMs),
    taskMs: m((r) => r.end.taskMs),
    taskLoadMs: m((r) => r.load.taskMs),
    layoutMs: m((r) => r.end.layoutMs),
    heapEndBytes: m((r) => r.end.heapBytes),
    heapLoadBytes: m((r) => r.load.heapBytes),
    longTasks: m((r) => r.longTasks),
    longTaskMs: m((r) => r.longTaskMs),
    sdkLongFrames: m((r) => r.sdkLongFrames),
    sdkLongFrameScriptMs: m((r) => r.sdkLongFrameScriptMs),
    sdkOwnLongTasksMax: Math.max(...runs.map((r) => r.sdkOwnLongTasks)),
    readyMs: m((r) => r.readyMs),
    bootToReadyMs: m((r) => r.readyMs - r.bootMs),
    sdkRequests: m((r) => r.sdkRequests.length),
    stubRequests: m((r) => r.stubRequests),
    wallMs: m((r) => r.wallMs),
    scriptRange: range(runs.map((r) => r.end.scriptMs)),
  }
}

/** Added cost of a variant over no SDK, paired by round. */
const added = (runs, base) => {
  const p = (f) => pairedMedian(runs.map(f), base.map(f))
  return {
    scriptMs: p((r) => r.end.scriptMs),
    scriptLoadMs: p((r) => r.load.scriptMs),
    scriptSessionMs: p((r) => r.end.scriptMs - r.load.scriptMs),
    taskMs: p((r) => r.end.taskMs),
    taskLoadMs: p((r) => r.load.taskMs),
    heapEndBytes: p((r) => r.end.heapBytes),
    heapLoadBytes: p((r) => r.load.heapBytes),
    longTasks: p((r) => r.longTasks),
    longTaskMs: p((r) => r.longTaskMs),
    perRoundScriptMs: runs.map((r, i) => r.end.scriptMs - base[i].end.scriptMs),
  }
}

/** Prints where Tacit's time went in the profiled run: per script, then Tacit's top functions. */
const printProfile = (run, bundleSource) => {
  const phases = [
    ['load (navigation to ready + 1 s)', [run.profiles[0]]],
    ['session (input, hide, 1.5 s after)', [run.profiles[1]]],
  ]
  console.log('')
  console.log('Profile of one Tacit run (sampling every 100 µs; self time, ms):')
  for (const [label, profiles] of phases) {
    const { functions, scripts } = selfTimes(profiles)
    console.log(`  ${label}: by script: ${scripts.slice(0, 6).map((s) => `${s.script} ${s.ms.toFixed(1)}`).join(', ')}`)
    const tacit = functions.filter((f) => f.script.endsWith('/tacit.min.js'))
    const total = tacit.reduce((a, f) => a + f.ms, 0)
    console.log(`    Tacit's functions, ${total.toFixed(1)} ms in all; the top 15:`)
    for (const f of tacit.slice(0, 15)) {
      console.log(`    ${pad(f.ms.toFixed(1), 7)}  ${f.name.padEnd(14).slice(0, 14)} ${f.line}:${f.column}  ${excerpt(bundleSource, f.line, f.column, 80)}`)
    }
  }
}

/** Prints the medians, the added costs and the targets; returns them for the JSON file. */
const report = (runs) => {
  const medians = Object.fromEntries(VARIANTS.map((v) => [v, summarize(runs[v])]))
  const extra = Object.fromEntries(VARIANTS.filter((v) => v !== 'none').map((v) => [v, added(runs[v], runs.none)]))
  console.log('')
  console.log(`Medians of ${RUNS} runs per variant (script, task, layout+style: CPU time of the renderer's main thread, CDP Performance metrics in threadTicks):`)
  console.log('  variant   script ms (load + session)   task ms (load)   layout+style ms   heap MiB at end (load)   long tasks (ms)   SDK long frames   ready ms   SDK requests (to stub)')
  for (const v of VARIANTS) {
    const s = medians[v]
    console.log(
      `  ${v.padEnd(8)} ${pad(fmt(s.scriptMs), 6)} (${pad(fmt(s.scriptLoadMs), 4)} + ${pad(fmt(s.scriptSessionMs), 4)})        ` +
        `${pad(fmt(s.taskMs), 6)} (${pad(fmt(s.taskLoadMs), 4)})    ${pad(fmt(s.layoutMs), 6)}            ` +
        `${pad(fmt(s.heapEndBytes / MiB, 2), 5)} (${fmt(s.heapLoadBytes / MiB, 2)})          ${pad(fmt(s.longTasks, 1), 4)} (${pad(fmt(s.longTaskMs), 4)})       ` +
        `${pad(fmt(s.sdkLongFrames, 1), 4)}          ${pad(v === 'none' ? '-' : fmt(s.readyMs), 6)}   ${pad(fmt(s.sdkRequests, 1), 4)} (${fmt(s.stubRequests, 1)})`,
    )
  }
  console.log('')
  console.log('Added over no SDK (median over rounds of the difference with the no-SDK run of the same round):')
  for (const v of Object.keys(extra)) {
    const a = extra[v]
    console.log(
      `  ${v.padEnd(8)} script ${signed(a.scriptMs)} ms (load ${signed(a.scriptLoadMs)}, session ${signed(a.scriptSessionMs)}), task ${signed(a.taskMs)} ms (load ${signed(a.taskLoadMs)}), ` +
        `heap ${signed(a.heapEndBytes / MiB, 2)} MiB at end (${signed(a.heapLoadBytes / MiB, 2)} at load), long tasks ${signed(a.longTasks, 1)} (${signed(a.longTaskMs)} ms)` +
        `   [script per round: ${a.perRoundScriptMs.map((x) => fmt(x)).join(', ')}]`,
    )
  }
  if (runs.baseline) {
    // The two builds in the same rounds: the difference per round, and its median.
    const d = (f) => runs.tacit.map((r, i) => f(r) - f(runs.baseline[i]))
    const script = d((r) => r.end.scriptMs)
    const session = d((r) => r.end.scriptMs - r.load.scriptMs)
    const load = d((r) => r.load.scriptMs)
    const ratioOf = (v) => extra[v].scriptMs / extra.posthog.scriptMs
    console.log('')
    console.log(`This build against the baseline (${BASELINE}), run right after it in each round:`)
    console.log(
      `  script ${signed(median(script))} ms (load ${signed(median(load))}, session ${signed(median(session))}), median of the per-round differences [${script.map((x) => signed(x)).join(', ')}]; ` +
        `added script time ${fmt(extra.tacit.scriptMs)} against ${fmt(extra.baseline.scriptMs)} ms (${fmt((extra.tacit.scriptMs / extra.baseline.scriptMs) * 100)}%); ` +
        `Tacit/posthog-js ${fmt(ratioOf('tacit'), 3)} against ${fmt(ratioOf('baseline'), 3)}; heap at the end ${signed(median(d((r) => r.end.heapBytes)) / 1024)} KiB`,
    )
  }
  const t = medians.tacit
  const ratio = extra.tacit.scriptMs / extra.posthog.scriptMs
  const verdict = (ok) => (ok ? 'met' : 'MISSED')
  const tacitRequests = Math.max(...runs.tacit.map((r) => r.sdkRequests.length + r.stubRequests + r.offMachine.length))
  const ownLongTasks = Math.max(...runs.tacit.map((r) => r.sdkOwnLongTasks))
  const longTaskApi = runs.tacit.every((r) => r.longTaskApi && r.longFrameApi)
  const targets = {
    scriptRatio: { value: ratio, target: TARGETS.scriptShareOfPosthog, met: ratio <= TARGETS.scriptShareOfPosthog, aimMet: ratio <= TARGETS.aimShareOfPosthog },
    longTasks: { addedLongTasks: extra.tacit.longTasks, ownLongTasks, met: longTaskApi && ownLongTasks === 0 && extra.tacit.longTasks <= 0 },
    heap: { addedBytes: extra.tacit.heapEndBytes, target: TARGETS.heapBytes, met: extra.tacit.heapEndBytes < TARGETS.heapBytes },
    requests: { max: tacitRequests, met: tacitRequests === 0 },
  }
  const middle = runs.posthog[Math.floor(RUNS / 2)]
  console.log('')
  console.log(`Tacit against the targets of issue 7 (posthog-js added ${fmt(extra.posthog.scriptMs)} ms of script time, ${fmt(extra.posthog.heapEndBytes / MiB, 2)} MiB of heap, ${fmt(medians.posthog.stubRequests, 1)} requests to its endpoints):`)
  console.log(
    `  added script time Tacit/posthog-js = ${fmt(extra.tacit.scriptMs)}/${fmt(extra.posthog.scriptMs)} = ${fmt(ratio, 3)} (1/${fmt(1 / ratio, 1)})   ` +
      `target <= 1/5: ${verdict(targets.scriptRatio.met)}; aim <= 1/10: ${verdict(targets.scriptRatio.aimMet)}`,
  )
  console.log(
    `  long tasks caused by Tacit (wall time): ${ownLongTasks} long frames where Tacit's scripts ran 50 ms or more (worst run), ` +
      `${signed(extra.tacit.longTasks, 1)} long tasks over no SDK (median), ${fmt(t.sdkLongFrames, 1)} long frames with any Tacit script in them` +
      `   target 0: ${longTaskApi ? verdict(targets.longTasks.met) : 'n/a (no Long Tasks / Long Animation Frames API)'}`,
  )
  console.log(`  heap added at the end: ${fmt(extra.tacit.heapEndBytes / 1024)} KiB   target < 1024 KiB: ${verdict(targets.heap.met)}`)
  console.log(`  requests by Tacit (beyond its script tag), worst run: ${tacitRequests}   target 0: ${verdict(targets.requests.met)}`)
  console.log(`  Tacit ready: ${fmt(t.readyMs)} ms from navigation start (median; ${fmt(t.bootToReadyMs)} ms from the script's start), posthog-js loaded: ${fmt(medians.posthog.readyMs)} ms`)
  console.log(
    `  posthog-js requests beyond array.js (middle run): ${Object.entries(middle.stubPaths).map(([k, n]) => `${k} x${n}`).join(', ')}; ` +
      `scripts: ${middle.sdkRequests.filter((p) => p.startsWith('/ph/static/')).join(', ')}`,
  )
  const list = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')
  console.log(`  what each SDK saw of the session (middle run): Tacit's stored signals: ${list(runs.tacit[Math.floor(RUNS / 2)].seen)}`)
  console.log(`    posthog-js's events: ${list(middle.seen)}`)
  return { medians, added: extra, targets }
}

const main = async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is not built: run \`npm run build\` first`)
  if (BASELINE && !existsSync(BASELINE)) throw new Error(`--baseline ${BASELINE}: no such file`)
  if (!existsSync(`${POSTHOG}/dist/array.js`)) throw new Error('posthog-js is not installed: run `npm install` (it is a dev dependency of scripts/bench)')
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`)
  if (!(RUNS >= (PROFILE ? 0 : 1)) || !(MOVES >= 400)) throw new Error('--runs must be at least 1 (0 with --profile: the profile alone) and --moves at least 400')
  // Read once: a rebuild during the benchmark does not change what it measures.
  const bundle = readFileSync(BUNDLE)
  const posthogVersion = JSON.parse(readFileSync(`${POSTHOG}/package.json`, 'utf8')).version
  const posthogBytes = readFileSync(`${POSTHOG}/dist/array.js`)
  const gzipKb = (bytes) => (gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)
  const baseline = BASELINE && readFileSync(BASELINE)
  const server = await startSessionServer({ bundle, baseline })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  const loadStart = loadavg()[0]
  const began = Date.now()
  try {
    console.log(
      `Session benchmark: Chromium ${browser.version()} headless, ${RUNS} rounds x ${VARIANTS.length} variants, ${MOVES} mouse moves per session; ` +
        `tacit.min.js ${(bundle.length / 1024).toFixed(0)} KB (${gzipKb(bundle)} KB gzip), ` +
        `posthog-js ${posthogVersion} array.js ${(posthogBytes.length / 1024).toFixed(0)} KB (${gzipKb(posthogBytes)} KB gzip) plus its lazy extensions`,
    )
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]))
    for (let round = 0; round < RUNS; round++) {
      for (const variant of VARIANTS) {
        const r = await runOnce({ browser, server, variant })
        runs[variant].push(r)
        console.log(
          `  round ${round + 1}/${RUNS} ${variant.padEnd(7)} script ${pad(fmt(r.end.scriptMs), 5)} ms (load ${pad(fmt(r.load.scriptMs), 4)}), task ${pad(fmt(r.end.taskMs), 5)} ms, ` +
            `heap ${fmt(r.end.heapBytes / MiB, 2)} MiB, long tasks ${r.longTasks} (${fmt(r.longTaskMs)} ms), ` +
            `SDK long frames ${r.sdkLongFrames}, ready ${fmt(r.readyMs)} ms, SDK requests ${r.sdkRequests.length}, ` +
            `pointermoves ${r.pointermoves}/${r.counts.moves}, ${(r.wallMs / 1000).toFixed(0)} s`,
        )
        if (!r.counts.reachedBottom) console.log('    the session did not reach the bottom of the page')
        if (r.errors.length) console.log(`    page reported: ${r.errors.slice(0, 4).join(' | ')}`)
        if (r.offMachine.length) console.log(`    requests off this machine: ${r.offMachine.join(', ')}`)
      }
    }
    const summary = RUNS > 0 ? report(runs) : {}

    let profile
    if (PROFILE) {
      const run = await runOnce({ browser, server, variant: 'tacit', profile: true })
      printProfile(run, bundle.toString('utf8'))
      const top = (i) => selfTimes([run.profiles[i]]).functions.filter((f) => f.script.endsWith('/tacit.min.js')).slice(0, 30)
      profile = { load: top(0), session: top(1) }
      // The raw profiles, for Chrome DevTools (Performance panel: load a .cpuprofile file).
      mkdirSync(`${root}test-results`, { recursive: true })
      writeFileSync(`${root}test-results/bench-session-load.cpuprofile`, JSON.stringify(run.profiles[0]))
      writeFileSync(`${root}test-results/bench-session-session.cpuprofile`, JSON.stringify(run.profiles[1]))
      console.log('  profiles: test-results/bench-session-load.cpuprofile, test-results/bench-session-session.cpuprofile')
    }

    const loadEnd = loadavg()[0]
    const minutes = (Date.now() - began) / 60000
    console.log('')
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadStart.toFixed(1)} at start, ${loadEnd.toFixed(1)} at end` +
        (Math.max(loadStart, loadEnd) > cpus().length ? ' (busier than its CPUs: wall-time figures such as long tasks and ready are inflated)' : '') +
        `; ${minutes.toFixed(1)} min in all`,
    )
    if (RUNS === 0) return
    mkdirSync(`${root}test-results`, { recursive: true })
    const strip = (r) => ({ ...r, profiles: undefined })
    writeFileSync(
      OUT,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          chromium: browser.version(),
          machine: { cpus: cpus().length, loadStart, loadEnd },
          options: { runs: RUNS, moves: MOVES, bundle: BUNDLE, posthogVersion },
          bundleBytes: bundle.length,
          ...summary,
          profile,
          runs: Object.fromEntries(VARIANTS.map((v) => [v, runs[v].map(strip)])),
        },
        null,
        2,
      ),
    )
    console.log(`results: ${OUT.slice(root.length)}`)
  } finally {
    await browser.close()
    await server.close()
  }
}

main().catch((error) => {
  console.error(`session benchmark failed: ${error instanceof Error ? error.stack || error.message : error}`)
  process.exitCode = 1
})
