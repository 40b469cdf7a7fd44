import { now } from '../env'
import { FEATURES } from '../features/names'
import { affinity } from '../model/interests'
import type { ResolvedOptions } from '../options'
import type { Profile } from '../profile/profile'
import type { DecisionRecord } from '../profile/schemas'
import { checkFallback, checkVariants } from './arguments'
import { DEFAULT_WHY, OFF_WHY } from './explanations'
import type { Models } from './models'

/** A variant of a decision slot: its name, or its name and tags (`{ id: 'lux', tags: ['premium'] }`). */
export type Variant = string | { id: string; tags?: readonly string[] }

export interface DecideOptions {
  /** What to show before Tacit is ready or when personalisation is off. Default: the first variant. */
  fallback?: string
}

/** The outcome of `decide`. */
export interface Decision {
  variant: string
  /** The probability with which the policy chose this variant (1 for a fallback). */
  probability: number
  /** Why, in plain words. */
  explanation: string
}

const KEPT_WHY = 'Showing the default, which was already on screen before your preferences loaded.'

/**
 * `decide`, `reward` and `explain`: a contextual bandit per slot over the feature vector, sticky
 * within a session. While a slot has few rewards and its variants carry tags, the interest model
 * decides (the variant whose tags this person attends to most), with the same exploration floor;
 * afterwards Thompson sampling decides, with tag affinity as a small offset.
 */
export class Decisions {
  private _why = new Map<string, string>()
  constructor(
    private _profile: Profile,
    private _models: Models,
    private _opts: ResolvedOptions,
    private _sessionId: () => string,
    private _enabled: () => boolean,
    /** True once the stored profile is loaded: deciding on an empty profile would be wrong. */
    private _loaded: () => boolean,
    /** Fallbacks returned before the models were ready, per slot: kept for this session (no flicker). */
    private _shown = new Map<string, string>(),
  ) {}

  decide(slot: string, variants: readonly Variant[], options?: DecideOptions | null): Decision {
    options = options ?? {}
    const ids = checkVariants(slot, variants)
    const fallback = checkFallback(ids, options.fallback)
    const engine = this._models.engine
    if (!this._enabled()) return { variant: fallback, probability: 1, explanation: OFF_WHY }
    if (!engine || !this._loaded()) {
      if (!this._shown.has(slot)) this._shown.set(slot, fallback)
      return { variant: this._shown.get(slot)!, probability: 1, explanation: DEFAULT_WHY }
    }
    this.settle()

    const x = this._models.features()
    const t = now()
    const shown = this._shown.get(slot)
    if (shown !== undefined && ids.includes(shown)) {
      // It has been on screen since before Tacit was ready: switching now would flicker. An
      // earlier page's decision for this slot, not rewarded so far, counts as 0 as it is replaced.
      this._shown.delete(slot)
      const earlier = this._profile.data.decisions[slot]
      if (earlier && !earlier.rewarded && earlier.variant !== shown) engine.reward(slot, earlier.variants, earlier.variant, earlier.context, 0)
      const kept: DecisionRecord = {
        slot, sessionId: this._sessionId(), variants: ids, variant: shown, probability: 1,
        context: Array.from(x), t, policy: 'fallback', rewarded: false, updatedAt: t,
      }
      this._profile.recordDecision(kept)
      this._why.set(slot, KEPT_WHY)
      return { variant: shown, probability: 1, explanation: KEPT_WHY }
    }

    const sticky = this._profile.data.decisions[slot]
    if (sticky && sticky.sessionId === this._sessionId() && sameSet(sticky.variants, ids) && ids.includes(sticky.variant)) {
      return { variant: sticky.variant, probability: sticky.probability, explanation: this.explain(slot) }
    }
    const halfLife = this._opts.interestHalfLifeDays * 86_400_000
    const tags = variants.map((v) => (typeof v === 'string' ? [] : (v.tags ?? []).map((s) => String(s).toLowerCase())))
    const affinities = tags.map((list) => list.reduce((sum, tag) => sum + affinity(this._profile.data.tags[tag]?.interest, t, halfLife), 0))
    const pulls = engine.pulls(slot, ids).reduce((a, b) => a + b, 0)
    const K = ids.length
    const floor = Math.min(this._opts.model.minExplore, 1 / K)

    let index: number
    let probability: number
    let policy: DecisionRecord['policy']
    const best = argmax(affinities)
    if (affinities[best] > 0 && pulls < this._opts.model.warmStartRewards) {
      policy = 'interest'
      index = engine.rng.uniform() < K * floor ? Math.min(K - 1, Math.floor(engine.rng.uniform() * K)) : best
      probability = floor + (index === best ? 1 - K * floor : 0)
    } else {
      policy = 'bandit'
      // Affinity as a bounded head start, in reward units: 10 s of attention is worth +0.25.
      const offsets = Float64Array.from(affinities, (a) => (0.5 * a) / (a + 10))
      const choice = engine.choose(slot, ids, x, offsets)
      index = choice.arm
      probability = choice.probability
    }
    const record: DecisionRecord = {
      slot,
      sessionId: this._sessionId(),
      variants: ids,
      variant: ids[index],
      probability,
      context: Array.from(x),
      t,
      policy,
      rewarded: false,
      updatedAt: t,
    }
    this._profile.recordDecision(record)
    this._why.set(slot, this._explain(record, tags[index], affinities, best))
    return { variant: record.variant, probability, explanation: this._why.get(slot)! }
  }

  /** Rewards the last decision of `slot` (once). Returns false when there is nothing to reward. */
  reward(slot: string, value: number): boolean {
    const d = this._profile.data.decisions[slot]
    const engine = this._models.engine
    if (!d || d.rewarded || !engine) return false
    engine.reward(slot, d.variants, d.variant, d.context, value)
    this._profile.recordDecision({ ...d, rewarded: true, updatedAt: now() })
    this._models.save()
    return true
  }

  /** Forgets the explanations of earlier decisions (after `erase()`). */
  forget(): void {
    this._why.clear()
  }

  /** Why the last decision of `slot` went the way it did. */
  explain(slot: string): string {
    const cached = this._why.get(slot)
    if (cached) return cached
    const d = this._profile.data.decisions[slot]
    if (!d) return `No decision has been made for "${slot}" yet.`
    const text = this._explain(d, [], [], -1)
    this._why.set(slot, text)
    return text
  }

  /**
   * Decisions whose reward window has passed count as a reward of 0: by default at the end of
   * their session, or after `model.rewardWindowMs`.
   */
  settle(): void {
    const engine = this._models.engine
    if (!engine) return
    const t = now()
    const window = this._opts.model.rewardWindowMs
    let changed = false
    for (const d of Object.values(this._profile.data.decisions)) {
      if (d.rewarded) continue
      const expired = d.sessionId !== this._sessionId() || (window !== undefined && t - d.t > window)
      if (!expired) continue
      engine.reward(d.slot, d.variants, d.variant, d.context, 0)
      this._profile.recordDecision({ ...d, rewarded: true, updatedAt: t })
      changed = true
    }
    if (changed) this._models.save()
  }

  private _explain(d: DecisionRecord, tags: readonly string[], affinities: readonly number[], best: number): string {
    if (d.policy === 'fallback') return KEPT_WHY
    if (d.policy === 'interest') {
      const t = now()
      const halfLife = this._opts.interestHalfLifeDays * 86_400_000
      const top = [...tags].sort(
        (a, b) => affinity(this._profile.data.tags[b]?.interest, t, halfLife) - affinity(this._profile.data.tags[a]?.interest, t, halfLife),
      )[0]
      if (best >= 0 && d.variants[best] !== d.variant) return 'Trying something different from what you usually look at.'
      return top ? `You often look at ${top} items.` : 'Picked from what you have looked at most.'
    }
    const engine = this._models.engine
    const c = engine?.contributions(d.slot, d.variants, d.variant, Float32Array.from(d.context))
    const reasons: string[] = []
    if (c) {
      const order = Array.from(c.keys()).sort((a, b) => c[b] - c[a])
      for (const i of order) {
        if (c[i] <= 0.02 || reasons.length === 2) break
        const phrase = FEATURES[i].phrase
        if (!reasons.includes(phrase)) reasons.push(phrase)
      }
    }
    if (reasons.length) return `Chosen because ${reasons.join(' and ')}.`
    if (affinities.length && best >= 0 && affinities[best] > 0 && d.variants[best] === d.variant) return 'Picked from what you have looked at most.'
    return 'Still learning what suits you here, so this option is being tried.'
  }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i])

const argmax = (xs: readonly number[]): number => {
  let best = 0
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i
  return best
}
