// The page's own code: it talks to Tacit only through the queue, so it works before and after
// tacit.min.js has loaded (the script is async).
window.tacit = window.tacit || []

const $ = (id) => document.getElementById(id)
const list = (rows) => rows.length ? rows.join('<br>') : '—'
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])

function describe(signal) {
  const extra = Object.entries(signal)
    .filter(([k]) => !['type', 't', 'target', 'tags'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  return `<b>${esc(signal.type)}</b> ${esc(signal.target)} ${esc(extra)}`
}

let shown = 0
async function showProfile() {
  const api = window.tacit
  if (Array.isArray(api)) return
  // Signals arrive in bursts: only the latest read may paint, so an older one never overwrites it.
  const call = ++shown
  const p = await api.profile()
  if (call !== shown) return
  $('storage').textContent = `(${p.storage}, consent ${p.consent})`
  const byDwell = [...p.items].sort((a, b) => b.dwellMs - a.dwellMs)
  const tags = [...p.tags].sort((a, b) => b.dwellMs + b.hoverMs - (a.dwellMs + a.hoverMs))
  $('profile').innerHTML = `
    <dt>Visits</dt><dd>${p.visitor ? p.visitor.visits : 0}</dd>
    <dt>Items</dt><dd>${list(byDwell.map((i) => `${esc(i.id)}: dwell ${Math.round(i.dwellMs)} ms, hover ${i.hovers}×, clicks ${i.clicks}, hesitations ${i.hesitations}`))}</dd>
    <dt>Tags</dt><dd>${list(tags.map((t) => `${esc(t.tag)}: dwell ${Math.round(t.dwellMs)} ms, hover ${Math.round(t.hoverMs)} ms`))}</dd>
    <dt>Goals</dt><dd>${list(p.outcomes.map((o) => `${esc(o.goal)} × ${o.count}`))}</dd>
    <dt>Funnels</dt><dd>${list(p.funnels.map((f) => `${esc(f.funnel)}: step ${f.furthest}, done ${f.completions}, dropped ${f.dropOffs}`))}</dd>
    <dt>Recent signals stored</dt><dd>${p.signals.length}</dd>`
}

window.tacit.push(['on', 'signal', (signal) => {
  const li = document.createElement('li')
  li.innerHTML = describe(signal)
  $('signals').prepend(li)
  showProfile()
}])

document.addEventListener('DOMContentLoaded', () => {
  $('details').addEventListener('submit', (e) => e.preventDefault())
  $('refresh').addEventListener('click', showProfile)
  $('erase').addEventListener('click', async () => {
    if (Array.isArray(window.tacit)) return window.tacit.push(['erase']) // not loaded yet: erased once it is
    await window.tacit.erase()
    $('signals').innerHTML = ''
    showProfile()
  })
  $('export').addEventListener('click', async () => {
    if (Array.isArray(window.tacit)) return
    const blob = new Blob([await window.tacit.export()], { type: 'application/json' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = 'tacit-export.json'
    a.click()
    URL.revokeObjectURL(a.href)
  })
  const poll = () => (Array.isArray(window.tacit) ? setTimeout(poll, 50) : window.tacit.ready.then(showProfile))
  poll()
})
