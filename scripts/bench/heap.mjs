#!/usr/bin/env node
// What Tacit's added JS heap is made of at the end of the session benchmark's session (issue 7):
// the same page, init script, session, waits and forced GCs as session.mjs, with no SDK and with
// Tacit, once each in a fresh browser context, then a heap snapshot of each.
//
//   node scripts/bench/heap.mjs [--moves 2000] [--bundle path/to/tacit.js] [--out dir]
//   (--bundle: measure that file instead, without libraries; --out: also write the snapshots, for
//   DevTools' Memory panel, and the bundle measured)
//
// A benchmark, not a test: it prints figures, and exits non-zero only when it cannot run.
//
// It measures an unminified build of the current sources, made in memory: rollup.config.mjs's iife
// config without its last plugin (terser), so that functions keep their names and a function's
// start position tells its module, and so its library (this build's Tacit-only heap came within
// 1% of the minified build's at 2000 moves, 2% at 400). One run per variant, not a median.
//
// Tacit's part is what is reachable only through Tacit: the V8 heap objects that become unreachable
// from the snapshot's root once Tacit's roots are cut out (its Script, that script's
// SharedFunctionInfos, their closures, and the API object, window.tacit). Each object gets a kind
// (V8's object types, and which edge of a function's code objects reaches it) and a function:
// code, bytecode and feedback the function they belong to, anything else the nearest function that
// dominates it, or none ("shared": module-scope data reached from several functions).
// JSHeapUsedSize and these figures leave out off-heap backing stores (script source, ArrayBuffers).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { rollup } from 'rollup'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium.mjs'
import { dominators, parseSnapshot, reachable } from './lib/heapSnapshot.mjs'
import { END_MS, READY_EXPRESSION, runSession, SETTLE_MS, VIEWPORT } from './lib/sessionScript.mjs'
import { startSessionServer } from './lib/sessionServer.mjs'
import { arg } from './lib/args.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const INSTRUMENT = fileURLToPath(new URL('./pages/session-instrument.js', import.meta.url))
const MOVES = Number(arg('moves', 2000))
const BUNDLE = arg('bundle', undefined)
const OUT = arg('out', undefined)
const KINDS = ['baseline code', 'bytecode', 'function metadata', 'optimized code', 'feedback', 'data', 'hidden classes', 'closures', 'other']
const COMPILED = ['bytecode', 'baseline code', 'optimized code', 'feedback']
const LIBRARIES = ["Tacit's own", 'TF.js core', 'TF.js cpu backend', 'idb']
const PACKAGES = { '@tensorflow/tfjs-core': 'TF.js core', '@tensorflow/tfjs-backend-cpu': 'TF.js cpu backend' }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const KiB = (bytes, digits = 1) => (bytes / 1024).toFixed(digits)

/** The unminified script tag of the current sources, and where each module's code sits in it. */
const buildUnminified = async () => {
  process.chdir(root) // the config's paths are relative to the repository
  const config = (await import(pathToFileURL(`${root}rollup.config.mjs`).href)).default.find((c) => c.output.format === 'iife')
  const build = await rollup({ ...config, plugins: config.plugins.slice(0, -1), onwarn: () => {} })
  // Not indented: each module's rendered code is then found in the bundle as it is.
  const [chunk] = (await build.generate({ ...config.output, inlineDynamicImports: true, indent: false })).output
  await build.close()
  const modules = []
  let at = 0
  for (const [id, { code }] of Object.entries(chunk.modules)) {
    const i = code ? chunk.code.indexOf(code, at) : -1
    // A module's library: its package under node_modules, else Tacit (tfjs-slim's stub is TF.js's).
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1]
    const library = pkg ? (PACKAGES[pkg] ?? pkg) : id.includes('tfjs-slim') ? 'TF.js core' : "Tacit's own"
    if (i >= 0) modules.push({ start: i, end: (at = i + code.length), library, file: id.replace(/^.*node_modules\//, '').replace(root, '').replace('\0', '') })
  }
  return { code: Buffer.from(chunk.code), modules }
}

/** One page load and session of a variant, in a fresh context: the heap at load and end, a snapshot. */
const runOnce = async (browser, server, variant) => {
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    await context.addInitScript({ path: INSTRUMENT })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      return (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize').value
    }
    await page.goto(`${server.url}/session.html?sdk=${variant}`, { waitUntil: 'load' })
    // Over CDP: page.waitForFunction would inject Playwright's helper script, and its heap.
    const waited = await cdp.send('Runtime.evaluate', { expression: READY_EXPRESSION[variant === 'none' ? 'none' : 'sdk'], awaitPromise: true })
    if (waited.exceptionDetails) throw new Error(`${variant}: ${waited.exceptionDetails.exception?.description ?? waited.exceptionDetails.text}`)
    await sleep(SETTLE_MS)
    const load = await heap()
    const counts = await runSession(page, { moves: MOVES })
    await sleep(END_MS)
    const end = await heap()
    const chunks = []
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk))
    // With numeric values: the functions' start positions.
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: true })
    return { load, end, counts, errors: [...new Set(errors)], snapshot: chunks.join('') }
  } finally {
    await context.close()
  }
}

/** What is reachable only through Tacit: bytes by kind and library, compiled bytes by function. */
const analyze = (g, modules) => {
  const is = (n, type) => g.name(n).startsWith(`system / ${type}`)
  const each = (n, f) => {
    for (let k = g.first[n]; k < g.first[n + 1]; k++) f(g.eto[k], g.edgeName(k), g.edgeType(k))
  }
  // Tacit's roots: its Script, its SharedFunctionInfos (SFIs), their closures, the API object.
  const isRoot = new Uint8Array(g.N), isSfi = new Uint8Array(g.N), sfiOf = new Int32Array(g.N).fill(-1), sfis = []
  let script = -1
  for (let n = 0; n < g.N; n++) if (is(n, 'Script') && /\/tacit\.min\.js$/.test(g.name(g.edge(n, 'name')))) script = n
  if (script < 0) throw new Error('no Script of tacit.min.js in the snapshot')
  for (let n = 0; n < g.N; n++) if (is(n, 'SharedFunctionInfo') && g.edge(n, 'script') === script) sfis.push(n), (isSfi[n] = 1)
  for (let n = 0; n < g.N; n++) {
    if (g.type(n) === 'closure' && isSfi[g.edge(n, 'shared')]) sfiOf[n] = g.edge(n, 'shared')
    const api = g.type(n) === 'object' && ['decide', 'profile', 'ready'].every((p) => g.edge(n, p) >= 0)
    isRoot[n] = n === script || isSfi[n] || sfiOf[n] >= 0 || api ? 1 : 0
  }
  const all = reachable(g), rest = reachable(g, (n) => isRoot[n])
  const owned = (n) => n >= 0 && all[n] && !rest[n]

  // Kinds, following the edges of each function's code objects; `owner`: the SFI charged.
  const kind = new Array(g.N), owner = new Int32Array(g.N).fill(-2)
  const mark = (n, k, s) => owned(n) && kind[n] === undefined && ((kind[n] = k), (owner[n] = s))
  const markBytecode = (b, s) => {
    mark(b, 'bytecode', s) // and its wrapper, constant pool, handler table, source positions, boilerplates
    each(b, (t, _, type) => ['internal', 'hidden'].includes(type) && !/^system \/ (Map|SharedFunctionInfo|Script)/.test(g.name(t)) && mark(t, 'bytecode', s))
  }
  const markCode = (c, s) => {
    if (c < 0 || !is(c, 'Code')) return
    const k = g.edge(c, 'bytecode_offset_table') >= 0 || g.edge(c, 'interpreter_data') >= 0 ? 'baseline code' : g.edge(c, 'deoptimization_data') >= 0 ? 'optimized code' : 'other'
    mark(c, k, s)
    each(c, (t, edge) => {
      if (edge === 'interpreter_data') return markBytecode(t, s)
      if (edge !== 'map') mark(t, k, s)
      if (edge === 'instruction_stream') mark(g.edge(t, 'relocation_info'), k, s)
      if (edge === 'deoptimization_data') each(t, (u) => !/^system \/ (SharedFunctionInfo|Map)/.test(g.name(u)) && !['closure', 'object'].includes(g.type(u)) && mark(u, k, s))
    })
  }
  for (const s of sfis) {
    const data = g.edge(s, 'trusted_function_data') >= 0 ? g.edge(s, 'trusted_function_data') : g.edge(s, 'function_data')
    if (is(data, 'BytecodeArray')) markBytecode(data, s)
    else markCode(data, s)
    // The SFI, its own ScopeInfo (not the outer one, which is its enclosing function's), its
    // FeedbackMetadata or UncompiledData.
    mark(s, 'function metadata', s)
    if (g.name(data).includes('UncompiledData')) mark(data, 'function metadata', s)
    const [scope, meta] = [g.edge(s, 'name_or_scope_info'), g.edge(s, 'raw_outer_scope_info_or_feedback_metadata')]
    if (is(meta, 'FeedbackMetadata')) mark(meta, 'function metadata', s)
    if (is(scope, 'ScopeInfo')) mark(scope, 'function metadata', s)
    if (is(scope, 'ScopeInfo')) each(scope, (u, edge) => edge !== 'outer_scope_info' && g.type(u) === 'code' && mark(u, 'function metadata', s))
  }
  for (let c = 0; c < g.N; c++) {
    const s = sfiOf[c], cell = s < 0 ? -1 : g.edge(c, 'feedback_cell')
    if (s >= 0) markCode(g.edge(c, 'code'), s)
    if (cell < 0) continue
    mark(cell, 'feedback', s)
    const v = g.edge(cell, 'value')
    if (!/^system \/ (FeedbackVector|ClosureFeedbackCellArray)/.test(g.name(v))) continue
    mark(v, 'feedback', s)
    each(v, (t) => (is(t, 'Code') ? markCode(t, s) : g.type(t) === 'code' && !/^system \/ (SharedFunctionInfo|BytecodeArray)/.test(g.name(t)) && mark(t, 'feedback', s)))
  }
  for (let n = 0; n < g.N; n++) {
    if (!owned(n) || kind[n] !== undefined) continue
    const name = g.name(n), type = g.type(n)
    if (type === 'code') kind[n] = /LoadHandler|AllocationSite|Feedback/.test(name) ? 'feedback' : /Boilerplate|constant (pool|elements)/.test(name) ? 'bytecode' : /ScopeInfo|context local names|PreparseData/.test(name) ? 'function metadata' : 'other'
    else kind[n] = type === 'closure' ? 'closures' : type === 'object shape' ? 'hidden classes' : 'data'
  }

  // Anything else: the nearest dominating SFI or closure's SFI; -1, none ("shared").
  const idom = dominators(g)
  const ownerOf = (n) => {
    const path = []
    let x = n
    while (owner[x] === -2) {
      if (isSfi[x] || sfiOf[x] >= 0) owner[x] = isSfi[x] ? x : sfiOf[x]
      else if (!owned(x) || x === 0 || idom[x] < 0) owner[x] = -1
      else path.push(x), (x = idom[x])
    }
    for (const p of path) owner[p] = owner[x]
    return owner[x]
  }
  const moduleOf = (s) => {
    const at = g.value(g.edge(s, 'start_position'))
    return modules.find((m) => m.start <= at && at < m.end)
  }
  const libraryOf = (s) => (s < 0 ? 'shared' : modules.length ? (moduleOf(s)?.library ?? 'shared') : 'bundle')

  const table = new Map(), perFn = new Map()
  let total = 0
  for (let n = 0; n < g.N; n++) {
    if (!owned(n) || !g.isV8(n)) continue
    const s = ownerOf(n), key = `${kind[n]}|${libraryOf(s)}`
    table.set(key, (table.get(key) ?? 0) + g.self[n])
    total += g.self[n]
    if (s < 0 || !COMPILED.includes(kind[n])) continue
    if (!perFn.has(s)) perFn.set(s, Object.fromEntries(COMPILED.map((k) => [k, 0])))
    perFn.get(s)[kind[n]] += g.self[n]
  }
  const functions = [...perFn].map(([s, bytes]) => ({
    name: g.name(s).replace(/^system \/ SharedFunctionInfo( \/ )?/, '') || '(anonymous)',
    library: libraryOf(s),
    file: moduleOf(s)?.file ?? '',
    total: COMPILED.reduce((a, k) => a + bytes[k], 0),
    ...bytes,
  }))
  return { total, table, functions, sfis: sfis.length }
}

/** Prints the kind x library table and the top functions. */
const print = ({ total, table, functions, sfis }, added) => {
  console.log(`\nReachable only through Tacit (its script, ${sfis} functions, their closures, window.tacit): ${KiB(total)} KiB, ${((total / added) * 100).toFixed(0)}% of the added JSHeapUsedSize`)
  const rank = (l) => (l === 'shared' ? 99 : LIBRARIES.indexOf(l) + 1 || 98)
  const cols = [...new Set([...table.keys()].map((k) => k.split('|')[1]))].sort((a, b) => rank(a) - rank(b)).concat('total')
  const sum = (kinds, col) => [...table].filter(([k]) => kinds.includes(k.split('|')[0]) && (col === 'total' || k.endsWith(`|${col}`))).reduce((a, [, v]) => a + v, 0)
  const count = (kind, col) => functions.filter((f) => f[kind] > 0 && (col === 'total' || f.library === col)).length
  const row = (label, cell) => console.log(`  ${label.padEnd(26)}${cols.map((c) => String(cell(c)).padStart(Math.max(c.length, 7) + 2)).join('')}`)
  console.log('  KiB by kind (rows) and by the library of the function charged (columns):')
  row('', (c) => c)
  for (const k of KINDS) row(k, (c) => KiB(sum([k], c)))
  row('total', (c) => KiB(sum(KINDS, c)))
  row('  of which code', (c) => KiB(sum(KINDS.filter((k) => !['data', 'hidden classes', 'closures'].includes(k)), c)))
  row('functions with baseline code', (c) => count('baseline code', c))
  row('functions optimized', (c) => count('optimized code', c))
  console.log('\n  Top 15 functions by compiled bytes (bytecode + baseline + optimized code + feedback), KiB:')
  const line = (values, name, library, file) => console.log(`  ${values.map((v) => v.padStart(10)).join('')}  ${name.slice(0, 26).padEnd(26)} ${library.padEnd(18)} ${file}`)
  line(['total', 'bytecode', 'baseline', 'optimized', 'feedback'], 'function', 'library', 'module')
  for (const f of functions.sort((a, b) => b.total - a.total).slice(0, 15))
    line([f.total, f.bytecode, f['baseline code'], f['optimized code'], f.feedback].map((v) => KiB(v)), f.name, f.library, f.file)
}

const main = async () => {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`)
  if (!(MOVES >= 400)) throw new Error('--moves must be at least 400')
  if (BUNDLE && !existsSync(BUNDLE)) throw new Error(`--bundle ${BUNDLE}: no such file`)
  const began = Date.now(), loadStart = loadavg()[0]
  const { code, modules } = BUNDLE ? { code: readFileSync(BUNDLE), modules: [] } : await buildUnminified()
  const server = await startSessionServer({ bundle: code })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
  try {
    const what = BUNDLE ? `${BUNDLE} (${KiB(code.length, 0)} KiB)` : `an unminified build of the current sources (${KiB(code.length, 0)} KiB, ${modules.length} modules), not tacit.min.js: its Tacit-only heap was within 1-2% of the minified build's in earlier checks`
    console.log(`Heap benchmark: Chromium ${browser.version()} headless, one session of ${MOVES} mouse moves per variant; measuring ${what}`)
    const runs = {}
    for (const variant of ['none', 'tacit']) {
      const r = (runs[variant] = await runOnce(browser, server, variant))
      r.graph = parseSnapshot(r.snapshot)
      r.v8 = r.graph.self.reduce((a, s, n) => (r.graph.isV8(n) ? a + s : a), 0)
      console.log(`  ${variant.padEnd(6)} JSHeapUsedSize ${KiB(r.end)} KiB at the end (${KiB(r.load)} at load), after GC; V8 objects in the snapshot ${KiB(r.v8)} KiB`)
      if (!r.counts.reachedBottom) console.log('    the session did not reach the bottom of the page')
      if (r.errors.length) console.log(`    page reported: ${r.errors.slice(0, 4).join(' | ')}`)
      if (OUT) mkdirSync(OUT, { recursive: true }), writeFileSync(`${OUT}/${variant}.heapsnapshot`, r.snapshot)
      delete r.snapshot
    }
    const added = runs.tacit.end - runs.none.end
    console.log(`  added  ${KiB(added)} KiB (${(added / 1024 ** 2).toFixed(2)} MiB) at the end, ${KiB(runs.tacit.load - runs.none.load)} KiB at load; V8 objects in the snapshots +${KiB(runs.tacit.v8 - runs.none.v8)} KiB`)
    print(analyze(runs.tacit.graph, modules), added)
    if (OUT) writeFileSync(`${OUT}/tacit.js`, code), console.log(`\n  written: ${OUT}/none.heapsnapshot, ${OUT}/tacit.heapsnapshot, ${OUT}/tacit.js`)
  } finally {
    await browser.close()
    await server.close()
  }
  console.log(`\nmachine: ${cpus().length} CPUs, load average ${loadStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end; ${((Date.now() - began) / 60000).toFixed(1)} min in all`)
}

main().catch((error) => {
  console.error(`heap benchmark failed: ${error instanceof Error ? error.stack || error.message : error}`)
  process.exitCode = 1
})
