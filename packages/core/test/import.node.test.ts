import { describe, expect, it } from 'vitest'

describe('@tacit/core in Node, no DOM (server rendering)', () => {
  it('imports through its exports map and creates an instance without throwing', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
    const core = await import('@tacit/core')
    expect(Object.keys(core).sort()).toEqual(
      ['SIGNAL_TYPES', 'TacitArgumentError', 'TacitConfigError', 'TacitError', 'createTacit', 'describeTarget', 'interactiveAncestor', 'resolveOptions'].sort(),
    )
    const tacit = core.createTacit({ consent: 'granted' })
    await tacit.ready
    expect(tacit.storage).toBe('memory')
    tacit.track('signup')
    const profile = await tacit.profile()
    expect(profile.outcomes).toEqual([expect.objectContaining({ goal: 'signup', count: 1 })])
    // The model chunk (TF.js, cpu backend) loads in Node too: decisions come from the bandit.
    const d = tacit.decide('hero', ['a', 'b'])
    expect(['a', 'b']).toContain(d.variant)
    expect(d.probability).toBeLessThan(1)
    const p = tacit.predict()
    expect(p.convert).toBeGreaterThan(0)
    expect(p.convert).toBeLessThan(1)
    tacit.destroy()
  })

  it('still validates options', async () => {
    const { createTacit, TacitConfigError } = await import('@tacit/core')
    expect(() => createTacit({ hesitationMs: 'fast' as unknown as number })).toThrow(TacitConfigError)
  })
})
