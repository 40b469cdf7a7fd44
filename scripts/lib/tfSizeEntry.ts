// What the size report of scripts/lib/tfSlim.mjs bundles: Tacit's whole model layer (intent
// model with its prior format, bandit, random source, tf set-up), every export kept.
export { IntentModel } from '../../packages/core/src/model/intent'
export { alignIntentPrior, mergeIntentPriors, parseIntentPrior } from '../../packages/core/src/model/intentPrior'
export { LinearThompsonBandit } from '../../packages/core/src/model/bandit'
export { createRandom } from '../../packages/core/src/model/random'
export { KERNEL_NAMES, setupTf } from '../../packages/core/src/model/tf'
