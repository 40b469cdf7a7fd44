// Test page helper: records every signal Tacit emits, through the pre-load queue.
window.__signals = []
window.tacit = window.tacit || []
window.tacit.push(['on', 'signal', (s) => window.__signals.push(s)])
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('signup').addEventListener('submit', (e) => e.preventDefault())
  document.getElementById('grow').addEventListener('click', () => {
    document.getElementById('log').append(document.createElement('p'))
  })
})
