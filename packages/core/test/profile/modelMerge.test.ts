import { describe, expect, it } from 'vitest'
import { FEATURE_NAMES } from '../../src/features/names'
import { createEngine, type ModelState } from '../../src/model/engine'
import { mergeModel, storedModel } from '../../src/profile/modelMerge'
import type { ModelRecord } from '../../src/profile/schemas'
import { createRandom } from '../../src/model/random'

const D = FEATURE_NAMES.length
const engine = (seed = 1) => createEngine({ inputs: FEATURE_NAMES, priors: {}, minExplore: 0.05, learningRate: 0.05, onError: (e) => { throw e }, seed })
const rng = createRandom(7)
const context = () => Float32Array.from({ length: D }, () => rng.uniform())
const VARIANTS = ['a', 'b', 'c']

/** What a write does: the stored record of each key plus the changes, as in the IndexedDB transaction. */
const write = (stored: Map<string, ModelRecord>, changes: readonly ModelState[], t: number) => {
  for (const c of changes) stored.set(c.key, storedModel(mergeModel(stored.get(c.key), { ...c, updatedAt: t })))
}
const asStates = (stored: Map<string, ModelRecord>): ModelState[] => [...stored.values()]
const bandit = (s: Map<string, ModelRecord>) => (s.get('bandit:hero')!.state as { bandit: { arms: Array<{ n: number; precision: number[]; xty: number[]; yty: number }> } }).bandit

describe('model changes from several tabs add up (modelMerge.ts)', () => {
  it('two tabs rewarding the same slot from the same start: the stored posterior equals one tab seeing all rewards', () => {
    const rewards = Array.from({ length: 40 }, (_, i) => ({ x: context(), variant: VARIANTS[i % 3], value: i % 5 === 0 ? 1 : 0 }))
    // The reference: one engine sees every reward.
    const one = engine()
    one.choose('hero', VARIANTS, context())
    for (const r of rewards) one.reward('hero', VARIANTS, r.variant, r.x, r.value)
    const expected = new Map<string, ModelRecord>()
    write(expected, one.takeChanged(), 1)

    // Two tabs, each half of the rewards, interleaved writes, starting from nothing stored.
    const stored = new Map<string, ModelRecord>()
    const [a, b] = [engine(2), engine(3)]
    for (const e of [a, b]) e.choose('hero', VARIANTS, context())
    rewards.forEach((r, i) => (i % 2 ? b : a).reward('hero', VARIANTS, r.variant, r.x, r.value))
    write(stored, a.takeChanged(), 1)
    write(stored, b.takeChanged(), 2) // without bases, B's write would replace A's posterior
    const got = bandit(stored)
    const want = bandit(expected)
    expect(got.arms.map((arm) => arm.n)).toEqual(want.arms.map((arm) => arm.n))
    got.arms.forEach((arm, k) => {
      expect(arm.yty).toBeCloseTo(want.arms[k].yty, 9)
      arm.precision.forEach((v, i) => expect(v).toBeCloseTo(want.arms[k].precision[i], 6))
      arm.xty.forEach((v, i) => expect(v).toBeCloseTo(want.arms[k].xty[i], 6))
    })

    // A third tab loads the merged state: it is a valid posterior with all 40 rewards.
    const c = engine(4)
    c.load(asStates(stored))
    expect(c.pulls('hero', VARIANTS).reduce((s, n) => s + n, 0)).toBe(40)
  })

  it('after adopting what is stored, a tab keeps adding only its own new rewards (no double counting)', () => {
    const stored = new Map<string, ModelRecord>()
    const [a, b] = [engine(5), engine(6)]
    for (const e of [a, b]) e.choose('hero', VARIANTS, context())
    a.reward('hero', VARIANTS, 'a', context(), 1)
    write(stored, a.takeChanged(), 1)
    b.reward('hero', VARIANTS, 'b', context(), 1)
    write(stored, b.takeChanged(), 2)
    // Both adopt the stored state (as after a write or another tab's notice), then learn more.
    a.adopt(asStates(stored))
    b.adopt(asStates(stored))
    expect(a.pulls('hero', VARIANTS)).toEqual([1, 1, 0])
    a.reward('hero', VARIANTS, 'c', context(), 0)
    b.reward('hero', VARIANTS, 'c', context(), 1)
    write(stored, b.takeChanged(), 3)
    write(stored, a.takeChanged(), 4)
    const n = bandit(stored).arms.map((arm) => arm.n)
    expect(n).toEqual([1, 1, 2])
  })

  it('a tab with an unsaved change does not adopt over it', () => {
    const stored = new Map<string, ModelRecord>()
    const a = engine(8)
    a.choose('hero', VARIANTS, context())
    write(stored, a.takeChanged(), 1)
    a.reward('hero', VARIANTS, 'a', context(), 1)
    a.adopt(asStates(stored)) // stored has 0 rewards; the unsaved reward must survive
    expect(a.pulls('hero', VARIANTS)).toEqual([1, 0, 0])
  })

  it('intent training steps taken in two tabs from the same weights add up', () => {
    const stored = new Map<string, ModelRecord>()
    const [a, b] = [engine(9), engine(10)]
    for (let i = 0; i < 30; i++) a.learn('convert', context(), 1)
    for (let i = 0; i < 30; i++) b.learn('convert', context(), 1)
    while (a.pending) a.trainSlice(50)
    while (b.pending) b.trainSlice(50)
    const x = context()
    const [pa, pb] = [a.predict(x).convert, b.predict(x).convert]
    write(stored, a.takeChanged(), 1)
    write(stored, b.takeChanged(), 2)
    const c = engine(11)
    c.load(asStates(stored))
    // Both tabs pushed conversion up; the merged model has both pushes, so it is above either.
    expect(c.predict(x).convert).toBeGreaterThan(Math.max(pa, pb))
  })

  it('a change without a base (a reset) or of another shape replaces what is stored, newest first', () => {
    const stored: ModelRecord = { key: 'bandit:x', state: { variants: ['a'], w: [1, 2] }, updatedAt: 5 }
    expect(mergeModel(stored, { key: 'bandit:x', state: { variants: ['a'], w: [0, 0] }, updatedAt: 6 }).state).toEqual({ variants: ['a'], w: [0, 0] })
    expect(mergeModel(stored, { key: 'bandit:x', state: { variants: ['a', 'b'], w: [3] }, base: { variants: ['a'], w: [1, 1] }, updatedAt: 6 }).state).toEqual({ variants: ['a', 'b'], w: [3] })
    expect(mergeModel(stored, { key: 'bandit:x', state: { variants: ['a'], w: [2, 2] }, base: { variants: ['a'], w: [1, 1] }, updatedAt: 6 })).toEqual({ key: 'bandit:x', state: { variants: ['a'], w: [2, 3] }, updatedAt: 6 })
    // Two pending changes of one model become one change from the first base.
    const first = { key: 'm', state: [2], base: [1], updatedAt: 1 }
    const second = { key: 'm', state: [5], base: [2], updatedAt: 2 }
    expect(mergeModel(first, second)).toEqual({ key: 'm', state: [5], base: [1], updatedAt: 2 })
  })
})
