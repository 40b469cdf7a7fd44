import { describe, expect, it } from 'vitest'
import { accuracyAt, averagePrecision, bestF1, brier, evaluate, f1At, meanStd, rocAuc } from './metrics'

describe('metrics', () => {
  it('ROC-AUC: 1 for a perfect ranking, 0 for a reversed one, 0.5 when everything ties', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1)
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0)
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5)
    expect(rocAuc([0.5, 0.5], [1, 1])).toBeNaN()
  })

  it('ROC-AUC counts a positive-negative tie as one half', () => {
    // Positives 0.8, 0.4; negatives 0.8, 0.4, 0.1: 3 wins, 2 ties, 1 loss over 6 pairs -> (3 + 2 x 0.5) / 6.
    expect(rocAuc([0.8, 0.4, 0.8, 0.4, 0.1], [1, 1, 0, 0, 0])).toBeCloseTo(4 / 6, 12)
    // scikit-learn's documentation example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
  })

  it('average precision as scikit-learn computes it, ties entering together', () => {
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9)
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1)
    // All tied: precision is the base rate at the single threshold.
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBe(0.25)
  })

  it('F1 at a threshold (>=), the best F1 over thresholds, accuracy and the Brier score', () => {
    const s = [0.9, 0.6, 0.5, 0.4, 0.2]
    const y = [1, 0, 1, 1, 0]
    // At 0.5: predicted 1 for 0.9, 0.6, 0.5 -> tp 2, fp 1, fn 1 -> F1 = 4 / 6.
    expect(f1At(s, y, 0.5)).toBeCloseTo(4 / 6, 12)
    // At 0.4: tp 3, fp 1, fn 0 -> 6 / 7, the best.
    expect(bestF1(s, y)).toEqual({ f1: 6 / 7, threshold: 0.4 })
    expect(accuracyAt(s, y, 0.5)).toBe(3 / 5)
    expect(brier([1, 0, 0.5], [1, 1, 0])).toBeCloseTo((0 + 1 + 0.25) / 3, 12)
    expect(f1At([0.1], [1], 0.5)).toBe(0)
  })

  it('evaluate gathers everything; meanStd uses the sample standard deviation', () => {
    const m = evaluate([0.9, 0.1], [1, 0])
    expect(m).toMatchObject({ rocAuc: 1, prAuc: 1, f1: 1, accuracy: 1, n: 2, positives: 1 })
    expect(m.brier).toBeCloseTo(0.01, 12)
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 })
  })
})
