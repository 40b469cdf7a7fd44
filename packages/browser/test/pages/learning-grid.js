// Test page helper: once Tacit is ready, shows the grid in the order tacit.rank() gives, as a
// shop would ("recommended for you"), and marks the body so a test knows the order is final.
window.tacit = window.tacit || []
const items = () =>
  Array.from(document.querySelectorAll('#grid [data-tacit-item]'), (el) => ({
    id: el.dataset.tacitItem,
    tags: el.dataset.tacitTags.split(','),
  }))
const render = () => {
  const grid = document.getElementById('grid')
  const byId = new Map(Array.from(grid.children, (el) => [el.dataset.tacitItem, el]))
  const ranked = window.tacit.rank(items())
  const order = ranked.map((item) => item.id)
  // Only move cards when the order changes: a no-op on a first visit.
  if (order.join() !== Array.from(grid.children, (el) => el.dataset.tacitItem).join()) {
    grid.append(...order.map((id) => byId.get(id)))
  }
  document.body.dataset.ranked = 'true'
}
const whenLoaded = () => (Array.isArray(window.tacit) ? setTimeout(whenLoaded, 10) : window.tacit.ready.then(render))
whenLoaded()
