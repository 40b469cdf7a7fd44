// Rollup plugin that keeps TensorFlow.js down to what Tacit's models use (see
// packages/core/src/model/tf.ts), for the browser bundle:
//
//   import { tfjsSlim } from './scripts/lib/tfSlim.mjs'
//   plugins: [tfjsSlim(), resolve({ browser: true }), commonjs(), esbuild(), terser()]
//
// Why it is needed: even when only a few kernels are registered, `@tensorflow/tfjs-core`'s index
// (imported by every cpu kernel) registers all optimizers at load, its io modules are flagged as
// side-effectful, and commonjs helpers it pulls (long, seedrandom) cannot be tree-shaken. The
// plugin
// - resolves '@tensorflow/tfjs-core' to a slim entry: `dist/base.js` plus the side effects tfjs
//   needs to run (engine, flags, platform, op handler), without registerOptimizers();
// - marks every other tfjs, long and seedrandom module as free of side effects, so only what is
//   reached from the used exports stays. That drops tfjs's browser platform, which would register
//   IndexedDB and localStorage model stores: setupTf() in model/tf.ts installs a small platform of
//   its own when none is set.
//
// Measured (rollup + terser, gzip -9): tfjs-core + cpu backend + Tacit's kernels, about 35 KB
// gzip without the plugin and 22 KB with it. Run `node scripts/lib/tfSlim.mjs [entry.ts]` to
// print the figures for an entry (default: the model layer).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const SLIM = '\0tfjs-core-slim'
const KEEP_SIDE_EFFECTS = /@tensorflow\/tfjs-core\/dist\/(engine|tensor|base_side_effects|flags)\.js$/
const TFJS_OR_HELPERS = /node_modules\/(@tensorflow\/|long\/|seedrandom\/)/

const UNUSED = (what) => `throw new Error('${what} is not part of Tacit\\'s TensorFlow.js build')`
/**
 * tfjs-core modules that Tacit's models never reach at run time but the engine and tensor classes
 * import (class methods cannot be tree-shaken): replaced by small stand-ins, about 3 KB gzip.
 * - tape.js: automatic differentiation (`tf.grad`); the models have hand-written gradients.
 * - profiler.js: kernel profiling, only with the DEBUG flag or `tf.profile()`; neither is used.
 * - tensor_format.js: `tensor.toString()` / `print()`; shows a placeholder instead.
 * The Chromium tests of learning (packages/browser/test/learning.browser.test.ts) run the models in
 * the built script with these stand-ins.
 */
const STUBS = [
  ['/@tensorflow/tfjs-core/dist/tape.js', `export function getFilteredNodesXToY() { ${UNUSED('Automatic differentiation')} }\nexport function backpropagateGradients() { ${UNUSED('Automatic differentiation')} }\n`],
  ['/@tensorflow/tfjs-core/dist/profiler.js', `export class Profiler { profileKernel() { ${UNUSED('Kernel profiling')} } logKernelProfile() {} }\nexport function checkComputationForErrors() { return false }\nexport class Logger {}\n`],
  ['/@tensorflow/tfjs-core/dist/tensor_format.js', `export function tensorToString(vals, shape, dtype) { return 'Tensor ' + dtype + ' [' + shape + ']' }\n`],
]

/** The rollup plugin described above. */
export const tfjsSlim = () => {
  const core = dirname(require.resolve('@tensorflow/tfjs-core/package.json'))
  return {
    name: 'tfjs-slim',
    async resolveId(source, importer, options) {
      if (source === '@tensorflow/tfjs-core') return { id: SLIM, moduleSideEffects: true }
      if (source.startsWith('\0')) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      if (resolved && !resolved.external && TFJS_OR_HELPERS.test(resolved.id)) {
        return { ...resolved, moduleSideEffects: KEEP_SIDE_EFFECTS.test(resolved.id) }
      }
      return resolved
    },
    load(id) {
      const stub = STUBS.find(([path]) => id.endsWith(path))
      if (stub) return stub[1]
      if (id !== SLIM) return null
      const base = JSON.stringify(join(core, 'dist/base.js'))
      const effects = JSON.stringify(join(core, 'dist/base_side_effects.js'))
      return `import ${effects};\nexport * from ${base};\n`
    },
  }
}

/** Bundles `input` for the browser (ESM, minified) and returns its sizes, with or without the plugin. */
export const measure = async (input, { slim = true, external = [] } = {}) => {
  const { rollup } = await import('rollup')
  const { nodeResolve } = await import('@rollup/plugin-node-resolve')
  const commonjs = (await import('@rollup/plugin-commonjs')).default
  const terser = (await import('@rollup/plugin-terser')).default
  const esbuild = (await import('rollup-plugin-esbuild')).default
  const { gzipSync } = await import('node:zlib')
  const bundle = await rollup({
    input,
    external,
    onwarn: () => {},
    plugins: [
      ...(slim ? [tfjsSlim()] : []),
      nodeResolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] }),
      commonjs(),
      esbuild({ target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' } }),
    ],
  })
  const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true, plugins: [terser({ format: { comments: false }, compress: { passes: 2 } })] })
  await bundle.close()
  const code = output[0].code
  return { code, min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(dirname(new URL(import.meta.url).pathname), '../..')
  const entries = process.argv[2] ? [process.argv[2]] : [join(root, 'packages/core/src/model/tf.ts'), join(root, 'scripts/lib/tfSizeEntry.ts')]
  for (const entry of entries) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`
    const full = await measure(entry, { slim: false })
    const slim = await measure(entry, { slim: true })
    const noZod = await measure(entry, { slim: true, external: [/^zod/] })
    console.log(`${entry.replace(root + '/', '')}`)
    console.log(`  without the plugin: ${kb(full.min)} min, ${kb(full.gzip)} gzip`)
    console.log(`  with tfjsSlim():    ${kb(slim.min)} min, ${kb(slim.gzip)} gzip (${kb(noZod.gzip)} gzip with zod external, shared with the rest of the SDK)`)
  }
}
