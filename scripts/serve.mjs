#!/usr/bin/env node
// Serves the examples (and, for tests, extra folders) on localhost. `npm start` runs it.
import { createServer } from 'node:http'
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

const examples = () =>
  readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'examples', d.name, 'index.html')))
    .map((d) => d.name)

const indexPage = () => `<!doctype html><meta charset="utf-8"><title>Tacit examples</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style>
<h1>Tacit examples</h1><ul>${examples().map((n) => `<li><a href="/examples/${n}/">${n}</a></li>`).join('')}</ul>`

/**
 * Starts the server. `mounts` maps URL prefixes to folders (the examples are always mounted);
 * `/tacit.min.js` is the built script-tag bundle.
 */
export const startServer = ({ port = 0, mounts = {}, headers = {} } = {}) =>
  new Promise((resolvePromise) => {
    const table = { '/examples/': join(root, 'examples'), ...mounts }
    const server = createServer((req, res) => {
      const url = new URL(req.url || '/', 'http://localhost')
      const send = (status, body, type = 'text/plain; charset=utf-8') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers })
        res.end(body)
      }
      if (url.pathname === '/') return send(200, indexPage(), TYPES['.html'])
      if (url.pathname === '/tacit.min.js') {
        const file = join(root, 'packages/browser/dist/tacit.min.js')
        if (!existsSync(file)) return send(404, 'tacit.min.js is not built: run `npm run build`')
        return send(200, readFileSync(file), TYPES['.js'])
      }
      for (const [prefix, dir] of Object.entries(table)) {
        if (!url.pathname.startsWith(prefix)) continue
        let file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))))
        if (!file.startsWith(normalize(dir))) return send(403, 'forbidden')
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
        if (!existsSync(file)) return send(404, 'not found')
        return send(200, readFileSync(file), TYPES[extname(file)] || 'application/octet-stream')
      }
      send(404, 'not found')
    })
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address()
      resolvePromise({ server, url: `http://localhost:${actual}`, close: () => new Promise((r) => server.close(() => r())) })
    })
  })

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT || 5173)
  const { url } = await startServer({ port })
  console.log(`Tacit examples: ${url}/`)
  for (const name of examples()) console.log(`  ${name.padEnd(20)} ${url}/examples/${name}/`)
  console.log('Ctrl+C to stop.')
}
