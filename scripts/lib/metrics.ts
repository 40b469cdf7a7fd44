/**
 * Binary-classification metrics for the evaluation tools. `scores` are predicted probabilities,
 * `labels` 0 or 1, index-aligned.
 */

/** Every metric the training tool prints. */
export interface Metrics {
  rocAuc: number
  /** Average precision (area under the precision-recall curve, step-wise, as scikit-learn). */
  prAuc: number
  /** F1 with the threshold at 0.5. */
  f1: number
  /** The best F1 over all thresholds, and that threshold (optimistic: chosen on the same data). */
  bestF1: number
  bestThreshold: number
  /** Accuracy with the threshold at 0.5. */
  accuracy: number
  /** Mean squared error of the probabilities. */
  brier: number
  n: number
  positives: number
}

/**
 * ROC-AUC by the rank-sum (Mann-Whitney U) formula, with tied scores given their mean rank, so a
 * tie between a positive and a negative counts one half. NaN when a class is missing.
 */
export const rocAuc = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  const n = scores.length
  const order = sortedIndex(scores, true)
  let rankSumPos = 0
  let pos = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++
    const meanRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0) {
        rankSumPos += meanRank
        pos++
      }
    }
    i = j + 1
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return NaN
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg)
}

/**
 * Average precision: the sum over distinct thresholds (high to low) of (recall gain) x precision,
 * with tied scores entering together. NaN without positives.
 */
export const averagePrecision = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  const n = scores.length
  const order = sortedIndex(scores, false)
  let total = 0
  for (let i = 0; i < n; i++) if (labels[i] > 0) total++
  if (total === 0) return NaN
  let tp = 0
  let seen = 0
  let ap = 0
  let prevRecall = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]] > 0) tp++
      seen++
      j++
    }
    const recall = tp / total
    ap += (recall - prevRecall) * (tp / seen)
    prevRecall = recall
    i = j
  }
  return ap
}

/** F1 of the predictions `score >= threshold`; 0 when there are no true positives. */
export const f1At = (scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): number => {
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i] >= threshold
    const actual = labels[i] > 0
    if (predicted && actual) tp++
    else if (predicted) fp++
    else if (actual) fn++
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** The highest F1 over every distinct score used as the threshold (`score >= t`). */
export const bestF1 = (scores: ArrayLike<number>, labels: ArrayLike<number>): { f1: number; threshold: number } => {
  const n = scores.length
  const order = sortedIndex(scores, false)
  let total = 0
  for (let i = 0; i < n; i++) if (labels[i] > 0) total++
  let best = { f1: 0, threshold: 1 }
  let tp = 0
  let predicted = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]] > 0) tp++
      predicted++
      j++
    }
    const f1 = tp === 0 ? 0 : (2 * tp) / (predicted + total)
    if (f1 > best.f1) best = { f1, threshold: scores[order[i]] }
    i = j
  }
  return best
}

/** Share of `score >= threshold` predictions that match the label. */
export const accuracyAt = (scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): number => {
  let right = 0
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold === labels[i] > 0) right++
  return right / scores.length
}

/** Mean of (probability - label)^2. */
export const brier = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < scores.length; i++) s += (scores[i] - labels[i]) ** 2
  return s / scores.length
}

/** All of the above. */
export const evaluate = (scores: ArrayLike<number>, labels: ArrayLike<number>): Metrics => {
  const best = bestF1(scores, labels)
  let positives = 0
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) positives++
  return {
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
    f1: f1At(scores, labels, 0.5),
    bestF1: best.f1,
    bestThreshold: best.threshold,
    accuracy: accuracyAt(scores, labels, 0.5),
    brier: brier(scores, labels),
    n: scores.length,
    positives,
  }
}

/** Mean and (sample) standard deviation. */
export const meanStd = (values: readonly number[]): { mean: number; std: number } => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0
  return { mean, std: Math.sqrt(variance) }
}

const sortedIndex = (scores: ArrayLike<number>, ascending: boolean): Uint32Array => {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i)
  return order.sort(ascending ? (a, b) => scores[a] - scores[b] : (a, b) => scores[b] - scores[a])
}
