// Runs before tacit.min.js (a plain script, not async), so Tacit finds its options here. The
// script tag's data-* attributes add the rest (consent, funnels).
window.tacit = window.tacit || []

/**
 * Intent priors written by hand for this demo, in the format `npm run train` writes: one logistic
 * unit each over Tacit's named features. A real shop trains them on its own sessions. Without a
 * prior the intent model starts at 0.5 and only moves as this person's own outcomes come in.
 *
 * - dropOff rises with pauses (count and length), time away, clicks that did nothing, and having
 *   left checkout before; progress through the checkout funnel lowers it.
 * - convert rises with progress through checkout, close looks at products and past purchases.
 */
window.tacitConfig = {
  model: {
    prior: {
      dropOff: {
        version: 1,
        inputs: ['hesitations', 'hesitation_pause', 'idle_periods', 'dead_clicks', 'rage_clicks', 'past_drop_offs', 'funnel_progress'],
        layers: [{ weights: [[2.5], [1.5], [1.5], [1.0], [1.5], [2.0], [-2.5]], bias: [-1.6], activation: 'sigmoid' }],
        output: 'dropOff',
        meta: { source: 'hand-set for examples/shop' },
      },
      convert: {
        version: 1,
        inputs: ['funnel_progress', 'item_dwell', 'past_goals', 'returning', 'rage_clicks'],
        layers: [{ weights: [[3.0], [1.5], [2.0], [0.5], [-1.5]], bias: [-2.2], activation: 'sigmoid' }],
        output: 'convert',
        meta: { source: 'hand-set for examples/shop' },
      },
    },
  },
}
