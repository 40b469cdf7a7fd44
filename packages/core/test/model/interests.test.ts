import { describe, expect, it } from 'vitest'
import { affinity, encodeInterest, rankItems, topTags } from '../../src/model/interests'
import { logAdd } from '../../src/profile/merge'
import { Profile } from '../../src/profile/profile'

const DAY = 86_400_000
const H = 7 * DAY
const T = Date.UTC(2026, 11, 1)

describe('interest model', () => {
  it('decays with the half-life, and adding in log space equals adding the decayed values', () => {
    const a = encodeInterest(10, T, H)!
    expect(affinity(a, T, H)).toBeCloseTo(10, 6)
    expect(affinity(a, T + H, H)).toBeCloseTo(5, 6)
    expect(affinity(a, T + 2 * H, H)).toBeCloseTo(2.5, 6)
    const b = encodeInterest(4, T + H, H)!
    expect(affinity(logAdd(a, b), T + H, H)).toBeCloseTo(9, 6)
    expect(affinity(logAdd(b, a), T + H, H)).toBeCloseTo(9, 6) // order does not matter (several tabs)
    expect(encodeInterest(0, T, H)).toBeUndefined()
  })

  it('ranks items by the affinity of their tags; ties keep the page order', () => {
    const profile = new Profile(500, H)
    profile.recordSignal({ type: 'dwell', t: T, target: 'p1', item: 'p1', tags: ['premium'], ms: 20_000 }, 's')
    profile.recordInteraction({ kind: 'hover', item: 'b1', tags: ['budget'], ms: 3000 }, T)
    const items = [
      { id: 'x1', tags: ['other'] },
      { id: 'b2', tags: ['budget'] },
      { id: 'x2' },
      { id: 'p2', tags: ['premium', 'luggage'] },
    ]
    expect(rankItems(items, profile.data, T, H).map((i) => i.id)).toEqual(['p2', 'b2', 'x1', 'x2'])
    expect(topTags(profile.data, T, H)[0]).toEqual({ tag: 'premium', affinity: expect.closeTo(20, 5) })
  })

  it('old interest fades behind new interest', () => {
    const profile = new Profile(500, H)
    profile.recordSignal({ type: 'dwell', t: T, target: 'p1', item: 'p1', tags: ['premium'], ms: 30_000 }, 's')
    profile.recordSignal({ type: 'dwell', t: T, target: 'b1', item: 'b1', tags: ['budget'], ms: 10_000 }, 's')
    const items = [{ id: 'b', tags: ['budget'] }, { id: 'p', tags: ['premium'] }]
    expect(rankItems(items, profile.data, T + 2 * H, H).map((i) => i.id)).toEqual(['p', 'b']) // 7.5 against 2.5
    profile.recordSignal({ type: 'dwell', t: T + 2 * H, target: 'b1', item: 'b1', tags: ['budget'], ms: 10_000 }, 's')
    expect(rankItems(items, profile.data, T + 2 * H, H).map((i) => i.id)).toEqual(['b', 'p']) // 12.5 against 7.5
  })
})
