#!/usr/bin/env node
// Prints the gzip size of every built entry. `--check` fails when one is over its budget.
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
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

const rows = []
const script = readFileSync(`${root}packages/browser/dist/tacit.min.js`)
rows.push({ entry: 'tacit.min.js (script tag, everything)', bytes: gzip(script), budget: 40 * 1024 })
const core = await coreUpFront()
rows.push({ entry: '@tacit/core up front (entry + static imports, minified)', bytes: core.upFront, budget: 15 * 1024 })
rows.push({ entry: '@tacit/core lazy chunks (loaded at start-up)', bytes: core.lazy })
const react = readFileSync(`${root}packages/react/dist/index.js`)
rows.push({ entry: '@tacit/react on top of core (minified by the bundler)', bytes: await minifiedGzip(react), budget: 2 * 1024 })

let over = false
for (const r of rows) {
  const status = r.budget === undefined ? '' : r.bytes <= r.budget ? `ok (budget ${kb(r.budget)})` : `OVER budget ${kb(r.budget)}`
  if (r.budget !== undefined && r.bytes > r.budget) over = true
  console.log(`${r.entry.padEnd(58)} ${kb(r.bytes).padStart(9)} gzip  ${status}`)
}
if (over && process.argv.includes('--check')) process.exit(1)
