import { describe, expect, it } from 'vitest'
import { FEATURE_COUNT, FEATURE_NAMES, FEATURES } from '../../src/features/names'
import { featureVector, type FeatureInput } from '../../src/features/vector'
import { emptyData } from '../../src/profile/types'

const T = Date.UTC(2026, 11, 1, 12) // a Tuesday, 12:00 UTC
const DAY = 86_400_000

const input = (o: Partial<FeatureInput> = {}): FeatureInput => ({
  data: emptyData(),
  sessionId: 's2',
  pageEngagedMs: 0,
  now: T,
  utcOffsetMinutes: 0,
  device: 'desktop',
  funnels: { checkout: ['cart', 'pay', 'done', 'thanks'] },
  ...o,
})

const at = (v: Float32Array, name: string) => v[FEATURE_NAMES.indexOf(name as never)]

describe('feature vector', () => {
  it('has one named, documented dimension per entry, in a fixed length', () => {
    expect(FEATURE_COUNT).toBe(24)
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT)
    for (const f of FEATURES) expect(f.phrase.length).toBeGreaterThan(5)
    expect(featureVector(input())).toHaveLength(FEATURE_COUNT)
  })

  it('is a pure function: same input, same vector, and the input is not changed', () => {
    const data = emptyData()
    data.sessions.s2 = { id: 's2', start: T - 1000, lastActive: T, pages: 3, engagedMs: 40_000, maxScroll: 75, counts: { hesitation: 2 }, hesitationMs: 3000, updatedAt: T }
    const before = JSON.stringify(data)
    const a = featureVector(input({ data, pageEngagedMs: 5000 }))
    const b = featureVector(input({ data, pageEngagedMs: 5000 }))
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(JSON.stringify(data)).toBe(before)
  })

  it('a new visitor has zeros except the clock, the first page and the first visit', () => {
    const v = featureVector(input())
    for (const name of FEATURE_NAMES) {
      if (/^(hour|weekday)_|^pages_this_session$|^visits$/.test(name)) continue
      expect({ name, value: at(v, name) }).toEqual({ name, value: 0 })
    }
  })

  it('normalises counts and durations into [0, 1] and clips', () => {
    const data = emptyData()
    data.sessions.s2 = {
      id: 's2', start: T, lastActive: T, pages: 1000, engagedMs: 10 * 3600_000, maxScroll: 100,
      counts: { hesitation: 4, 'rage-click': 1, 'dead-click': 100, idle: 2, 'quick-back': 1, 'form-abandon': 1 },
      hesitationMs: 4 * 2500, updatedAt: T,
    }
    data.sessions.s1 = { id: 's1', start: T - 3 * DAY, lastActive: T - 2 * DAY, pages: 2, engagedMs: 1, maxScroll: 0, counts: { 'form-abandon': 2 }, updatedAt: T - 2 * DAY }
    data.visitor = { key: 'visitor', firstSeen: T - 3 * DAY, lastSeen: T, visits: 2, sessionId: 's2', updatedAt: T }
    data.funnels.checkout = { funnel: 'checkout', sessionId: 's2', furthest: 1, completions: 0, dropOffs: 1, updatedAt: T }
    const v = featureVector(input({ data, pageEngagedMs: 600_000 }))
    for (const x of v) expect(x).toBeGreaterThanOrEqual(-1)
    for (const x of v) expect(x).toBeLessThanOrEqual(1)
    expect(at(v, 'page_engaged_time')).toBeCloseTo(1, 5)
    expect(at(v, 'scroll_depth')).toBe(1)
    expect(at(v, 'hesitations')).toBeCloseTo(Math.log1p(4) / Math.log1p(20), 5)
    expect(at(v, 'hesitation_pause')).toBeCloseTo(0.5, 5)
    expect(at(v, 'dead_clicks')).toBe(1)
    expect(at(v, 'form_abandons')).toBeCloseTo(Math.log1p(3) / Math.log1p(5), 5)
    expect(at(v, 'funnel_progress')).toBeCloseTo(0.5, 5) // step 2 of 4
    expect(at(v, 'past_drop_offs')).toBeGreaterThan(0)
    expect(at(v, 'pages_this_session')).toBe(1)
    expect(at(v, 'returning')).toBe(1)
    expect(at(v, 'days_since_last_visit')).toBeCloseTo(Math.log1p(2) / Math.log1p(90), 5)
  })

  it('encodes time of day and weekday as cyclic pairs in local time', () => {
    const noon = featureVector(input())
    expect(at(noon, 'hour_sin')).toBeCloseTo(0, 5)
    expect(at(noon, 'hour_cos')).toBeCloseTo(-1, 5)
    const sixLocal = featureVector(input({ utcOffsetMinutes: -6 * 60 })) // 06:00 local
    expect(at(sixLocal, 'hour_sin')).toBeCloseTo(1, 5)
    const tuesday = 2
    expect(at(noon, 'weekday_sin')).toBeCloseTo(Math.sin((2 * Math.PI * tuesday) / 7), 5)
  })

  it('one-hot device class', () => {
    expect(at(featureVector(input({ device: 'mobile' })), 'device_mobile')).toBe(1)
    expect(at(featureVector(input({ device: 'tablet' })), 'device_tablet')).toBe(1)
    expect(at(featureVector(input({ device: 'mobile' })), 'device_tablet')).toBe(0)
  })
})
