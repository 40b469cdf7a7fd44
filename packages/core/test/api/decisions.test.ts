import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import { Decisions } from '../../src/api/decisions'
import { BATCH_MAX_WAIT_MS, BATCH_WAIT_MS, Models } from '../../src/api/models'
import type { Tacit } from '../../src/api/types'
import { TacitArgumentError } from '../../src/errors'
import { ModelStateError } from '../../src/model/errors'
import { IntentModel } from '../../src/model/intent'
import { resolveOptions, type TacitOptions } from '../../src/options'
import { Profile } from '../../src/profile/profile'
import { setVisibility, settle, useIdbFakeClock } from '../helpers'

const instances: Tacit[] = []
let n = 0
const make = (o: TacitOptions = {}) => {
  const t = createTacit({ dbName: `tacit-decide-${++n}`, onError: () => {}, ...o })
  instances.push(t)
  return t
}
afterEach(() => {
  for (const t of instances.splice(0)) t.destroy()
})

/** The decision layer alone, with a session id the test controls. */
const harness = async (o: TacitOptions = {}) => {
  const opts = resolveOptions(o)
  const profile = new Profile(500, opts.interestHalfLifeDays * 86_400_000)
  let session = 1
  const errors: unknown[] = []
  const models = new Models(profile, opts, () => `s${session}`, () => 0, (e) => errors.push(e))
  await models.load()
  const decisions = new Decisions(profile, models, opts, () => `s${session}`, () => true, () => true)
  return { profile, models, decisions, errors, nextSession: () => session++ }
}

describe('decide', () => {
  it('returns the fallback before ready, synchronously, and a model decision after', async () => {
    const t = make()
    expect(t.decide('hero', ['a', 'b', 'c'])).toEqual({ variant: 'a', probability: 1, explanation: expect.any(String) })
    expect(t.decide('banner', ['a', 'b', 'c'], { fallback: 'c' }).variant).toBe('c')
    await t.ready
    const d = t.decide('cta', ['a', 'b', 'c'])
    expect(['a', 'b', 'c']).toContain(d.variant)
    expect(d.probability).toBeGreaterThan(0)
    expect(d.probability).toBeLessThan(1) // sampled, not a fallback
    expect(d.explanation.length).toBeGreaterThan(10)
  })

  it('a fallback shown before ready is kept for the session (no flicker), and recorded as such', async () => {
    const t = make()
    expect(t.decide('hero', ['a', 'b', 'c'], { fallback: 'b' }).variant).toBe('b')
    await t.ready
    for (let i = 0; i < 5; i++) expect(t.decide('hero', ['a', 'b', 'c']).variant).toBe('b')
    expect(t.explain('hero')).toContain('already on screen')
    const p = await t.profile()
    expect(p.decisions).toEqual([expect.objectContaining({ slot: 'hero', variant: 'b', probability: 1, policy: 'fallback' })])
    expect(t.reward('hero', 1)).toBe(true) // it still teaches the bandit
  })

  it('on a second page of the session, a fallback shown before ready wins over the earlier page\'s decision', async () => {
    const name = `tacit-decide-second-${++n}`
    const page1 = createTacit({ dbName: name, consent: 'granted', onError: () => {} })
    instances.push(page1)
    await page1.ready
    let first = page1.decide('hero', ['a', 'b', 'c', 'd', 'e'])
    for (let i = 0; first.variant === 'e' && i < 50; i++) first = page1.decide(`hero${i}`, ['a', 'b', 'c', 'd', 'e'])
    const slot = first.variant === 'e' ? 'never' : (await page1.profile()).decisions.find((d) => d.variant === first.variant)!.slot
    await page1.profile() // written
    page1.destroy()
    const page2 = createTacit({ dbName: name, consent: 'granted', onError: () => {} })
    instances.push(page2)
    expect(page2.decide(slot, ['a', 'b', 'c', 'd', 'e'], { fallback: 'e' }).variant).toBe('e')
    await page2.ready
    expect(page2.decide(slot, ['a', 'b', 'c', 'd', 'e']).variant).toBe('e')
    expect((await page2.profile()).decisions.find((d) => d.slot === slot)).toMatchObject({ variant: 'e', policy: 'fallback' })
  })

  it('subscribe() notifies UI bindings once per burst of changes, and unsubscribes', async () => {
    const t = make()
    let calls = 0
    const off = t.subscribe(() => calls++)
    await t.ready
    await Promise.resolve()
    expect(calls).toBe(1) // ready
    t.track('a')
    t.track('b')
    t.track('c')
    await Promise.resolve()
    expect(calls).toBe(2) // three goals, one notification
    off()
    t.track('d')
    await Promise.resolve()
    expect(calls).toBe(2)
  })

  it('is sticky within a session: re-rendering gives the same variant', async () => {
    const t = make()
    await t.ready
    const first = t.decide('hero', ['a', 'b', 'c', 'd'])
    for (let i = 0; i < 20; i++) expect(t.decide('hero', ['a', 'b', 'c', 'd'])).toEqual(first)
    const profile = await t.profile()
    expect(profile.decisions).toEqual([expect.objectContaining({ slot: 'hero', variant: first.variant, probability: first.probability, rewarded: false })])
  })

  it('learns a planted preference within a bounded number of rewards', async () => {
    const h = await harness({ model: { minExplore: 0.05 } })
    const shown: string[] = []
    for (let round = 0; round < 150; round++) {
      h.nextSession()
      const d = h.decisions.decide('hero', ['a', 'b', 'c'])
      shown.push(d.variant)
      h.decisions.reward('hero', d.variant === 'b' ? 1 : 0)
    }
    const last = shown.slice(-50)
    expect(last.filter((v) => v === 'b').length).toBeGreaterThanOrEqual(40)
    expect(h.errors).toEqual([])
  })

  it('a new slot with tagged variants starts from what the interest model knows', async () => {
    const h = await harness()
    const t = Date.now()
    h.profile.recordSignal({ type: 'dwell', t, target: 'p1', item: 'p1', tags: ['premium'], ms: 30_000 }, 's1')
    h.profile.recordInteraction({ kind: 'hover', item: 'b1', tags: ['budget'], ms: 2000 }, t)
    const picks: string[] = []
    for (let i = 0; i < 40; i++) {
      h.nextSession()
      const d = h.decisions.decide('hero', [{ id: 'value', tags: ['budget'] }, { id: 'luxury', tags: ['premium'] }])
      picks.push(d.variant)
      // Unrewarded decisions count as 0 when their session ends, so after warmStartRewards (10)
      // sessions the bandit takes over, with the affinity as a head start.
      if (i < 10 && d.variant === 'luxury') {
        expect(d.probability).toBeCloseTo(0.95, 5)
        expect(d.explanation).toBe('You often look at premium items.')
      }
    }
    expect(picks.filter((p) => p === 'luxury').length).toBeGreaterThanOrEqual(32)
    expect(picks).toContain('luxury')
  })

  it('every variant keeps at least the exploration floor', async () => {
    const h = await harness({ model: { minExplore: 0.1 } })
    const counts: Record<string, number> = { a: 0, b: 0 }
    for (let i = 0; i < 400; i++) {
      h.nextSession()
      const d = h.decisions.decide('cta', ['a', 'b'])
      counts[d.variant]++
      expect(d.probability).toBeGreaterThanOrEqual(0.1 - 1e-9)
      h.decisions.reward('cta', d.variant === 'a' ? 1 : 0)
    }
    expect(counts.b).toBeGreaterThanOrEqual(15) // 10% floor of 400, with slack
  })

  it('rewards once; with nothing to reward it is a no-op that says so', async () => {
    const t = make()
    await t.ready
    expect(t.reward('hero', 1)).toBe(false)
    t.decide('hero', ['a', 'b'])
    expect(t.reward('hero', 1)).toBe(true)
    expect(t.reward('hero', 1)).toBe(false)
  })

  it('a decision not rewarded by the end of its session counts as 0', async () => {
    const h = await harness()
    const d = h.decisions.decide('hero', ['a', 'b'])
    const spy = vi.spyOn(h.models.engine!, 'reward')
    h.decisions.settle()
    expect(spy).not.toHaveBeenCalled()
    h.nextSession()
    h.decisions.settle()
    expect(spy).toHaveBeenCalledWith('hero', ['a', 'b'], d.variant, expect.any(Array), 0)
    expect(h.profile.data.decisions.hero.rewarded).toBe(true)
  })

  it('with rewardWindowMs, a decision expires within its session too', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 1), toFake: ['Date'] })
    const h = await harness({ model: { rewardWindowMs: 60_000 } })
    h.decisions.decide('hero', ['a', 'b'])
    const spy = vi.spyOn(h.models.engine!, 'reward')
    vi.setSystemTime(Date.now() + 60_001)
    h.decisions.settle()
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('bad arguments are clear errors', async () => {
    const t = make()
    await t.ready
    expect(() => t.decide('hero', [])).toThrow(TacitArgumentError)
    expect(() => t.decide('hero', ['a', 'a'])).toThrow('variant "a" is listed twice in slot "hero"')
    expect(() => t.decide('', ['a'])).toThrow('slot must be a non-empty string')
    expect(() => t.decide('hero', ['a', 'b'], { fallback: 'z' })).toThrow('fallback "z" is not one of the variants (a, b)')
    expect(() => t.decide('hero', [{ id: '' }])).toThrow('variants[0] must be a non-empty name')
    expect(() => t.reward('hero', Number.NaN)).toThrow('reward(): value must be a finite number, got NaN')
    expect((await t.profile()).decisions).toEqual([])
  })

  it('with consent denied, decide returns the fallback and records nothing', async () => {
    const t = make({ consent: 'denied' })
    await t.ready
    expect(t.decide('hero', ['a', 'b'])).toMatchObject({ variant: 'a', probability: 1 })
    expect(t.predict()).toEqual({ convert: 0.5, dropOff: 0.5 })
  })
})

describe('persistence of models', () => {
  it('the bandit posterior and the sticky decision survive a reload', async () => {
    const name = `tacit-decide-persist-${++n}`
    const a = createTacit({ dbName: name, consent: 'granted', onError: () => {} })
    instances.push(a)
    await a.ready
    const d = a.decide('hero', ['a', 'b'])
    a.reward('hero', 1)
    const saved = await a.profile()
    expect(saved.models.map((m) => m.key)).toContain('bandit:hero')
    a.destroy()
    const b = createTacit({ dbName: name, consent: 'granted', onError: () => {} })
    instances.push(b)
    await b.ready
    const p = await b.profile()
    const state = p.models.find((m) => m.key === 'bandit:hero')!.state as { bandit: { arms: Array<{ n: number }> } }
    expect(state.bandit.arms.reduce((s, arm) => s + arm.n, 0)).toBe(1)
    expect(b.decide('hero', ['a', 'b']).variant).toBe(d.variant) // same session: sticky
  })

  it('stored state with non-finite weights resets that model and is reported', async () => {
    const h = await harness()
    h.models.engine!.load([
      { key: 'bandit:hero', state: { variants: ['a', 'b'], bandit: { version: 1, dim: 24, arms: [{ n: 1, precision: [Number.NaN] }] } } },
      { key: 'intent:convert', state: { version: 1, inputs: ['x'], layers: [{ weights: [[Infinity]], bias: [0], activation: 'sigmoid' }] } },
    ])
    // The intent model is parsed at once; a bandit when its slot is first used (or in idle time).
    expect(h.errors.length).toBe(1)
    expect(['a', 'b']).toContain(h.decisions.decide('hero', ['a', 'b']).variant)
    expect(h.errors.length).toBe(2)
    for (const e of h.errors) expect(e).toBeInstanceOf(ModelStateError)
    const p = h.models.engine!.predict(h.models.features())
    expect(p.convert).toBeCloseTo(0.5, 5)
  })
})

describe('predict and rank', () => {
  it('predict gives probabilities; reaching goals raises the conversion estimate (idle-time learning)', async () => {
    const t = make()
    await t.ready
    const before = t.predict()
    expect(before.convert).toBeGreaterThanOrEqual(0)
    expect(before.convert).toBeLessThanOrEqual(1)
    expect(before.dropOff).toBeGreaterThanOrEqual(0)
    for (let i = 0; i < 60; i++) t.track('purchase')
    // Both heads learn, after the batch wait (BATCH_WAIT_MS), one idle slice each.
    await vi.waitFor(
      () => {
        expect(t.predict().convert).toBeGreaterThan(before.convert + 0.01)
        expect(t.predict().dropOff).toBeLessThan(before.dropOff)
      },
      { timeout: 6000 },
    )
  })

  it('outcomes are learned together once they pause for BATCH_WAIT_MS: one step per head, after the pause', async () => {
    const { models } = await harness()
    useIdbFakeClock()
    try {
      const steps = vi.spyOn(IntentModel.prototype, 'trainStep')
      const before = models.engine!.predict(models.features())
      for (let i = 0; i < 5; i++) {
        models.learn('convert', 1)
        models.learn('dropOff', 0)
        await vi.advanceTimersByTimeAsync(300) // a burst of clicks on "Add"
      }
      // The wait counts from the last outcome of the burst, not the first.
      await vi.advanceTimersByTimeAsync(BATCH_WAIT_MS - 300 - 10)
      expect(steps).not.toHaveBeenCalled()
      expect(models.engine!.predict(models.features()).convert).toBe(before.convert)
      await vi.advanceTimersByTimeAsync(50)
      expect(steps).toHaveBeenCalledTimes(2) // five outcomes per head, one mini-batch each
      expect(steps.mock.calls.map((c) => c[1].length)).toEqual([5, 5])
      expect(models.engine!.predict(models.features()).convert).toBeGreaterThan(before.convert)
      steps.mockRestore()
    } finally {
      vi.useRealTimers()
    }
  })

  it('a burst of outcomes keeps one waiting timer, not one per outcome', async () => {
    const { models } = await harness()
    useIdbFakeClock()
    try {
      const timers = vi.spyOn(globalThis, 'setTimeout')
      const steps = vi.spyOn(IntentModel.prototype, 'trainStep')
      for (let i = 0; i < 8; i++) {
        models.learn('convert', 1)
        await vi.advanceTimersByTimeAsync(250) // eight goals in two seconds: one mini-batch
      }
      await vi.advanceTimersByTimeAsync(BATCH_WAIT_MS + 100)
      expect(steps).toHaveBeenCalledTimes(1) // the burst, learned together after its pause
      // The batch waits: the first timer, then one more when it fires while the burst goes on.
      // Waits are BATCH_WAIT_MS long at most; the idle callbacks' own timers are shorter.
      const waits = timers.mock.calls.filter(([, ms]) => (ms ?? 0) > 100 && (ms ?? 0) <= BATCH_WAIT_MS)
      expect(waits.length).toBeLessThanOrEqual(2)
      timers.mockRestore()
      steps.mockRestore()
    } finally {
      vi.useRealTimers()
    }
  })

  it('a steady stream of outcomes is learned at least every BATCH_MAX_WAIT_MS, in batches', async () => {
    const { models } = await harness()
    useIdbFakeClock()
    try {
      const stepAt: number[] = []
      const real = IntentModel.prototype.trainStep
      const spy = vi.spyOn(IntentModel.prototype, 'trainStep').mockImplementation(function (this: IntentModel, ...args) {
        stepAt.push(Date.now())
        return real.apply(this, args)
      })
      const start = Date.now()
      // A goal a second for 25 s: never a pause of BATCH_WAIT_MS.
      for (let i = 0; i < 25; i++) {
        models.learn('convert', 1)
        await vi.advanceTimersByTimeAsync(1000)
      }
      await vi.advanceTimersByTimeAsync(BATCH_WAIT_MS + 100)
      const batches = stepAt.map((t) => t - start)
      // The first batch waited the longest it may, no more; every outcome learned in three batches.
      expect(batches[0]).toBeGreaterThanOrEqual(BATCH_MAX_WAIT_MS)
      expect(batches[0]).toBeLessThan(BATCH_MAX_WAIT_MS + 100)
      expect(batches.length).toBeLessThanOrEqual(5)
      expect(spy.mock.calls.reduce((n, c) => n + c[1].length, 0)).toBe(25)
      spy.mockRestore()
    } finally {
      vi.useRealTimers()
    }
  })

  it('a page that hides right after a goal writes what it learned from it, without waiting for the batch', async () => {
    const dbName = `tacit-decide-hide-${++n}`
    const fresh = make()
    await fresh.ready
    const neutral = fresh.predict().convert
    const t = createTacit({ dbName, consent: 'granted', onError: () => {} })
    await t.ready
    t.track('purchase')
    setVisibility('hidden')
    await t.profile() // waits for the hide's write
    t.destroy()
    setVisibility('visible')
    await settle()
    const next = make({ dbName, consent: 'granted' })
    await next.ready
    expect(next.predict().convert).toBeGreaterThan(neutral)
  })

  it('a fault while learning on hide is reported and the hide still writes the page\'s changes', async () => {
    const dbName = `tacit-decide-hide-fault-${++n}`
    const errors: unknown[] = []
    const t = createTacit({ dbName, consent: 'granted', onError: (e) => errors.push(e) })
    await t.ready
    const saveModels = vi.spyOn(Models.prototype, 'save').mockImplementation(() => {
      throw new Error('training failed')
    })
    t.track('purchase')
    setVisibility('hidden')
    await settle() // the hide's journal write, and nothing else (the page may be closing)
    saveModels.mockRestore()
    expect(errors).toContainEqual(expect.objectContaining({ message: 'training failed' }))
    const journal = await new Promise<unknown[]>((resolve, reject) => {
      const req = indexedDB.open(dbName)
      req.onerror = () => reject(req.error)
      req.onsuccess = () => {
        const get = req.result.transaction('journal').objectStore('journal').getAll()
        get.onsuccess = () => {
          req.result.close()
          resolve(get.result)
        }
      }
    })
    expect(JSON.stringify(journal)).toContain('"purchase"')
    t.destroy()
    setVisibility('visible')
  })

  it('rank keeps page order before ready, then puts what this person attends to first, ties in page order', async () => {
    document.body.innerHTML = '<div data-tacit-item="p1" data-tacit-tags="premium">x</div>'
    const t = make()
    const items = [{ id: 'b1', tags: ['budget'] }, { id: 'x' }, { id: 'p9', tags: ['premium'] }, { id: 'y' }]
    expect(t.rank(items)).toEqual(items)
    await t.ready
    const el = document.querySelector('[data-tacit-item]')!
    el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }))
    await new Promise((r) => setTimeout(r, 150))
    el.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: document.body }))
    el.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(t.rank(items).map((i) => i.id)).toEqual(['p9', 'b1', 'x', 'y'])
    expect(() => t.rank([{ id: 3 }] as never)).toThrow('rank(): items[0] must be an object with a string id')
  })
})
