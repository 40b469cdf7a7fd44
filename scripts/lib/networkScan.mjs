// Finds network APIs in built JavaScript (minified or not), for scripts/check-network.mjs.
//
// How it matches: on the raw text, strings included (a name in a string can be a computed access,
// `self["fetch"]`), so it errs on the side of reporting. An API name is matched as a whole
// identifier: the characters either side must not be identifier characters ([A-Za-z0-9_$]). So
// `prefetchAll`, `fetched`, `myWebSocketName` and `WorkerGlobalScope` are NOT hits: they are other
// identifiers and cannot reach the API by themselves; whatever does reach it has to name it. Not
// caught: names built at run time (`self["fe" + "tch"]`); the real-browser request recording
// test covers those.
//
// Deliberately not in the list: BroadcastChannel (same origin, same device, never the network),
// IndexedDB / localStorage (on the device), and `<template>` cloning (the page's own markup).
import { parseAst } from 'rollup/parseAst'

/** Identifier characters either side of a whole-word match. */
const word = (name) => new RegExp(`(?<![\\w$])(?:${name})(?![\\w$])`, 'g')
const URL_ATTRIBUTES = 'src|srcset|href|action|formaction|poster|ping|background|data'
const LOADING_ELEMENTS = 'script|img|image|iframe|frame|link|audio|video|source|track|embed|object|portal|style'

/**
 * The network APIs the scan reports: `id` names the API in the output and the allowlist, `what`
 * says why it can send or load something.
 */
export const NETWORK_APIS = [
  { id: 'fetch', pattern: word('fetch'), what: 'Fetch API (also window.fetch, self["fetch"])' },
  { id: 'XMLHttpRequest', pattern: word('XMLHttpRequest'), what: 'XHR request' },
  { id: 'sendBeacon', pattern: word('sendBeacon'), what: 'navigator.sendBeacon' },
  { id: 'WebSocket', pattern: word('WebSocket|WebSocketStream'), what: 'WebSocket connection' },
  { id: 'EventSource', pattern: word('EventSource'), what: 'server-sent events connection' },
  { id: 'WebTransport', pattern: word('WebTransport'), what: 'WebTransport session' },
  { id: 'RTCPeerConnection', pattern: word('(?:webkit|moz)?RTCPeerConnection'), what: 'WebRTC (STUN/TURN, data channels)' },
  { id: 'importScripts', pattern: word('importScripts'), what: 'worker script load' },
  { id: 'Worker', pattern: word('Worker|SharedWorker|serviceWorker'), what: 'worker script load / service worker' },
  { id: 'dynamic-import', pattern: /(?<![\w$.])import\s*\(/g, what: 'dynamic import() loads a script' },
  { id: 'Image', pattern: word('Image'), what: 'new Image(): loads once src is set' },
  { id: 'url-property', pattern: new RegExp(`\\.(?:${URL_ATTRIBUTES.replace('|data', '')}|formAction|location)\\s*=(?![=>])`, 'g'), what: 'src/srcset/href/action/location assignment (loads or navigates)' },
  { id: 'location', pattern: /(?<![\w$.])location\s*=(?![=>])|\blocation\.(?:assign|replace|reload)\s*\(/g, what: 'navigation' },
  { id: 'url-attribute', pattern: new RegExp(`setAttribute(?:NS)?\\(\\s*(?:[^,()]*,\\s*)?(["'\`])(?:xlink:)?(?:${URL_ATTRIBUTES})\\1`, 'gi'), what: 'URL attribute set (loads or navigates)' },
  { id: 'createElement', pattern: new RegExp(`createElement(?:NS)?\\(\\s*(?:[^,()]*,\\s*)?(["'\`])(?:${LOADING_ELEMENTS})\\1`, 'gi'), what: 'element that loads a URL' },
  { id: 'resource-hint', pattern: /(?<![\w$-])(?:dns-prefetch|prefetch|preload|preconnect|modulepreload|prerender)(?![\w$-])|\.rel\s*=(?![=>])|(?<![\w$])relList(?![\w$])/g, what: '<link rel=prefetch>-style hint' },
  { id: 'html-injection', pattern: word('innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|srcdoc|setHTMLUnsafe') , what: 'markup that may hold <img src>, <script>...' },
  { id: 'document.write', pattern: /\bdocument\.write(?:ln)?\s*\(/g, what: 'markup written into the page' },
  { id: 'css-url', pattern: /(?<![\w$-])url\(|@import(?![\w$])/g, what: 'CSS url() / @import (loads when applied)' },
  { id: 'window.open', pattern: /(?<![\w$])(?:window|self|globalThis|top|parent|opener)\.open\s*\(/g, what: 'opens a page' },
  { id: 'form-submit', pattern: /\.(?:submit|requestSubmit)\s*\(/g, what: 'form submission' },
  { id: 'postMessage', pattern: word('postMessage'), what: 'message to another window or frame (may be cross-origin)' },
  { id: 'caches', pattern: word('caches'), what: 'Cache API (cache.add(url) fetches)' },
  { id: 'worklet', pattern: word('addModule|FontFace'), what: 'worklet module or web font load' },
]

const CONTEXT = 30 // characters printed either side of a hit
const ALLOW_WINDOW = 200 // characters either side an allowlist context regex may span

/**
 * An allowlist entry: a hit is explained when `file` matches the bundle's path, `api` is the
 * rule's id, and a match of `context` (tested around the hit) covers the hit itself.
 * @typedef {{ file: RegExp, api: string, context: RegExp, reason: string, source?: string }} AllowEntry
 */

/** The 1-based line and column of `offset` in `code`. */
export const lineColumn = (code, offset) => {
  let line = 1
  let start = 0
  for (let i = code.indexOf('\n'); i !== -1 && i < offset; i = code.indexOf('\n', i + 1)) {
    line++
    start = i + 1
  }
  return { line, column: offset - start + 1 }
}

/** Whether a match of `context` near the hit covers [start, end). */
const coversHit = (code, start, end, context) => {
  const from = Math.max(0, start - ALLOW_WINDOW)
  const text = code.slice(from, end + ALLOW_WINDOW)
  const re = new RegExp(context.source, context.flags.includes('g') ? context.flags : `${context.flags}g`)
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue
    if (from + m.index <= start && from + m.index + m[0].length >= end) return true
  }
  return false
}

/**
 * Scans `code` for {@link NETWORK_APIS}. Returns every hit with its offset, line and column, the
 * API, the matched text, about 60 characters of context (line breaks shown as ⏎), and the
 * allowlist entry that explains it (or null).
 * @param {string} code
 * @param {{ file?: string, allowlist?: AllowEntry[], apis?: typeof NETWORK_APIS }} [options]
 */
export const scanCode = (code, { file = '', allowlist = [], apis = NETWORK_APIS } = {}) => {
  const hits = []
  for (const api of apis) {
    for (const m of code.matchAll(new RegExp(api.pattern.source, api.pattern.flags))) {
      const offset = m.index
      const end = offset + m[0].length
      const context = code.slice(Math.max(0, offset - CONTEXT), end + CONTEXT).replace(/\r?\n/g, '⏎')
      const allowed =
        allowlist.find((a) => a.api === api.id && a.file.test(file) && coversHit(code, offset, end, a.context)) ?? null
      hits.push({ file, offset, ...lineColumn(code, offset), api: api.id, match: m[0], context, allowed })
    }
  }
  return hits.sort((a, b) => a.offset - b.offset || a.api.localeCompare(b.api))
}

/**
 * The module specifiers an ES module imports (static imports, re-exports and literal
 * `import('./x.js')`), relative ones (its own chunks) and bare ones (external packages) apart.
 * Parsed with rollup's parser, so text in strings and comments is not mistaken for an import.
 */
export const importsOf = (code) => {
  const specifiers = new Set()
  const walk = (node) => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach(walk)
    if (/^(Import|ExportNamed|ExportAll)Declaration$|^ImportExpression$/.test(node.type) && typeof node.source?.value === 'string') {
      specifiers.add(node.source.value)
    }
    for (const key in node) if (key !== 'source') walk(node[key])
  }
  walk(parseAst(code))
  const all = [...specifiers]
  return { relative: all.filter((s) => s.startsWith('.')), external: all.filter((s) => !s.startsWith('.')) }
}
