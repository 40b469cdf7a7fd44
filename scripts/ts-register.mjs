// Lets Node 20 run the repository's TypeScript directly, so the command-line tools use the SAME
// model source as the browser build:
//
//   node --import ./scripts/ts-register.mjs scripts/train-intent.ts --data file.csv ...
//
// Imported on the main thread, this file registers itself (module.register) as module hooks;
// Node then loads it again on its hooks thread, where `resolve` and `load` below do the work:
// - .ts files are transpiled with esbuild (types stripped, no type checking: run tsc for that);
// - extensionless relative imports resolve as the bundler resolves them
//   ('./intent' -> './intent.ts', './intent.js' or './intent/index.ts');
// - extensionless deep imports into packages without an exports map resolve the same way
//   ('@tensorflow/tfjs-backend-cpu/dist/kernels/Add' -> '.../Add.js'), and those ES-module files
//   load as ESM although their package.json has no "type": "module".
import { readFile } from 'node:fs/promises'
import { register } from 'node:module'
import { fileURLToPath } from 'node:url'
import { isMainThread } from 'node:worker_threads'

if (isMainThread) register(import.meta.url)

const CANDIDATES = ['.ts', '.js', '.mjs', '/index.ts', '/index.js']
const isBare = (s) => !s.startsWith('.') && !s.startsWith('/') && !/^[a-z]+:/i.test(s)
const hasExtension = (s) => /\.[cm]?[jt]sx?$|\.json$/.test(s)
const isDeepImport = (s) => isBare(s) && s.split('/').length > (s.startsWith('@') ? 2 : 1)

export async function resolve(specifier, context, next) {
  const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')
  if ((relative || isDeepImport(specifier)) && !hasExtension(specifier)) {
    for (const suffix of CANDIDATES) {
      try {
        return await next(specifier + suffix, context)
      } catch {
        // try the next candidate
      }
    }
  }
  // A relative '.js' import written for a '.ts' file (TypeScript's NodeNext convention).
  if (relative && specifier.endsWith('.js')) {
    try {
      return await next(specifier, context)
    } catch {
      return next(specifier.slice(0, -3) + '.ts', context)
    }
  }
  return next(specifier, context)
}

let esbuild
const ESM_SYNTAX = /^\s*(import|export)\s/m

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    esbuild ??= await import('esbuild')
    const source = await readFile(fileURLToPath(url), 'utf8')
    const { code } = await esbuild.transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: fileURLToPath(url),
    })
    return { format: 'module', source: code, shortCircuit: true }
  }
  if (url.startsWith('file:') && url.includes('/node_modules/') && url.endsWith('.js') && context.format !== 'module') {
    const source = await readFile(fileURLToPath(url), 'utf8')
    if (ESM_SYNTAX.test(source) && !/\brequire\(|module\.exports|exports\./.test(source)) {
      return { format: 'module', source, shortCircuit: true }
    }
  }
  return next(url, context)
}
