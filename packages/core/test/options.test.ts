import { describe, expect, it } from 'vitest'
import { TacitConfigError } from '../src/errors'
import { resolveOptions } from '../src/options'

const error = (input: unknown): TacitConfigError => {
  try {
    resolveOptions(input)
  } catch (e) {
    return e as TacitConfigError
  }
  throw new Error('expected a TacitConfigError')
}

describe('options', () => {
  it('fills the defaults of DESIGN.md', () => {
    const o = resolveOptions({})
    expect(o).toMatchObject({
      consent: 'pending',
      retentionDays: 30,
      hesitationMs: 1000,
      fieldHesitationMs: 3000,
      rageClickCount: 3,
      rageClickIntervalMs: 1000,
      rageClickDistancePx: 30,
      deadClickMutationMs: 2500,
      deadClickScrollMs: 100,
      deadClickNavigationMs: 1000,
      dwellVisibleRatio: 0.5,
      activeWindowMs: 30000,
      idleMs: 30000,
      scrollMarks: [25, 50, 75, 90, 100],
      sessionTimeoutMs: 1800000,
      quickBackMs: 5000,
      recentSignals: 500,
      respectGlobalPrivacyControl: true,
    })
  })

  it('names the field and what is expected', () => {
    const e = error({ hesitationMs: 'fast' })
    expect(e).toBeInstanceOf(TacitConfigError)
    expect(e.field).toBe('hesitationMs')
    expect(e.message).toBe('hesitationMs must be a positive number, got "fast"')
    expect(error({ retentionDays: 0 }).message).toBe('retentionDays must be a positive number, got 0')
    expect(error({ consent: 'yes' }).message).toBe(`consent must be 'pending', 'granted' or 'denied', got "yes"`)
    expect(error({ funnels: { checkout: ['cart'] } }).message).toBe('funnels.checkout must list at least two steps, got an array')
    expect(error({ funnels: { checkout: ['cart', ''] } }).field).toBe('funnels.checkout[1]')
    expect(error({ rageClickCount: 2.5 }).message).toContain('whole number')
    expect(error({ onError: 'log' }).message).toBe('onError must be a function, got "log"')
    expect(error({ signals: ['dwell', 'hover'] }).field).toBe('signals[1]')
  })

  it('rejects unknown options, which are usually typos', () => {
    const e = error({ hesitationMS: 500 })
    expect(e.field).toBe('hesitationMS')
    expect(e.message).toContain('is not a Tacit option')
  })

  it('rejects a non-object', () => {
    expect(error(null).message).toBe('createTacit options must be an object, got null')
    expect(error('granted').field).toBe('options')
  })

  it('sorts and de-duplicates scroll marks', () => {
    expect(resolveOptions({ scrollMarks: [50, 10, 50] }).scrollMarks).toEqual([10, 50])
  })
})
