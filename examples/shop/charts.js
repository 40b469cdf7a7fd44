// Small charts built with DOM APIs only: sizes are set through the CSSOM (element.style), which a
// strict Content-Security-Policy allows, unlike style="" attributes.

const el = (tag, className, text) => {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

const percent = (x) => `${Math.max(0, Math.min(100, x * 100)).toFixed(1)}%`

/**
 * One row of a horizontal stacked bar chart: a label, a track with one segment per part, and a
 * value. `set(null)` shows an empty row (the row keeps its height).
 */
export const barRow = (partClasses) => {
  const row = el('li', 'bar empty')
  const label = el('span', 'label', '—')
  const track = el('span', 'track')
  const value = el('span', 'value', '')
  const segments = partClasses.map((c) => track.appendChild(el('span', `seg ${c}`)))
  row.append(label, track, value)
  return {
    el: row,
    /** `parts`: one number per segment; `max`: the value a full track stands for. */
    set(data) {
      row.classList.toggle('empty', !data)
      row.classList.toggle('top', Boolean(data?.top))
      label.textContent = data ? data.label : '—'
      value.textContent = data ? data.text : ''
      row.title = data?.title ?? ''
      segments.forEach((seg, i) => seg.style.setProperty('width', data ? percent(data.parts[i] / data.max) : '0%'))
    },
  }
}

/** A labelled meter from 0 to 1, with an optional mark (a threshold). */
export const meter = (labelText, { className = '', mark } = {}) => {
  const box = el('div', `meter ${className}`.trim())
  box.setAttribute('role', 'meter')
  box.setAttribute('aria-label', labelText)
  box.setAttribute('aria-valuemin', '0')
  box.setAttribute('aria-valuemax', '100')
  const row = el('div', 'row')
  const value = el('span', 'value', '—')
  row.append(el('span', 'label', labelText), value)
  const track = el('div', 'track')
  const fill = track.appendChild(el('div', 'fill'))
  fill.style.setProperty('width', '0%')
  if (mark !== undefined) {
    const tick = track.appendChild(el('span', 'mark'))
    tick.style.setProperty('left', percent(mark))
    tick.title = `${Math.round(mark * 100)}%`
  }
  box.append(row, track)
  return {
    el: box,
    set(x) {
      const pct = Math.round(x * 100)
      value.textContent = `${pct}%`
      box.setAttribute('aria-valuenow', String(pct))
      fill.style.setProperty('width', percent(x))
      if (mark !== undefined) box.classList.toggle('high', x >= mark)
    },
  }
}
