import type { TacitOptions } from '@tacit/core'

type Prior = NonNullable<NonNullable<TacitOptions['model']>['prior']>

/**
 * A drop-off prior written by hand for this demo, not trained on data: a single logistic unit in
 * the format `npm run train` writes. More hesitations, longer pauses and idle periods raise the
 * risk; progress through the declared funnel lowers it. Without any prior the intent model is
 * neutral and predicts 0.5 until this person's own outcomes fine-tune it, which would leave the
 * panel's meter still. A real site passes a prior trained on its own sessions.
 */
export const DROP_OFF_PRIOR: Prior = {
  version: 1,
  inputs: ['hesitations', 'hesitation_pause', 'idle_periods', 'funnel_progress'],
  layers: [{ weights: [[2.5], [1.5], [1.0], [-2.0]], bias: [-0.5], activation: 'sigmoid' }],
  output: 'dropOff',
  meta: { source: 'hand-set for examples/react-onboarding' },
}
