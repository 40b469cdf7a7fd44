import { call } from './tacit.js'

// The basket and a three-stage checkout in one reserved box. Funnel steps: `cart` and `pay` are
// marked in the HTML (data-tacit-step on "Add" and "Pay"); `details` and `done` are recorded here,
// because they depend on the basket (an empty basket does not go to checkout).

const $ = (id) => document.getElementById(id)
const euro = (n) => `€${n}`
const MAX_LINES = 2

export const bindBasket = () => {
  const lines = new Map()
  const box = $('basket')
  const total = () => [...lines.values()].reduce((sum, l) => sum + l.price * l.qty, 0)
  const count = () => [...lines.values()].reduce((sum, l) => sum + l.qty, 0)

  const render = () => {
    const list = $('basket-lines')
    const rows = [...lines.values()]
    const shown = rows.length > MAX_LINES ? rows.slice(0, MAX_LINES - 1) : rows
    list.replaceChildren(
      ...shown.map((l) => {
        const li = document.createElement('li')
        const name = document.createElement('span')
        name.textContent = l.qty > 1 ? `${l.qty} × ${l.name}` : l.name
        const price = document.createElement('span')
        price.textContent = euro(l.price * l.qty)
        li.append(name, price)
        return li
      }),
    )
    if (!rows.length) {
      const empty = document.createElement('li')
      empty.className = 'empty'
      empty.textContent = 'Nothing here yet.'
      list.append(empty)
    }
    if (shown.length < rows.length) {
      const more = document.createElement('li')
      more.className = 'more'
      more.textContent = `and ${rows.length - shown.length} more`
      list.append(more)
    }
    $('basket-count').textContent = String(count())
    $('basket-total').textContent = euro(total())
    $('basket-note').textContent = `Total, ${count()} item${count() === 1 ? '' : 's'}`
    $('pay').textContent = `Pay ${euro(total())}`
    $('pay').setAttribute('data-tacit-value', String(total()))
  }
  const stage = (name) => box.setAttribute('data-stage', name)

  $('grid').addEventListener('click', (e) => {
    const button = e.target.closest('button.add')
    if (!button) return
    const { id, name, price } = button.dataset
    const line = lines.get(id) ?? { name, price: Number(price), qty: 0 }
    line.qty += 1
    lines.set(id, line)
    stage('basket')
    render()
  })
  $('buy').addEventListener('click', () => {
    if (!lines.size) {
      $('basket-note').textContent = 'Add something to your basket first.'
      return
    }
    call('step', 'checkout', 'details')
    stage('details')
  })
  $('back').addEventListener('click', () => stage('basket'))
  $('details').addEventListener('submit', (e) => {
    e.preventDefault()
    call('step', 'checkout', 'done')
    lines.clear()
    render()
    stage('done')
  })
  $('again').addEventListener('click', () => stage('basket'))
  // Tacit reveals these once; closing them is the person's choice and sticks for this page.
  $('returns-close').addEventListener('click', () => $('returns').setAttribute('hidden', ''))
  $('buy-help-close').addEventListener('click', () => $('buy-help').setAttribute('hidden', ''))
  render()
}
