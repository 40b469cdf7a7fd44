// The session benchmark's server: the shop page in three variants (no SDK, Tacit, posthog-js),
// the two SDKs' files, and a stub of PostHog's endpoints that answers everything on localhost
// and counts what it was sent, so that nothing leaves the machine.
import { createServer } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const pages = fileURLToPath(new URL('../pages/', import.meta.url))
const posthogDist = join(root, 'node_modules/posthog-js/dist')
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }

/** The PostHog project token of the stub (any string works: the stub checks nothing). */
export const POSTHOG_TOKEN = 'phc_session_bench'

/**
 * What PostHog's servers send a project with autocapture, heatmaps and dead clicks switched on,
 * and session recording, surveys, product tours, exception capture and feature flags off: so
 * that posthog-js runs the features the benchmark compares and fetches nothing it would not.
 */
const REMOTE_CONFIG = {
  token: POSTHOG_TOKEN,
  supportedCompression: ['gzip-js'],
  autocapture_opt_out: false,
  capturePerformance: false,
  autocaptureExceptions: false,
  errorTracking: { autocaptureExceptions: false },
  elementsChainAsString: true,
  sessionRecording: false,
  surveys: false,
  productTours: false,
  heatmaps: true,
  captureDeadClicks: true,
  hasFeatureFlags: false,
  defaultIdentifiedOnly: true,
  isAuthenticated: false,
  toolbarParams: {},
  siteApps: [],
  conversations: false,
}

/** posthog-js options: the features of issue 7, everything that would need more servers off. */
const POSTHOG_OPTIONS = {
  api_host: '__ORIGIN__/ph',
  defaults: '2025-11-30',
  autocapture: true,
  capture_heatmaps: true,
  rageclick: true,
  capture_dead_clicks: true,
  capture_pageview: true,
  capture_pageleave: true,
  disable_session_recording: true,
  disable_surveys: true,
  disable_product_tours: true,
  disable_conversations: true,
  capture_performance: false,
  capture_exceptions: false,
  // Headless Chromium under automation says so (navigator.webdriver), and posthog-js drops the
  // events of such browsers unless told not to: a person's browser would not be filtered.
  opt_out_useragent_filter: true,
}

/** Tacit's script tag, loading `src`. */
const tacitTag = (src) => `<script src="${src}" data-consent="granted" data-funnels='{"checkout":["cart","details","pay"]}' async></script>`

/** The `<head>` markup of each variant; `none` adds nothing. */
const SDK_TAGS = {
  none: '',
  tacit: tacitTag('/tacit.min.js'),
  // Another build of Tacit (`--baseline`), to compare two builds in the same rounds.
  baseline: tacitTag('/tacit-baseline.min.js'),
  // PostHog's snippet in substance: a queue with the init call, then array.js loaded async
  // (array.js reads window.posthog._i and replaces the queue with the SDK).
  posthog: `<script>
    ;(() => {
      const options = ${JSON.stringify(POSTHOG_OPTIONS)}
      options.api_host = options.api_host.replace('__ORIGIN__', location.origin)
      options.loaded = () => window.__bench && window.__bench.sdkReady()
      const queue = (window.posthog = [])
      queue._i = [[${JSON.stringify(POSTHOG_TOKEN)}, options, 'posthog']]
      queue.people = []
      queue.__SV = 1
      const script = document.createElement('script')
      script.async = true
      script.crossOrigin = 'anonymous'
      script.src = options.api_host + '/static/array.js'
      document.head.appendChild(script)
    })()
  </script>`,
}

/**
 * The names of the events in a body posthog-js sent: gzip (its default), `data=<base64>` (its
 * beacons on page leave) or plain JSON; one event, an array of them, or `{ batch }`.
 */
const eventNames = (body) => {
  if (!body.length) return []
  try {
    let text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8')
    if (text.startsWith('data=')) text = Buffer.from(decodeURIComponent(text.slice(5)), 'base64').toString('utf8')
    const data = JSON.parse(text)
    const events = Array.isArray(data) ? data : Array.isArray(data.batch) ? data.batch : [data]
    return events.map((e) => (e && typeof e.event === 'string' ? e.event : '(unnamed)'))
  } catch {
    return ['(undecoded)']
  }
}

/** The variants the benchmark runs, in the order it alternates them (`baseline` only when asked for). */
export const VARIANTS = ['none', 'tacit', 'posthog']

/**
 * Starts the server on a free port. `bundle` is the bytes of tacit.min.js, read once, so that a
 * rebuild during the benchmark does not change what the runs measure; `baseline`, those of another
 * build, served for the `baseline` variant. `stub` counts the requests
 * to PostHog's endpoints (scripts apart) since the last `stub.reset()`.
 */
export const startSessionServer = ({ bundle, baseline }) =>
  new Promise((resolvePromise) => {
    const stub = {
      requests: 0,
      bytes: 0,
      paths: {},
      events: {},
      reset() {
        this.requests = 0
        this.bytes = 0
        this.paths = {}
        this.events = {}
      },
    }
    const server = createServer((req, res) => {
      const url = new URL(req.url || '/', 'http://localhost')
      const send = (status, body, type = 'text/plain; charset=utf-8') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
        res.end(body)
      }
      const path = url.pathname
      if (path === '/session.html') {
        const sdk = url.searchParams.get('sdk') || 'none'
        if (!(sdk in SDK_TAGS)) return send(400, `unknown sdk ${sdk}`)
        const html = readFileSync(join(pages, 'session.html'), 'utf8').replace('<!--SDK-->', SDK_TAGS[sdk])
        return send(200, html, TYPES['.html'])
      }
      if (path === '/tacit.min.js') return send(200, bundle, TYPES['.js'])
      if (path === '/tacit-baseline.min.js' && baseline) return send(200, baseline, TYPES['.js'])
      if (path.startsWith('/ph/static/')) {
        // posthog-js's own files, as its CDN would serve them (array.js and the lazy extensions,
        // which it asks for under its version first: /static/1.449.2/dead-clicks-autocapture.js).
        const file = normalize(join(posthogDist, path.slice('/ph/static/'.length).replace(/^\d+\.\d+\.\d+[^/]*\//, '')))
        if (!file.startsWith(posthogDist) || !existsSync(file)) return send(404, 'not found')
        return send(200, readFileSync(file), TYPES['.js'])
      }
      if (path.startsWith('/ph/')) {
        // The stub: counts the request and its body, answers as PostHog would.
        stub.requests += 1
        const key = path.replace(/\/array\/[^/]+\//, '/array/<token>/')
        stub.paths[key] = (stub.paths[key] || 0) + 1
        const chunks = []
        req.on('data', (chunk) => {
          stub.bytes += chunk.length
          chunks.push(chunk)
        })
        req.on('end', () => {
          for (const name of eventNames(Buffer.concat(chunks))) stub.events[name] = (stub.events[name] || 0) + 1
          if (path.endsWith('/config.js')) {
            const js = `window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};
window._POSTHOG_REMOTE_CONFIG[${JSON.stringify(POSTHOG_TOKEN)}] = { config: ${JSON.stringify(REMOTE_CONFIG)}, siteApps: [] };`
            return send(200, js, TYPES['.js'])
          }
          if (path.endsWith('/config')) return send(200, JSON.stringify(REMOTE_CONFIG), 'application/json')
          if (path.startsWith('/ph/flags')) return send(200, JSON.stringify({ flags: {}, featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false }), 'application/json')
          send(200, JSON.stringify({ status: 1 }), 'application/json')
        })
        return
      }
      const asset = normalize(join(pages, path))
      if (path.startsWith('/session-') && asset.startsWith(pages) && existsSync(asset)) {
        return send(200, readFileSync(asset), TYPES[extname(asset)] || 'application/octet-stream')
      }
      send(404, 'not found')
    })
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      resolvePromise({ url: `http://localhost:${port}`, stub, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
