// Rollup only bundles; `tsc -b` emits the types. esbuild strips TypeScript.
import commonjs from '@rollup/plugin-commonjs'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import esbuild from 'rollup-plugin-esbuild'
import { privateNames } from './scripts/lib/privateNames.mjs'
import { tfjsSlim } from './scripts/lib/tfSlim.mjs'

const coreSource = fileURLToPath(new URL('packages/core/src/index.ts', import.meta.url))
const coreInternal = fileURLToPath(new URL('packages/core/src/internal.ts', import.meta.url))
const reactSource = fileURLToPath(new URL('packages/react/src/index.ts', import.meta.url))

/** Bundles the workspace's own `@tacit/core` (and its internal entry) from source, not from its built output. */
const coreFromSource = () => ({
  name: 'core-from-source',
  resolveId: (id) => (id === '@tacit/core' ? coreSource : id === '@tacit/core/internal' ? coreInternal : null),
})

/**
 * The script tag is one file: core's lazy detector import becomes a static one (see signals/load.ts),
 * of the one export it uses (a namespace object would keep every export's name in the file).
 */
const detectorsInline = () => ({
  name: 'detectors-inline',
  load: (id) =>
    id.endsWith('/packages/core/src/signals/load.ts')
      ? `import { startDetectors } from './index'\nexport const loadDetectors = () => Promise.resolve({ startDetectors })\n`
      : null,
})

/** Empties a folder when a build starts, so chunks of earlier builds are not shipped. */
const clean = (dir) => ({ name: 'clean', buildStart: () => rmSync(dir, { recursive: true, force: true }) })

const isExternal = (id) => /^(idb|@tensorflow\/)/.test(id)

export default [
  {
    // @tacit/core for bundlers: ESM, dependencies external, lazy parts as separate chunks; and
    // `@tacit/core/internal`, what Tacit's own packages share with it (src/internal.ts).
    input: { index: 'packages/core/src/index.ts', internal: 'packages/core/src/internal.ts' },
    external: isExternal,
    plugins: [clean('packages/core/dist/chunks'), esbuild({ target: 'es2020' })],
    output: { dir: 'packages/core/dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    // The script tag: one minified IIFE with everything inside; it sets `window.tacit` itself.
    input: 'packages/browser/src/index.ts',
    plugins: [
      tfjsSlim(), // only the TF.js modules the models reach (see the plugin)
      coreFromSource(),
      detectorsInline(),
      resolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] }),
      commonjs(),
      esbuild({ target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' } }),
      // ascii_only: one non-Latin-1 character makes the browser keep the whole source at two
      // bytes per character (measured: 302 KB of memory for the script, 151 KB with this).
      // mangle.properties: Tacit's private members (`_name`) get short names (see privateNames.mjs).
      terser({
        format: { comments: false, ascii_only: true },
        compress: { passes: 3 },
        mangle: { properties: { regex: privateNames(fileURLToPath(new URL('.', import.meta.url))) } },
      }),
    ],
    output: { file: 'packages/browser/dist/tacit.min.js', format: 'iife', inlineDynamicImports: true },
  },
  {
    // @tacit/react for bundlers: ESM, React and core external.
    input: 'packages/react/src/index.ts',
    external: /^(react|react-dom|@tacit\/core)(\/|$)/,
    plugins: [esbuild({ target: 'es2020', jsx: 'automatic' })],
    output: { file: 'packages/react/dist/index.js', format: 'es' },
  },
  {
    // examples/react-onboarding: the app, React, @tacit/react and @tacit/core (from source) in one file.
    input: 'examples/react-onboarding/src/main.tsx',
    plugins: [
      tfjsSlim(),
      coreFromSource(),
      { name: 'react-from-source', resolveId: (id) => (id === '@tacit/react' ? reactSource : null) },
      // Before commonjs, so React's CommonJS entry keeps only its production branch.
      { name: 'node-env', transform: (code) => (code.includes('process.env.NODE_ENV') ? code.replaceAll('process.env.NODE_ENV', '"production"') : null) },
      resolve({ browser: true, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      commonjs(),
      esbuild({ target: 'es2020', jsx: 'automatic' }),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
    output: { file: 'examples/react-onboarding/dist/app.js', format: 'es', inlineDynamicImports: true },
  },
]
