#!/usr/bin/env node
// Build check for "nothing leaves the page" (issue 5): scans the built bundles for network APIs
// (the list and the matching rules: scripts/lib/networkScan.mjs) and fails on any occurrence the
// allowlist below does not explain. Run after the build: `node scripts/check-network.mjs`.
//
// Bundles: packages/browser/dist/tacit.min.js (everything, TF.js included), @tacit/core's ESM
// entry and every chunk it reaches (static and dynamic imports), packages/react/dist/index.js.
// Chunks left in dist by earlier builds are listed, not scanned: no import reaches them.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { importsOf, scanCode } from './lib/networkScan.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Occurrences that are known and can never send anything. `file` is tested against the path from
 * the repository root, `context` must match text covering the hit (see networkScan.mjs). Keep each
 * reason checkable: name the code that makes it true.
 * @type {import('./lib/networkScan.mjs').AllowEntry[]}
 */
const ALLOWLIST = [
  {
    source: 'Tacit (model/tf.ts)',
    file: /^packages\/(browser\/dist\/tacit\.min\.js|core\/dist\/chunks\/adaptive-[\w-]+\.js)$/,
    api: 'fetch',
    context: /fetch\s*:\s*\(\)\s*=>\s*Promise\.reject\(\s*new Error\(\s*["'`]Tacit models never fetch["'`]\s*\)\s*\)/,
    reason:
      "the `fetch` of the TF.js platform Tacit installs (setupTf in packages/core/src/model/tf.ts) and its error message: it rejects without a request. TF.js calls platform.fetch only from its model loaders (tf.io.http, loadLayersModel(url)), which Tacit never calls and the script-tag bundle does not contain",
  },
  {
    source: 'Tacit (api/createTacit.ts)',
    file: /^packages\/(browser\/dist\/tacit\.min\.js|core\/dist\/chunks\/index-[\w-]+\.js)$/,
    api: 'postMessage',
    context: /\.postMessage\(\s*["'`](erased|models)["'`]\s*\)/,
    reason:
      "posts the constant 'erased' or 'models' on a BroadcastChannel (createTacit.ts): reaches only other tabs of the same origin on the same device, never the network, and carries no profile data (a tab told 'models' reads the stored models from IndexedDB itself)",
  },
  {
    source: 'Tacit (env.ts nextTask)',
    file: /^packages\/(browser\/dist\/tacit\.min\.js|core\/dist\/chunks\/index-[\w-]+\.js)$/,
    api: 'postMessage',
    context: /new MessageChannel(\(\))?[\s\S]{0,160}?\.postMessage\(0\)/,
    reason:
      'posts the number 0 from one port of a MessageChannel it has just made to the other (nextTask in packages/core/src/env.ts), to resume start-up in a later task where scheduler.postTask is missing: both ports stay in the page, and the message carries no data',
  },
  {
    source: 'Tacit (rollup code splitting)',
    file: /^packages\/core\/dist\/chunks\/index-[\w-]+\.js$/,
    api: 'dynamic-import',
    context: /import\(\s*["'`]\.\/[\w.-]+\.js["'`]\s*\)/,
    reason:
      "lazy-loads one of @tacit/core's own chunks (scanned here too); the app's bundler resolves it to its own asset, and it carries no data",
  },
]

/** Every .js file under `dir`, recursively. */
const jsFilesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFilesUnder(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  )

/** The entry and every chunk reachable from it through relative imports, with the external imports met. */
const reachableFrom = (entry) => {
  const files = new Set()
  const external = new Set()
  const visit = (file) => {
    if (files.has(file)) return
    files.add(file)
    const imports = importsOf(readFileSync(file, 'utf8'))
    for (const spec of imports.external) external.add(spec)
    for (const spec of imports.relative) visit(join(dirname(file), spec))
  }
  visit(entry)
  return { files: [...files], external: [...external].sort() }
}

/** `@scope/name/deep/path` → `@scope/name`, `zod/mini` → `zod`. */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')
const packages = (specs) => [...new Set(specs.map(packageOf))].join(', ')
const rel = (p) => relative(root, p).split('\\').join('/')
const required = ['packages/browser/dist/tacit.min.js', 'packages/core/dist/index.js', 'packages/react/dist/index.js']
const missing = required.filter((p) => !existsSync(join(root, p)))
if (missing.length) {
  console.error(`check-network: not built (${missing.join(', ')}); run \`npm run build\` first.`)
  process.exit(2)
}

const core = reachableFrom(join(root, 'packages/core/dist/index.js'))
const stale = jsFilesUnder(join(root, 'packages/core/dist')).filter((f) => !core.files.includes(f))
const react = importsOf(readFileSync(join(root, 'packages/react/dist/index.js'), 'utf8'))
const bundles = [join(root, 'packages/browser/dist/tacit.min.js'), ...core.files, join(root, 'packages/react/dist/index.js')]

const hits = bundles.flatMap((file) => scanCode(readFileSync(file, 'utf8'), { file: rel(file), allowlist: ALLOWLIST }))
const unexplained = hits.filter((h) => !h.allowed)
const known = hits.filter((h) => h.allowed)

for (const h of hits) {
  const status = h.allowed ? `known (${h.allowed.source})` : 'UNEXPLAINED'
  console.log(`${h.allowed ? ' ' : '✗'} ${h.file}:${h.line}:${h.column} (offset ${h.offset})  ${h.api}  ${status}`)
  console.log(`    …${h.context}…`)
}
if (hits.length) console.log('')

console.log(`Scanned: ${bundles.map(rel).join(', ')}`)
console.log(
  `Not scanned: @tacit/core's ESM build keeps its dependencies external (${packages(core.external)}), and so does @tacit/react (${packages(react.external)}):` +
    " there the scan covers Tacit's own code only. TF.js as Tacit uses it is scanned inside tacit.min.js. Note: in an app that" +
    " bundles the ESM build, @tensorflow/tfjs-core installs its own browser platform (a real fetch) before setupTf runs, so" +
    " there the guarantee rests on Tacit never calling a TF.js model loader, not on the refusing platform.",
)
if (stale.length) {
  console.log(`Stale: ${stale.length} file(s) in packages/core/dist no import reaches (left by earlier builds, and published with "files": ["dist"]; clean dist before building), e.g. ${stale.slice(0, 3).map(rel).join(', ')}`)
}
const unused = ALLOWLIST.filter((a) => !known.some((h) => h.allowed === a))
if (unused.length) console.log(`Allowlist entries that matched nothing (remove them if the code is gone): ${unused.map((a) => `${a.api} / ${a.source}`).join('; ')}`)

const byEntry = ALLOWLIST.map((a) => ({ a, n: known.filter((h) => h.allowed === a).length })).filter((x) => x.n)
const thirdParty = byEntry.filter(({ a }) => !a.source.startsWith('Tacit'))
const reasons = byEntry.map(({ a, n }) => `\n  - ${n} × ${a.api} [${a.source}]: ${a.reason}`).join('')
console.log(
  `\n${bundles.length} bundles scanned, ${known.length} known occurrences ` +
    `(${thirdParty.reduce((s, x) => s + x.n, 0)} third-party, ${known.length - thirdParty.reduce((s, x) => s + x.n, 0)} Tacit's own)${known.length ? ':' : ''}${reasons}\n` +
    `${unexplained.length} unexplained.`,
)
process.exit(unexplained.length ? 1 : 0)
