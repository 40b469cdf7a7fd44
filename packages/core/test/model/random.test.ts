import { describe, expect, it } from 'vitest'
import { createRandom, randomSeed, studentT } from '../../src/model/random'

const draw = (n: number, f: () => number) => Array.from({ length: n }, f)
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const variance = (xs: number[]) => {
  const m = mean(xs)
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)
}

describe('seedable random source', () => {
  it('replays the same sequence for the same seed, and a different one for another seed', () => {
    const a = createRandom(42)
    const b = createRandom(42)
    const c = createRandom(43)
    const seqA = draw(50, () => a.uniform())
    expect(draw(50, () => b.uniform())).toEqual(seqA)
    expect(draw(50, () => c.uniform())).not.toEqual(seqA)
    const n1 = createRandom(7)
    const n2 = createRandom(7)
    expect(draw(20, () => n1.normal())).toEqual(draw(20, () => n2.normal()))
  })

  it('gives uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = createRandom(1)
    const xs = draw(50_000, () => r.uniform())
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(mean(xs)).toBeCloseTo(0.5, 2)
    expect(variance(xs)).toBeCloseTo(1 / 12, 2)
  })

  it('gives standard normals', () => {
    const r = createRandom(2)
    const xs = draw(50_000, () => r.normal())
    expect(mean(xs)).toBeCloseTo(0, 1)
    expect(variance(xs)).toBeCloseTo(1, 1)
    expect(xs.filter((x) => Math.abs(x) < 1.96).length / xs.length).toBeCloseTo(0.95, 2)
  })

  it('gives Student-t variates: symmetric, with the quantiles of the tables, and the variance dof / (dof - 2)', () => {
    const r = createRandom(3)
    const share = (xs: number[], f: (x: number) => boolean) => xs.filter(f).length / xs.length
    // Two-sided 5% and 20% points of the t-distribution (any statistics table).
    for (const [dof, t975, t90] of [[4, 2.7764, 1.5332], [5, 2.5706, 1.4759], [12, 2.1788, 1.3562]]) {
      const xs = draw(60_000, () => studentT(r, dof))
      expect(Math.abs(share(xs, (x) => Math.abs(x) > t975) - 0.05)).toBeLessThan(0.005)
      expect(Math.abs(share(xs, (x) => Math.abs(x) > t90) - 0.2)).toBeLessThan(0.01)
      expect(Math.abs(share(xs, (x) => x > 0) - 0.5)).toBeLessThan(0.01)
      // A normal's tails are thinner: this fails if the draws were normal.
      expect(share(xs, (x) => Math.abs(x) > 1.96)).toBeGreaterThan(dof < 10 ? 0.09 : 0.07)
    }
    const xs = draw(60_000, () => studentT(r, 12))
    expect(Math.abs(variance(xs) - 1.2) / 1.2).toBeLessThan(0.05)
  })

  it('makes 32-bit seeds', () => {
    const s = randomSeed()
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true)
  })
})
