import type { Random } from '../../packages/core/src/model/random'

/**
 * Stratified k-fold split: each class is shuffled with `rng` and dealt round-robin into `k` folds,
 * so every fold has (nearly) the same share of positives. Returns the test rows of each fold;
 * the training rows of fold i are all the others.
 */
export const stratifiedFolds = (labels: ArrayLike<number>, k: number, rng: Random): number[][] => {
  if (!(k >= 2 && Number.isInteger(k))) throw new Error(`folds must be a whole number of at least 2, got ${k}`)
  const folds: number[][] = Array.from({ length: k }, () => [])
  const byClass = new Map<number, number[]>()
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? []
    list.push(i)
    byClass.set(labels[i], list)
  }
  let next = 0
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffle(byClass.get(key)!, rng)
    for (const r of rows) folds[next++ % k].push(r)
  }
  return folds.map((f) => f.sort((a, b) => a - b))
}

/** A Fisher-Yates shuffle of a copy of `items`. */
export const shuffle = <T>(items: readonly T[], rng: Random): T[] => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
