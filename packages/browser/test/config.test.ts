import { createTacit, TacitConfigError } from '@tacit/core'
import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config'

/** A `<script>` tag with these attributes, as the page would write it. */
const tag = (attrs: Record<string, string>): HTMLScriptElement => {
  const script = document.createElement('script')
  script.setAttribute('src', '/tacit.min.js')
  script.setAttribute('async', '')
  for (const [name, value] of Object.entries(attrs)) script.setAttribute(name, value)
  return script
}
const win = (tacitConfig?: unknown): Window => ({ tacitConfig }) as unknown as Window

const configError = (options: unknown): TacitConfigError => {
  try {
    createTacit(options as never).destroy()
  } catch (error) {
    return error as TacitConfigError
  }
  throw new Error('expected createTacit to reject the options')
}

describe('readConfig: data-* attributes of the script tag', () => {
  it('maps kebab-case attributes to camelCase options, with numbers and booleans parsed', () => {
    const config = readConfig(
      tag({
        'data-consent': 'granted',
        'data-retention-days': '14',
        'data-hesitation-ms': ' 1500 ',
        'data-rage-click-interval-ms': '800',
        'data-dwell-visible-ratio': '0.75',
        'data-respect-global-privacy-control': 'true',
        'data-db-name': 'shop-profile',
      }),
      win(),
    )
    expect(config).toEqual({
      consent: 'granted',
      retentionDays: 14,
      hesitationMs: 1500,
      rageClickIntervalMs: 800,
      dwellVisibleRatio: 0.75,
      respectGlobalPrivacyControl: true,
      dbName: 'shop-profile',
    })
  })

  it('parses negative and leading-dot numbers, so validation sees numbers', () => {
    expect(readConfig(tag({ 'data-dwell-visible-ratio': '.5', 'data-retention-days': '-3' }), win())).toEqual({
      dwellVisibleRatio: 0.5,
      retentionDays: -3,
    })
  })

  it('parses JSON funnels', () => {
    const config = readConfig(tag({ 'data-funnels': '{"checkout":["cart","details","done"]}' }), win())
    expect(config.funnels).toEqual({ checkout: ['cart', 'details', 'done'] })
  })

  it('reads signals and keepQueryParams as comma lists, trimmed, empty entries dropped', () => {
    const config = readConfig(
      tag({ 'data-signals': 'dwell, hesitation ,rage-click,', 'data-keep-query-params': 'page,q' }),
      win(),
    )
    expect(config.signals).toEqual(['dwell', 'hesitation', 'rage-click'])
    expect(config.keepQueryParams).toEqual(['page', 'q'])
  })

  it('keeps list options as strings even when an entry looks like a number or boolean', () => {
    expect(readConfig(tag({ 'data-keep-query-params': '2024' }), win()).keepQueryParams).toEqual(['2024'])
    expect(readConfig(tag({ 'data-keep-query-params': 'true' }), win()).keepQueryParams).toEqual(['true'])
  })

  it('reads an empty data-signals as no signals at all', () => {
    expect(readConfig(tag({ 'data-signals': '' }), win()).signals).toEqual([])
  })

  it('reads scrollMarks as a list of numbers', () => {
    expect(readConfig(tag({ 'data-scroll-marks': '10, 50,100' }), win()).scrollMarks).toEqual([10, 50, 100])
    expect(readConfig(tag({ 'data-scroll-marks': '' }), win()).scrollMarks).toEqual([])
  })

  it('a scrollMarks entry that is not a number fails validation naming its index', () => {
    const config = readConfig(tag({ 'data-scroll-marks': '25,half' }), win())
    expect(config.scrollMarks).toEqual([25, NaN])
    const error = configError(config)
    expect(error).toBeInstanceOf(TacitConfigError)
    expect(error.field).toBe('scrollMarks[1]')
  })

  it('data-respect-gpc is an alias of respectGlobalPrivacyControl', () => {
    expect(readConfig(tag({ 'data-respect-gpc': 'false' }), win())).toEqual({ respectGlobalPrivacyControl: false })
    expect(readConfig(tag({ 'data-respect-gpc': 'true' }), win())).toEqual({ respectGlobalPrivacyControl: true })
  })

  it('ignores data-tacit-* attributes (they are declarative markup, not options) and other attributes', () => {
    const config = readConfig(
      tag({ 'data-tacit-goal': 'purchase', 'data-tacit-ignore': '', 'data-consent': 'pending', id: 'tacit', type: 'text/javascript' }),
      win(),
    )
    expect(config).toEqual({ consent: 'pending' })
  })

  it('leaves a non-numeric value as a string, so validation names the field and the value', () => {
    const config = readConfig(tag({ 'data-hesitation-ms': 'fast' }), win())
    expect(config).toEqual({ hesitationMs: 'fast' })
    const error = configError(config)
    expect(error).toBeInstanceOf(TacitConfigError)
    expect(error.field).toBe('hesitationMs')
    expect(error.message).toBe('hesitationMs must be a positive number, got "fast"')
  })

  it('leaves malformed JSON as a string, so validation names the field instead of a JSON error', () => {
    const config = readConfig(tag({ 'data-funnels': "{checkout:['cart','done']}" }), win())
    expect(config.funnels).toBe("{checkout:['cart','done']}")
    const error = configError(config)
    expect(error).toBeInstanceOf(TacitConfigError)
    expect(error.field).toBe('funnels')
    expect(error.message).toContain('funnels must be an object of funnel name to step names')
  })

  it('an unknown data-* attribute is ignored with a warning that names it (other tools add their own)', () => {
    const warnings: string[] = []
    const config = readConfig(tag({ 'data-hesitaton-ms': '900', 'data-cfasync': 'false', 'data-consent': 'granted' }), win(), (m) => warnings.push(m))
    expect(config).toEqual({ consent: 'granted' })
    expect(warnings).toEqual([
      'data-hesitaton-ms is not a Tacit option and is ignored (check the spelling if you meant one)',
      'data-cfasync is not a Tacit option and is ignored (check the spelling if you meant one)',
    ])
  })

  it('a string option stays a string even when it looks like a number', () => {
    expect(readConfig(tag({ 'data-db-name': '123' }), win()).dbName).toBe('123')
  })

  it('valid attribute options pass validation as they are', () => {
    const config = readConfig(
      tag({
        'data-consent': 'denied',
        'data-funnels': '{"checkout":["cart","done"]}',
        'data-signals': 'dwell,hesitation',
        'data-scroll-marks': '50,100',
        'data-respect-gpc': 'false',
      }),
      win(),
    )
    const tacit = createTacit(config)
    expect(tacit.consent).toBe('denied')
    tacit.destroy()
  })
})

describe('readConfig: window.tacitConfig', () => {
  it('is used when there is no tag', () => {
    const onError = (): void => {}
    expect(readConfig(null, win({ consent: 'granted', hesitationMs: 1200, onError }))).toEqual({
      consent: 'granted',
      hesitationMs: 1200,
      onError,
    })
  })

  it('is merged with the tag attributes, and the tag wins on the same option', () => {
    const base = { consent: 'pending', hesitationMs: 1200, funnels: { a: ['x', 'y'] } }
    const config = readConfig(tag({ 'data-consent': 'granted', 'data-retention-days': '7' }), win(base))
    expect(config).toEqual({ consent: 'granted', hesitationMs: 1200, funnels: { a: ['x', 'y'] }, retentionDays: 7 })
    // The page's own object is not modified.
    expect(base).toEqual({ consent: 'pending', hesitationMs: 1200, funnels: { a: ['x', 'y'] } })
  })

  it('the data-respect-gpc alias overrides tacitConfig.respectGlobalPrivacyControl', () => {
    const config = readConfig(tag({ 'data-respect-gpc': 'false' }), win({ respectGlobalPrivacyControl: true }))
    expect(config).toEqual({ respectGlobalPrivacyControl: false })
  })

  it('a tacitConfig that is not an object is ignored', () => {
    expect(readConfig(tag({ 'data-consent': 'granted' }), win('granted'))).toEqual({ consent: 'granted' })
    expect(readConfig(null, win(42))).toEqual({})
    expect(readConfig(null, win(null))).toEqual({})
  })

  it('reads the real window.tacitConfig', () => {
    ;(window as Window & { tacitConfig?: unknown }).tacitConfig = { idleMs: 5000 }
    try {
      expect(readConfig(tag({}), window)).toEqual({ idleMs: 5000 })
    } finally {
      delete (window as Window & { tacitConfig?: unknown }).tacitConfig
    }
  })
})
