#!/usr/bin/env node
// Prints the gzip size of every built entry beside posthog-js and GrowthBook (from the npm
// packages of the benchmark workspace, scripts/bench), with the ratios.
//
// `--check` (run by `npm run build`, so by CI) fails when an entry is over its ceiling. An entry
// within its budget has the budget as its ceiling. An entry over its budget (DESIGN.md "Sizes")
// has a ceiling a little above its latest size, so that it can only shrink until it meets the
// budget: lower the ceiling whenever the size drops; never raise it without saying why in the
// commit message.
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const gzip = (buf) => gzipSync(buf, { level: 9 }).length

/** What a bundler loads up front for `import { createTacit } from '@tacit/core'`: the entry chunk. */
const coreUpFront = async () => {
  const result = await build({
    entryPoints: [`${root}packages/core/dist/index.js`],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir: '/tmp/tacit-size',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: true,
  })
  // Follow the entry's static imports (shared chunks load up front too); dynamic ones are lazy.
  const byPath = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f]))
  const outputs = result.metafile.outputs
  const entryPath = Object.keys(outputs).find((p) => outputs[p].entryPoint)
  const upFrontFiles = new Set()
  const visit = (p) => {
    if (upFrontFiles.has(p)) return
    upFrontFiles.add(p)
    for (const i of outputs[p].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path)
  }
  visit(entryPath)
  const size = (paths) => paths.reduce((n, p) => n + gzip(byPath.get(p).contents), 0)
  const upFront = size([...upFrontFiles])
  const lazy = size(Object.keys(outputs).filter((p) => !upFrontFiles.has(p) && p.endsWith('.js')))
  return { upFront, lazy }
}

/** The gzip size after minification, as an app's bundler would ship it. */
const minifiedGzip = async (code) => {
  const { transform } = await import('esbuild')
  const out = await transform(code, { minify: true, format: 'esm', loader: 'js' })
  return gzip(Buffer.from(out.code))
}

/** The other tools' files, as a site ships them, from the benchmark workspace's dependencies. */
const benchRequire = createRequire(`${root}scripts/bench/package.json`)
const theirs = (pkg, file) => {
  try {
    return gzip(readFileSync(join(dirname(benchRequire.resolve(`${pkg}/package.json`)), file)))
  } catch {
    return undefined // `npm install` not run in the workspace: print Tacit's figures alone
  }
}

const KB = 1024
const rows = []
const script = readFileSync(`${root}packages/browser/dist/tacit.min.js`)
rows.push({ entry: 'tacit.min.js (script tag, everything)', bytes: gzip(script), budget: 40 * KB }) // within budget since TF.js's tensor creation and conversion were cut to float32 (tfSlim.mjs: makeTensor, convertToTensor, tensor1d/2d, assertNotComplex, kernel set-up; 42,044 -> 40,919 bytes). The ceilings over budget before: 41.2 until those cuts; 41.4 until the intent model replaced plain tensors instead of assigning TF.js variables (-0.25 KB, model/intent.ts, tfSlim.mjs); 41.8 until TF.js's binary kernels broadcast only a number or a trailing row (-0.3 KB, tfSlim.mjs); 42.5 until TF.js's matMul kernel was cut to two matrices (-0.7 KB, tfSlim.mjs); 42.4 until a connection that opens after its timeout was kept for the retry (+0.1 KB, profile/idbStore.ts parked: an open always slower than 3 s never stored); 42.5 until training passed plain numbers for scalars (-0.1 KB); 43.3 until the bias gradient was summed without tfjs's Sum kernel (-0.8 KB, model/intent.ts columnSums); 48.9 until the stored records' schemas replaced zod (-5.6 KB, src/schema.ts); 48.8 until pointer events stopped reading the clocks (+0.03 KB, signals/eventTime.ts: the first read of Date.now() and of performance in a task cost about 9 and 18 us in Chromium 150; a move to another card 109 -> 88 us of added script in bench:events); 48.6 until start-up work yielded to rendering past a frame budget (+0.15 KB, env.ts nextTask: Tacit's share of the load's long animation frame 44-95 -> 22-37 ms in bench:session); 48.3 until the session's CPU work was cut (+0.23 KB: training waits for a pause in outcomes, a validation shortcut for journalled signals, the root's pointerleave instead of pointerout; bench:session added script time 267 -> 221 ms in the same rounds, see README Performance); 48.1 until periodic writes became journal appends (+0.27 KB: 616 IndexedDB requests a session became 66, see README Performance); 48.0 until start-up was split into tasks (+0.03 KB)
const core = await coreUpFront()
rows.push({ entry: '@tacit/core up front (entry + static imports, minified)', bytes: core.upFront, budget: 15 * KB }) // within budget since options were checked without zod (options.ts); zod is no longer in Tacit at all (src/schema.ts): 20.1 -> 14.1 KB; the ceilings over budget before: 20.2 (frame budget), 20.0 (dwell total), 19.9 (start-up copy), 19.8, 22.5 (until the detectors became a lazy chunk)
rows.push({ entry: '@tacit/core lazy chunks (loaded at start-up)', bytes: core.lazy })
const react = readFileSync(`${root}packages/react/dist/index.js`)
rows.push({ entry: '@tacit/react on top of core (minified by the bundler)', bytes: await minifiedGzip(react), budget: 2 * KB })

let failed = false
for (const r of rows) {
  const ceiling = r.ceiling ?? r.budget
  let status = ''
  if (r.budget !== undefined) status = r.bytes <= r.budget ? `ok (budget ${kb(r.budget)})` : `OVER budget ${kb(r.budget)} (ceiling ${kb(ceiling)})`
  if (ceiling !== undefined && r.bytes > ceiling) {
    failed = true
    status += '  FAILS: above its ceiling'
  }
  console.log(`${r.entry.padEnd(58)} ${kb(r.bytes).padStart(9)} gzip  ${status}`)
}

const posthog = theirs('posthog-js', 'dist/array.js')
const posthogFull = theirs('posthog-js', 'dist/array.full.js')
const growthbook = theirs('@growthbook/growthbook', 'dist/bundles/index.min.js')
const compare = [
  ['posthog-js (dist/array.js, its script tag)', posthog, rows[0].bytes, 'tacit.min.js'],
  ['posthog-js (dist/array.full.js, with recorder and surveys)', posthogFull, rows[0].bytes, 'tacit.min.js'],
  ['@growthbook/growthbook (dist/bundles/index.min.js)', growthbook, rows[1].bytes, '@tacit/core up front'],
]
for (const [name, bytes, ours, what] of compare) {
  if (bytes !== undefined) console.log(`${name.padEnd(58)} ${kb(bytes).padStart(9)} gzip  ${what} / this: ${(ours / bytes).toFixed(2)}`)
}
if (failed && process.argv.includes('--check')) {
  console.error('Bundle size above its ceiling: see scripts/size.mjs (budgets in DESIGN.md)')
  process.exit(1)
}
