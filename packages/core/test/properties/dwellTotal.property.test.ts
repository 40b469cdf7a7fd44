import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { featureVector } from '../../src/features/vector'
import { emptyTotals } from '../../src/profile/merge'
import { Profile } from '../../src/profile/profile'
import type { ItemRecord } from '../../src/profile/schemas'
import { emptyData, emptyDelta, type ProfileData } from '../../src/profile/types'

const T = Date.UTC(2026, 11, 1)
const ids = fc.constantFrom('a', 'b', 'c', 'd')
const ms = fc.integer({ min: 0, max: 60_000 })

/** What a profile can go through between two feature vectors. */
const step = fc.oneof(
  fc.record({ op: fc.constant('dwell' as const), item: ids, ms }),
  fc.record({ op: fc.constant('hover' as const), item: ids, ms }),
  fc.record({ op: fc.constant('hesitation' as const), item: ids, ms }),
  fc.record({ op: fc.constant('ask' as const) }),
  fc.record({ op: fc.constant('flush' as const) }),
  // Storage read back, with this page's unwritten changes and some unread ones on top.
  fc.record({ op: fc.constant('load' as const), stored: fc.array(fc.tuple(ids, ms), { maxLength: 4 }), unread: fc.array(fc.tuple(ids, ms), { maxLength: 3 }) }),
  fc.record({ op: fc.constant('clear' as const) }),
)

const item = (id: string, dwellMs: number): ItemRecord => ({ id, tags: [], ...emptyTotals(T), dwellMs })

const sum = (data: ProfileData): number => Object.values(data.items).reduce((s, i) => s + i.dwellMs, 0)

describe('the dwell total a profile keeps for feature vectors', () => {
  it('always equals the sum over its items, whatever happened since it was first asked for', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const profile = new Profile(50)
        for (const s of steps) {
          if (s.op === 'dwell' || s.op === 'hesitation') profile.recordSignal({ type: s.op, t: T, target: s.item, item: s.item, tags: ['x'], ms: s.ms }, 's')
          else if (s.op === 'hover') profile.recordInteraction({ kind: 'hover', item: s.item, ms: s.ms }, T)
          else if (s.op === 'flush') profile.takeDelta()
          else if (s.op === 'clear') profile.clear()
          else if (s.op === 'load') {
            const loaded = emptyData()
            for (const [id, d] of s.stored) loaded.items[id] = item(id, d + (loaded.items[id]?.dwellMs ?? 0))
            profile.load(loaded, s.unread.map(([id, d]) => ({ ...emptyDelta(), items: [item(id, d)] })))
          }
          // 'ask' and every other step: the kept total against a fresh sum.
          expect(profile.dwellMs).toBeCloseTo(sum(profile.data), 6)
        }
      }),
    )
  })

  it('gives the same feature vector as summing the items', () => {
    const profile = new Profile(50)
    for (let k = 0; k < 40; k++) profile.recordSignal({ type: 'dwell', t: T, target: `p${k % 7}`, item: `p${k % 7}`, ms: 1000 + k * 37 }, 's')
    const input = { data: profile.data, sessionId: 's', pageEngagedMs: 0, now: T, utcOffsetMinutes: 0, device: 'desktop' as const, funnels: {} }
    const kept = featureVector({ ...input, dwellMs: profile.dwellMs })
    expect(Array.from(kept)).toEqual(Array.from(featureVector(input)))
    expect(kept[17]).toBeGreaterThan(0) // item_dwell: the test would pass on an empty total otherwise
  })
})
