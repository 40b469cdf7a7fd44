import { barRow, meter } from './charts.js'

// "What this site knows about you": the stored profile (interests as bars), the current
// predictions (meters) and why the page looks the way it does, all read from Tacit in this
// browser. Every row has a fixed height, so refreshing the panel never moves anything.

const $ = (id) => document.getElementById(id)
const ROWS = 4
const REFRESH_MS = 300

/** Tacit's interest weight of a tag (README, `rank`): seconds on screen and under the pointer, 3 per click, 1 per pause. */
const attention = (t) => ({
  seen: t.dwellMs / 1000,
  pointed: t.hoverMs / 1000 + 3 * t.clicks + t.hesitations,
})

const seconds = (x) => (x >= 10 ? `${Math.round(x)} s` : `${x.toFixed(1)} s`)
const pct = (x) => `${Math.round(x * 100)}%`
const list = (words) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`)

export const bindPanel = (tacit) => {
  const bars = Array.from({ length: ROWS }, () => barRow(['dwell', 'hover']))
  $('interests').replaceChildren(...bars.map((b) => b.el))
  const threshold = Number($('returns').getAttribute('data-tacit-threshold') ?? 0.6)
  const convert = meter('Likely to buy')
  const risk = meter('Might leave without buying', { className: 'risk', mark: threshold })
  $('predictions').replaceChildren(convert.el, risk.el)
  const why = {
    hero: row('Banner'),
    order: row('Product order'),
    help: row('Help under “Buy now”'),
    returns: row('Free-returns reminder'),
  }
  $('why').replaceChildren(...Object.values(why).flatMap((r) => [r.dt, r.dd]))

  let erased = false
  let drawn = 0
  const draw = async () => {
    const call = ++drawn
    const profile = await tacit.profile()
    // Signals arrive in bursts: only the latest read may paint.
    if (call !== drawn) return
    const { convert: pConvert, dropOff } = tacit.predict()

    const stored = profile.storage === 'indexeddb'
    $('knows-summary').textContent = erased
      ? 'Erased. This page stores nothing more until you reload it.'
      : stored
        ? `In this browser only · visit ${profile.visitor?.visits ?? 1} · ${profile.signals.length} signals kept`
        : 'Kept in memory only: nothing is stored.'

    const tags = profile.tags
      .map((t) => ({ tag: t.tag, ...attention(t) }))
      .map((t) => ({ ...t, total: t.seen + t.pointed }))
      .filter((t) => t.total > 0)
      .sort((a, b) => b.total - a.total)
    const max = tags[0]?.total || 1
    bars.forEach((bar, i) => {
      const t = tags[i]
      bar.set(
        t && {
          label: t.tag,
          parts: [t.seen, t.pointed],
          max,
          text: seconds(t.total),
          top: i === 0,
          title: `${t.tag}: ${seconds(t.seen)} on screen, ${seconds(t.pointed)} under the pointer (clicks and pauses included)`,
        },
      )
    })
    convert.set(pConvert)
    risk.set(dropOff)

    const hero = profile.decisions.find((d) => d.slot === 'hero')
    const heroName = document.querySelector('#hero .kicker')?.textContent ?? 'the default'
    why.hero.set(tacit.explain('hero'), `Banner: ${heroName}`, hero && hero.policy !== 'fallback' ? `${pct(hero.probability)} chance` : '')
    why.order.set(orderReason(tacit, tags.map((t) => t.tag)))
    why.help.set(
      $('buy-help').hidden
        ? 'Appears when your pointer rests on “Buy now” for a second and moves on.'
        : 'Shown because your pointer rested on “Buy now” and moved on without clicking.',
    )
    why.returns.set(
      $('returns').hidden
        ? `Appears when the risk you leave reaches ${pct(threshold)}. ${tacit.explain({ predict: 'dropOff' })}`
        : `Shown because the risk you leave reached ${pct(threshold)} or more. ${tacit.explain({ predict: 'dropOff' })}`,
    )
  }

  let timer
  const refresh = () => {
    if (timer === undefined) timer = setTimeout(() => ((timer = undefined), draw()), REFRESH_MS)
  }
  tacit.subscribe(refresh)
  tacit.ready.then(draw)

  $('export').addEventListener('click', async () => {
    const blob = new Blob([await tacit.export()], { type: 'application/json' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = 'fjell-what-we-know.json'
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 1000)
  })
  $('erase').addEventListener('click', async () => {
    await tacit.erase()
    erased = true
    draw()
  })
}

/** A `<dt>`/`<dd>` pair whose texts are replaced on each refresh. */
const row = (title) => {
  const dt = document.createElement('dt')
  const name = dt.appendChild(document.createElement('span'))
  const aside = dt.appendChild(document.createElement('small'))
  name.textContent = title
  const dd = document.createElement('dd')
  return {
    dt,
    dd,
    set(text, heading = title, note = '') {
      name.textContent = heading
      aside.textContent = note
      dd.textContent = text
    },
  }
}

/** Why the grid is in the order it is: Tacit's ranking, or the shop's own order and why. */
const orderReason = (tacit, tags) => {
  const grid = $('grid')
  const shown = Array.from(grid.children)
  const catalogue = [...shown].sort((a, b) => Number(a.dataset.pos) - Number(b.dataset.pos))
  if (shown.some((li, i) => li !== catalogue[i])) {
    const first = { id: shown[0].dataset.tacitItem, tags: shown[0].dataset.tacitTags.split(',') }
    return `Sorted by what you look at most: ${list(tags.slice(0, 3))} first. First card: ${tacit.explain({ item: first })}`
  }
  if (!grid.hasAttribute('data-tacit-ready')) return 'Waiting for your preferences…'
  if (!tags.length) return 'The shop’s own order: nothing to go on yet.'
  const items = catalogue.map((li) => ({ id: li.dataset.tacitItem, tags: li.dataset.tacitTags.split(',') }))
  const wanted = tacit.rank(items)
  if (wanted.every((item, i) => item === items[i])) return 'The shop’s own order, which is also the order of your interests.'
  return 'The shop’s own order for now: your interests sort it on the next page load.'
}
