// Test page helper for privacy.browser.test.ts: records every signal Tacit emits (through the
// pre-load queue) and every copy, so the test can tell that Control+C really copied.
window.__signals = []
window.__copies = 0
window.tacit = window.tacit || []
window.tacit.push(['on', 'signal', (s) => window.__signals.push(s)])
document.addEventListener('copy', () => window.__copies++)
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('form').addEventListener('submit', (e) => e.preventDefault())
})
