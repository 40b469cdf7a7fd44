// The private member names of Tacit's own code, for terser to shorten in tacit.min.js (issue 7:
// "mangle private names"). Terser cannot tell a class's private member from a dependency's
// property, so it gets an explicit list: every `_name` in packages/*/src, minus any name that also
// occurs in the bundled dependencies' code (idb, TF.js), which may reach it by a string key.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const files = (dir, ext) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => join(e.parentPath, e.name))

const namesIn = (text) => new Set(text.match(/\b_[a-zA-Z]\w*/g) ?? [])

/** A regex matching exactly the names safe to mangle (see the module comment). */
export const privateNames = (root) => {
  const own = new Set()
  for (const pkg of ['core', 'browser', 'react']) {
    for (const f of files(join(root, 'packages', pkg, 'src'), /\.tsx?$/)) for (const n of namesIn(readFileSync(f, 'utf8'))) own.add(n)
  }
  const deps = ['idb/build', '@tensorflow/tfjs-core/dist', '@tensorflow/tfjs-backend-cpu/dist']
  for (const d of deps) {
    for (const f of files(join(root, 'node_modules', d), /\.js$/)) for (const n of namesIn(readFileSync(f, 'utf8'))) own.delete(n)
  }
  return new RegExp(`^(${[...own].sort().join('|')})$`)
}
