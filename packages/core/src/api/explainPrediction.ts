import { FEATURES } from '../features/names'
import type { IntentHead, ModelEngine } from '../model/engine'

const OUTCOME: Record<IntentHead, string> = { convert: 'buy or sign up', dropOff: 'leave before finishing' }

/**
 * What `predict()` says about `head`, and the (at most two) facts that moved it most, found by
 * occlusion over the named features (`ModelEngine.attributions`), e.g. "A 68% chance you leave
 * before finishing, higher because you left checkout before and your pauses were long."
 */
export const explainPrediction = (engine: ModelEngine, head: IntentHead, x: Float32Array): string => {
  const p = engine.predict(x)[head]
  const pct = Math.round(p * 100)
  const up = p >= 0.5
  const c = engine.attributions(head, x)
  const reasons: string[] = []
  const order = Array.from(c.keys()).sort((a, b) => (up ? c[b] - c[a] : c[a] - c[b]))
  for (const i of order) {
    if ((up ? c[i] : -c[i]) <= 0.01 || reasons.length === 2) break
    const phrase = FEATURES[i].phrase
    if (!reasons.includes(phrase)) reasons.push(phrase)
  }
  if (!reasons.length && Math.abs(p - 0.5) < 0.05) return `Too early to tell whether you will ${OUTCOME[head]} (${pct}%).`
  const because = reasons.length ? `${up ? 'higher' : 'lower'} because ${reasons.join(' and ')}` : 'from what this site usually sees'
  return `A ${pct}% chance you ${OUTCOME[head]}, ${because}.`
}
