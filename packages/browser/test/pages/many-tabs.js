// Test page helper for many-tabs.html: what this tab produced, counted by the page itself
// (independently of Tacit), so a test can compare the stored totals with the sum over tabs.
window.__signals = []
window.__clicks = {}
window.__pointerovers = {}
window.tacit = window.tacit || []
window.tacit.push(['on', 'signal', (s) => window.__signals.push(s)])
const itemOf = (e) => (e.target instanceof Element ? e.target.closest('[data-tacit-item],[data-tacit-goal]') : null)
document.addEventListener('click', (e) => {
  const el = itemOf(e)
  if (e.isTrusted && el) window.__clicks[el.id] = (window.__clicks[el.id] || 0) + 1
}, true)
document.addEventListener('pointerover', (e) => {
  const el = itemOf(e)
  if (e.isTrusted && el) window.__pointerovers[el.id] = (window.__pointerovers[el.id] || 0) + 1
}, true)
