// Test page helper for lifecycle-shop.html: every signal Tacit emits (through the pre-load
// queue), and every pagehide / pageshow with its `persisted` flag (back/forward cache).
window.__signals = []
window.__lifecycle = []
window.tacit = window.tacit || []
window.tacit.push(['on', 'signal', (s) => window.__signals.push(s)])
addEventListener('pagehide', (e) => window.__lifecycle.push(`pagehide:${e.persisted}`))
addEventListener('pageshow', (e) => window.__lifecycle.push(`pageshow:${e.persisted}`))
