import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv'
import { encodeLabels, fitEncoder, inferType, parseFeatureList } from './encode'
import { stratifiedFolds } from './folds'
import { createRandom } from '../../packages/core/src/model/random'

const table = parseCsv(
  ['Month,PageValues,Weekend,Visitor,Revenue', 'Feb,0,FALSE,New,FALSE', 'Mar,10,TRUE,Returning,TRUE', 'Mar,-3,false,Returning,FALSE', 'May,e3,TRUE,Other,TRUE'].join('\n').replace('e3', '1000'),
)

describe('feature encoding', () => {
  it('infers types and parses typed feature lists', () => {
    expect(inferType(table, 'Weekend')).toBe('boolean')
    expect(inferType(table, 'PageValues')).toBe('numeric')
    expect(inferType(table, 'Month')).toBe('categorical')
    expect(parseFeatureList('PageValues:log1p, Month:cat,Weekend', table)).toEqual([
      { column: 'PageValues', type: 'log1p' },
      { column: 'Month', type: 'categorical' },
      { column: 'Weekend', type: 'boolean' },
    ])
    expect(() => parseFeatureList('PageValues:sqrt', table)).toThrow(/type must be/)
    expect(() => parseFeatureList('Nope', table)).toThrow(/no column "Nope"/)
  })

  it('one-hot encodes categories seen in training (most frequent first), log1p (signed) and booleans', () => {
    const specs = parseFeatureList('Month:categorical,PageValues:log1p,Weekend:boolean', table)
    const enc = fitEncoder(table, specs, [0, 1, 2])
    expect(enc.names).toEqual(['Month=Mar', 'Month=Feb', 'PageValues', 'Weekend'])
    const x = enc.encode(table, [1, 2, 3])
    expect(Array.from(x.subarray(0, 4))).toEqual([1, 0, Math.fround(Math.log1p(10)), 1])
    expect(Array.from(x.subarray(4, 8))).toEqual([1, 0, Math.fround(-Math.log1p(3)), 0])
    // 'May' was not in the training rows: no one-hot input fires.
    expect(Array.from(x.subarray(8, 10))).toEqual([0, 0])
    // Standardisation from the training rows; a constant column gets std 1.
    expect(enc.mean[0]).toBeCloseTo(2 / 3, 6)
    const constant = fitEncoder(table, [{ column: 'Month', type: 'categorical' }], [1, 2])
    expect(constant.std).toEqual([1])
  })

  it('reads labels as 0/1 and rejects values that are not booleans or numbers', () => {
    expect(Array.from(encodeLabels(table, 'Revenue', [0, 1, 2, 3]))).toEqual([0, 1, 0, 1])
    expect(Array.from(encodeLabels(table, 'Visitor', [0, 1, 2], 'New'))).toEqual([1, 0, 0])
    const bad = parseCsv('x,y\nabc,TRUE\n')
    expect(() => fitEncoder(bad, [{ column: 'x', type: 'numeric' }], [0])).toThrow(/"abc" is not a number/)
    expect(() => fitEncoder(bad, [{ column: 'x', type: 'boolean' }], [0])).toThrow(/not a boolean/)
  })
})

describe('stratified folds', () => {
  it('partitions the rows into k folds with the same share of positives, reproducibly', () => {
    const labels = Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0))
    const folds = stratifiedFolds(labels, 5, createRandom(7))
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i))
    for (const f of folds) {
      expect(f.length).toBeGreaterThanOrEqual(20)
      expect(f.filter((r) => labels[r] === 1).length).toBeGreaterThanOrEqual(4)
      expect(f.filter((r) => labels[r] === 1).length).toBeLessThanOrEqual(5)
    }
    expect(stratifiedFolds(labels, 5, createRandom(7))).toEqual(folds)
    expect(stratifiedFolds(labels, 5, createRandom(8))).not.toEqual(folds)
    expect(() => stratifiedFolds(labels, 1, createRandom(1))).toThrow(/at least 2/)
  })
})
