import { describe, expect, it } from 'vitest'
import { TacitArgumentError } from '../../src/errors'
import { LinearThompsonBandit } from '../../src/model/bandit'
import { ModelStateError } from '../../src/model/errors'
import { createRandom } from '../../src/model/random'

/** Solves A x = b by Gaussian elimination with partial pivoting (a reference, independent of the bandit's Cholesky). */
const solve = (A: number[][], b: number[]): number[] => {
  const n = b.length
  const M = A.map((row, i) => [...row, b[i]])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r
    ;[M[c], M[p]] = [M[p], M[c]]
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c]
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k]
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n]
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k]
    x[r] = s / M[r][r]
  }
  return x
}

const expectModelError = (fn: () => unknown, fault: 'invalid' | 'non-finite') => {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(ModelStateError)
  expect((caught as ModelStateError).fault).toBe(fault)
  expect((caught as ModelStateError).model).toBe('bandit')
}

describe('contextual bandit (linear Thompson sampling)', () => {
  it('keeps the exact ridge posterior mean through its rank-one updates', () => {
    const rng = createRandom(5)
    const d = 4
    const lambda = 0.7
    const bandit = new LinearThompsonBandit({ dim: d, arms: 2, lambda })
    const xs: number[][] = []
    const ys: number[] = []
    for (let i = 0; i < 60; i++) {
      const x = Array.from({ length: d }, () => rng.normal())
      const y = 2 * x[0] - x[2] + 0.5 + 0.1 * rng.normal()
      bandit.update(1, x, y)
      xs.push([...x, 1])
      ys.push(y)
    }
    const D = d + 1
    const A = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => xs.reduce((s, x) => s + x[i] * x[j], 0) + (i === j ? lambda : 0)))
    const mu = solve(A, Array.from({ length: D }, (_, i) => xs.reduce((s, x, r) => s + x[i] * ys[r], 0)))
    const probe = [0.3, -1, 2, 0.5]
    expect(bandit.expected(1, probe)).toBeCloseTo(probe.reduce((s, v, i) => s + v * mu[i], mu[d]), 8)
    expect(bandit.expected(0, probe)).toBe(0)
    expect(bandit.pulls(1)).toBe(60)
  })

  it('converges to the planted better arm within 300 rewards', () => {
    const rng = createRandom(11)
    const bandit = new LinearThompsonBandit({ dim: 3, arms: 3 })
    const rates = [0.2, 0.6, 0.3]
    const late: number[] = []
    for (let t = 0; t < 300; t++) {
      const x = [rng.uniform(), rng.uniform(), 1]
      const { arm } = bandit.choose(x, rng)
      bandit.update(arm, x, rng.uniform() < rates[arm] ? 1 : 0)
      if (t >= 200) late.push(arm)
    }
    expect(late.filter((a) => a === 1).length / late.length).toBeGreaterThan(0.9)
  })

  it('learns a preference that depends on the context (premium lovers get variant b)', () => {
    const rng = createRandom(12)
    const bandit = new LinearThompsonBandit({ dim: 2, arms: 2 })
    const right: boolean[] = []
    for (let t = 0; t < 400; t++) {
      const premium = rng.uniform() < 0.5 ? 1 : 0
      const x = [premium, 1 - premium]
      const { arm } = bandit.choose(x, rng)
      const best = premium ? 1 : 0
      bandit.update(arm, x, rng.uniform() < (arm === best ? 0.7 : 0.2) ? 1 : 0)
      if (t >= 300) right.push(arm === best)
    }
    expect(right.filter(Boolean).length / right.length).toBeGreaterThan(0.85)
    // explain: for a premium lover, the premium dimension pushes towards b.
    const why = bandit.contributions(1, [1, 0])
    expect(why[0]).toBeGreaterThan(0)
    expect(Math.abs(why[1])).toBe(0)
  })

  it('reports the probability of the chosen arm, matching how often it is chosen', () => {
    const bandit = new LinearThompsonBandit({ dim: 1, arms: 3, samples: 200 })
    const rng = createRandom(13)
    // Some evidence so the arms differ but stay uncertain.
    for (let i = 0; i < 4; i++) {
      bandit.update(0, [1], 0.2)
      bandit.update(1, [1], 0.5)
      bandit.update(2, [1], 0.4)
    }
    const counts = [0, 0, 0]
    const reported = [0, 0, 0]
    const n = 3000
    for (let i = 0; i < n; i++) {
      const c = bandit.choose([1], rng)
      counts[c.arm]++
      c.probabilities.forEach((p, k) => (reported[k] += p / n))
      expect(c.probability).toBe(c.probabilities[c.arm])
      expect(c.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10)
    }
    // Chosen shares (standard error about 0.009) match the mean reported probabilities.
    for (let k = 0; k < 3; k++) expect(Math.abs(counts[k] / n - reported[k])).toBeLessThan(0.03)
    // Every arm still gets chosen: the probabilities are not degenerate.
    expect(Math.min(...counts)).toBeGreaterThan(30)
  })

  it('keeps every arm at or above the exploration floor, even once it is sure', () => {
    const floor = 0.1
    const bandit = new LinearThompsonBandit({ dim: 1, arms: 3, minExplore: floor })
    const rng = createRandom(14)
    for (let i = 0; i < 200; i++) {
      bandit.update(0, [1], 1)
      bandit.update(1, [1], 0)
      bandit.update(2, [1], 0)
    }
    const counts = [0, 0, 0]
    const n = 4000
    for (let i = 0; i < n; i++) {
      const c = bandit.choose([1], rng)
      counts[c.arm]++
      for (const p of c.probabilities) expect(p).toBeGreaterThanOrEqual(floor - 1e-12)
      expect(c.probabilities[0]).toBeCloseTo(1 - 2 * floor, 6)
    }
    expect(counts[1] / n).toBeGreaterThan(floor - 0.02)
    expect(counts[2] / n).toBeGreaterThan(floor - 0.02)
    expect(counts[0] / n).toBeCloseTo(0.8, 1)
    // A floor above 1/K means uniform.
    bandit.minExplore = 0.9
    expect(Array.from(bandit.choose([1], rng).probabilities)).toEqual([1 / 3, 1 / 3, 1 / 3])
  })

  it('decides the same way for the same seed', () => {
    const make = () => {
      const b = new LinearThompsonBandit({ dim: 2, arms: 3, minExplore: 0.05 })
      b.update(1, [1, 0], 1)
      return b
    }
    const run = (seed: number) => {
      const b = make()
      const rng = createRandom(seed)
      return Array.from({ length: 30 }, (_, i) => {
        const c = b.choose([i % 2, 1], rng)
        b.update(c.arm, [i % 2, 1], i % 3 === 0 ? 1 : 0)
        return [c.arm, c.probability]
      })
    }
    expect(run(21)).toEqual(run(21))
    expect(run(21)).not.toEqual(run(22))
  })

  it('round-trips through toJSON / JSON text / fromJSON: same posterior, same decisions', () => {
    const rng = createRandom(15)
    const a = new LinearThompsonBandit({ dim: 3, arms: 2, minExplore: 0.05, lambda: 2 })
    for (let i = 0; i < 40; i++) a.update(i % 2, [rng.uniform(), rng.normal(), 1], rng.uniform())
    const b = LinearThompsonBandit.fromJSON(JSON.parse(JSON.stringify(a.toJSON())))
    expect(b.toJSON()).toEqual(a.toJSON())
    const x = [0.2, -0.4, 1]
    expect(b.expected(1, x)).toBeCloseTo(a.expected(1, x), 12)
    const r1 = createRandom(3)
    const r2 = createRandom(3)
    for (let i = 0; i < 10; i++) expect(b.choose(x, r2)).toEqual(a.choose(x, r1))
  })

  it('rejects a stored state with non-finite numbers, wrong sizes or a broken precision', () => {
    const good = () => {
      const b = new LinearThompsonBandit({ dim: 2, arms: 2 })
      b.update(0, [1, 2], 1)
      return b.toJSON()
    }
    const nan = good()
    nan.arms[0].xty[1] = NaN
    expectModelError(() => LinearThompsonBandit.fromJSON(nan), 'non-finite')
    const inf = good()
    inf.arms[1].precision[0] = Infinity
    expectModelError(() => LinearThompsonBandit.fromJSON(inf), 'non-finite')
    const size = good()
    size.arms[0].precision.pop()
    expectModelError(() => LinearThompsonBandit.fromJSON(size), 'invalid')
    const notPd = good()
    notPd.arms[0].precision[0] = -1
    expectModelError(() => LinearThompsonBandit.fromJSON(notPd), 'invalid')
    expectModelError(() => LinearThompsonBandit.fromJSON({ ...good(), version: 2 }), 'invalid')
    expectModelError(() => LinearThompsonBandit.fromJSON(null), 'invalid')
  })

  it('checks its arguments', () => {
    const b = new LinearThompsonBandit({ dim: 2, arms: 2 })
    const rng = createRandom(1)
    expect(() => b.choose([1], rng)).toThrow(TacitArgumentError)
    expect(() => b.choose([1, NaN], rng)).toThrow(/context\[1\]/)
    expect(() => b.update(2, [1, 1], 1)).toThrow(/arm/)
    expect(() => b.update(0, [1, 1], Infinity)).toThrow(/reward/)
    expect(() => b.choose([1, 1], rng, [0])).toThrow(/offsets/)
    expect(() => new LinearThompsonBandit({ dim: 0, arms: 2 })).toThrow(TacitArgumentError)
    expect(() => new LinearThompsonBandit({ dim: 2, arms: 2, minExplore: 2 })).toThrow(/minExplore/)
    // A rejected update leaves the posterior untouched.
    expect(b.pulls(0)).toBe(0)
  })

  it('samples optimistically by default: an uncertain arm never scores below its mean', () => {
    // Arm 0 is all but certain at 0.3; arm 1 has a higher mean (about 0.46) but only 6 noisy rewards.
    const train = (b: LinearThompsonBandit) => {
      for (let i = 0; i < 2000; i++) b.update(0, [1], 0.3)
      for (let i = 0; i < 6; i++) b.update(1, [1], i % 2)
      return b
    }
    const optimistic = train(new LinearThompsonBandit({ dim: 1, arms: 2, samples: 2000, lambda: 1 }))
    const plain = train(new LinearThompsonBandit({ dim: 1, arms: 2, samples: 2000, optimistic: false, lambda: 1 }))
    expect(optimistic.optimistic).toBe(true)
    expect(optimistic.expected(1, [1])).toBeGreaterThan(0.4)
    expect(optimistic.expected(0, [1])).toBeCloseTo(0.3, 3)
    const rng = createRandom(16)
    // Plain Thompson sampling often draws arm 1 below 0.3; the optimistic draw never does.
    const p = plain.choose([1], rng).probabilities
    expect(p[0]).toBeGreaterThan(0.1)
    expect(p[0]).toBeLessThan(0.5)
    for (let i = 0; i < 50; i++) {
      const c = optimistic.choose([1], rng)
      expect(c.arm).toBe(1)
      expect(Array.from(c.probabilities)).toEqual([0, 1])
    }
    // Below the certain arm's mean, uncertainty still lets arm 1 be tried: optimism only cuts pessimistic draws.
    const behind = optimistic.choose([1], rng, [0.2, 0]).probabilities
    expect(behind[1]).toBeGreaterThan(0.05)
    expect(behind[1]).toBeLessThan(0.5)
  })

  it('stores the sampling mode; a state saved before the option existed gets the default', () => {
    const plain = new LinearThompsonBandit({ dim: 2, arms: 2, optimistic: false })
    plain.update(0, [1, 0], 1)
    const state = plain.toJSON()
    expect(state.optimistic).toBe(false)
    expect(LinearThompsonBandit.fromJSON(JSON.parse(JSON.stringify(state))).optimistic).toBe(false)
    const { optimistic: _, ...old } = state
    const restored = LinearThompsonBandit.fromJSON(old)
    expect(restored.optimistic).toBe(true)
    expect(restored.expected(0, [1, 0])).toBeCloseTo(plain.expected(0, [1, 0]), 12)
    expectModelError(() => LinearThompsonBandit.fromJSON({ ...state, optimistic: 'yes' }), 'invalid')
    expect(() => new LinearThompsonBandit({ dim: 2, arms: 2, optimistic: 1 as unknown as boolean })).toThrow(/optimistic/)
  })

  it('adds an arm that starts from the prior, and honours per-arm offsets', () => {
    const b = new LinearThompsonBandit({ dim: 1, arms: 1 })
    expect(b.addArm()).toBe(1)
    expect(b.arms).toBe(2)
    expect(b.pulls(1)).toBe(0)
    const rng = createRandom(2)
    const picks = Array.from({ length: 200 }, () => b.choose([1], rng, [0, 10]).arm)
    expect(picks.every((a) => a === 1)).toBe(true)
  })
})
