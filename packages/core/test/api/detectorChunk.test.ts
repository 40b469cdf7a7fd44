import { afterEach, describe, expect, it, vi } from 'vitest'
import { html, settle } from '../helpers'

// For a bundler the detectors are a chunk of their own (signals/load.ts), loaded when capture
// starts. If it cannot load (the network went away), the page gets one clear error and the rest
// of Tacit works: ready resolves, decisions and the profile still do.

afterEach(async () => {
  vi.doUnmock('../../src/signals/load')
  vi.resetModules()
  await settle()
})

describe('the detector chunk', () => {
  it('failing to load is reported once as a TacitError; ready resolves and the API works', async () => {
    vi.resetModules()
    vi.doMock('../../src/signals/load', () => ({ loadDetectors: () => Promise.reject(new Error('chunk offline')) }))
    const { createTacit } = await import('../../src/api/createTacit')
    html('<button id="b">b</button>')
    const errors: unknown[] = []
    const t = createTacit({ dbName: 'tacit-detector-chunk', onError: (e) => errors.push(e) })
    await t.ready
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ name: 'TacitError', message: 'The detector chunk could not load; this page is not captured' })
    expect((errors[0] as { cause?: Error }).cause?.message).toBe('chunk offline')
    expect(t.decide('hero', ['a', 'b']).variant).toMatch(/^[ab]$/)
    t.track('signup')
    expect((await t.profile()).outcomes.map((o) => o.goal)).toEqual(['signup'])
    t.destroy()
  })
})
