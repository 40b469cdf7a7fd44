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

  it('rejects unknown model options, naming them by their path', () => {
    const e = error({ model: { minExplor: 0.1 } })
    expect(e.field).toBe('model.minExplor')
    expect(e.message).toBe('model.minExplor is not a Tacit option (check the spelling; see TacitOptions)')
    expect(error({ model: { minExplore: 0.9 } }).message).toBe('model.minExplore must be a number from 0 to 0.5, got 0.9')
  })

  it('says what the model options must be', () => {
    expect(error({ model: null }).message).toBe('model must be an object of model options (see TacitOptions.model), got null')
    expect(error({ model: [] }).field).toBe('model')
    // A goal that track() would refuse could never count as a conversion.
    const blank = error({ model: { convertGoals: ['purchase', ' '] } })
    expect(blank.field).toBe('model.convertGoals[1]')
    expect(blank.message).toBe('model.convertGoals[1] must be a non-empty string of at most 200 characters, got " "')
    expect(error({ model: { prior: { version: 2 } } }).message).toMatch(/^model\.prior must be a prior written by scripts\/train-intent\.ts/)
  })

  it('checks every key read, inherited ones too', () => {
    expect(error(Object.create({ hesitationMs: -1 })).field).toBe('hesitationMs')
    expect(error({ model: Object.create({ tempo: 1 }) }).field).toBe('model.tempo')
    expect(resolveOptions(Object.create({ consent: 'granted' })).consent).toBe('granted')
  })

  it('fills model defaults around the model options given', () => {
    expect(resolveOptions({ model: { minExplore: 0.1 } }).model).toEqual({ minExplore: 0.1, learningRate: 0.01, warmStartRewards: 10 })
    expect(resolveOptions({}).model).toEqual({ minExplore: 0.05, learningRate: 0.01, warmStartRewards: 10 })
    expect(resolveOptions({ onError: undefined })).not.toHaveProperty('onError')
  })

  it('gives every call defaults of its own: changing one instance\'s lists changes no other', () => {
    const a = resolveOptions({})
    a.signals.pop()
    a.funnels.x = ['a', 'b']
    a.model.minExplore = 0.3
    const b = resolveOptions({})
    expect(b.signals).toContain('idle')
    expect(b.funnels).toEqual({})
    expect(b.model.minExplore).toBe(0.05)
  })

  it('rejects a non-object', () => {
    expect(error(null).message).toBe('createTacit options must be an object, got null')
    expect(error('granted').field).toBe('options')
  })

  it('sorts and de-duplicates scroll marks', () => {
    expect(resolveOptions({ scrollMarks: [50, 10, 50] }).scrollMarks).toEqual([10, 50])
  })
})
