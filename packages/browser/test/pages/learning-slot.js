// Test page helper: the hero shows the variant tacit.decide() picks, on load and whenever the
// page is shown again; "Shop now" rewards it with 1, "Not for me" with 0.
window.tacit = window.tacit || []
const hero = document.getElementById('hero')
const render = () => {
  const decision = window.tacit.decide('hero', ['a', 'b', 'c'])
  document.getElementById('headline').textContent = decision.variant
  hero.dataset.variant = decision.variant
  hero.dataset.probability = String(decision.probability)
  hero.dataset.renders = String(Number(hero.dataset.renders) + 1)
}
document.getElementById('cta').addEventListener('click', () => window.tacit.reward('hero', 1))
document.getElementById('dismiss').addEventListener('click', () => window.tacit.reward('hero', 0))
document.addEventListener('visibilitychange', () => {
  // After Tacit's own listener has started the new session.
  if (document.visibilityState === 'visible' && !Array.isArray(window.tacit)) setTimeout(render, 0)
})
const whenLoaded = () => (Array.isArray(window.tacit) ? setTimeout(whenLoaded, 10) : window.tacit.ready.then(render))
whenLoaded()
