import { LinearThompsonBandit } from './bandit'
import { ModelStateError } from './errors'
import { IntentModel, type IntentSample } from './intent'
import { alignIntentPrior, parseIntentPrior, type IntentPrior } from './intentPrior'
import { createRandom, randomSeed, type Random } from './random'
import { setupTf } from './tf'

/** The two intent outputs. */
export type IntentHead = 'convert' | 'dropOff'
const HEADS: readonly IntentHead[] = ['convert', 'dropOff']

export interface EngineOptions {
  /** Feature names, in vector order (`features/names.ts`). */
  inputs: readonly string[]
  /** Site priors per head (the training tool's output); missing ones start neutral. */
  priors: Partial<Record<IntentHead, unknown>>
  /** Minimum probability of every variant of a slot. */
  minExplore: number
  /** Learning rate of on-device fine-tuning. */
  learningRate: number
  onError(error: unknown): void
  seed?: number
}

/** A model's persisted state: `intent:convert`, `intent:dropOff`, `bandit:<slot>`. */
export interface ModelState {
  key: string
  state: unknown
  /**
   * The state this one was changed from (the last one read from storage or written, or the
   * prior), so that storage can add the change to what other tabs wrote (`modelMerge.ts`).
   * Absent when the state replaces what is stored (a reset).
   */
  base?: unknown
}

interface Slot {
  variants: string[]
  bandit: LinearThompsonBandit
}

/**
 * Every model of one page, loaded lazily (this module and TF.js are a separate chunk): the two
 * intent networks, one bandit per decision slot, and the queue of outcomes they learn from in
 * idle time. All state goes in and out as plain JSON (`load`, `takeChanged`); a state that fails
 * validation, or weights that stop being finite, reset that model to its prior and are reported.
 */
export class ModelEngine {
  private _priors: Partial<Record<IntentHead, IntentPrior>> = {}
  private _intent: Record<IntentHead, IntentModel>
  private _slots = new Map<string, Slot>()
  /**
   * Stored bandit states not parsed yet, by slot. A page decides a few of its slots: parsing
   * every stored posterior (validation, a Cholesky factor per arm) before `ready` cost more than
   * anything else Tacit does at start-up, so each is parsed when its slot is first used, or by
   * `restoreAll()` in idle time, whichever comes first.
   */
  private _stored = new Map<string, unknown>()
  private _queue: Record<IntentHead, IntentSample[]> = { convert: [], dropOff: [] }
  private _changed = new Set<string>()
  /**
   * Per model key, the state its pending change started from (see `ModelState.base`), or a
   * function that makes it: a new slot's base is its prior, made only when its change is saved
   * (copying it out at once cost a new slot's first `decide` some 50 to 100 µs).
   */
  private _base = new Map<string, unknown>()
  readonly rng: Random

  constructor(private _o: EngineOptions) {
    setupTf()
    this.rng = createRandom(_o.seed ?? randomSeed())
    for (const head of HEADS) {
      const raw = _o.priors[head]
      if (raw === undefined) continue
      try {
        this._priors[head] = alignIntentPrior(parseIntentPrior(raw), _o.inputs)
      } catch (error) {
        _o.onError(error)
      }
    }
    this._intent = { convert: this._fresh('convert'), dropOff: this._fresh('dropOff') }
    for (const head of HEADS) this._base.set(`intent:${head}`, this._intent[head].toJSON())
  }

  /**
   * Adopts the stored states of models with no unsaved change here: what other tabs learned
   * becomes this tab's starting point (called after each write, and when another tab wrote).
   */
  adopt(states: readonly ModelState[]): void {
    this.load(states.filter((s) => !this._changed.has(s.key)))
  }

  /** Restores stored states; a bad one resets that model to its prior and is reported. */
  load(states: readonly ModelState[]): void {
    for (const { key, state } of states) {
      try {
        if (key.startsWith('intent:')) {
          const head = key.slice(7) as IntentHead
          if (!HEADS.includes(head)) continue
          const model = IntentModel.fromJSON(state, this._priors[head])
          if (model.inputs.join() !== this._o.inputs.join()) {
            model.dispose()
            continue // stored for another feature layout: start again from the prior
          }
          this._intent[head].dispose()
          this._intent[head] = model
          this._base.set(key, state)
        } else if (key.startsWith('bandit:')) {
          this._slots.delete(key.slice(7))
          this._stored.set(key.slice(7), state)
          this._base.set(key, state)
        }
      } catch (error) {
        this._o.onError(error)
        this._changed.add(key) // the reset state replaces the bad one
        this._reset(key.slice(7) as IntentHead)
      }
    }
  }

  /** Parses every stored bandit state not parsed yet (see `_stored`); true if any was reset. */
  restoreAll(): boolean {
    let reset = false
    for (const slot of [...this._stored.keys()]) reset = !this._restore(slot) || reset
    return reset
  }

  /**
   * Parses the stored state of `slot`, if it has one not parsed yet. False when it was bad: it
   * is then reported, and reset to a fresh bandit for its variants (when they are readable), so
   * that the reset is saved rather than reported again at every load.
   */
  private _restore(slot: string): boolean {
    if (!this._stored.has(slot)) return true
    const state = this._stored.get(slot)
    this._stored.delete(slot)
    const key = `bandit:${slot}`
    try {
      const s = state as { variants?: unknown; bandit?: unknown }
      const bandit = LinearThompsonBandit.fromJSON(s?.bandit)
      const variants = Array.isArray(s?.variants) ? s.variants.map(String) : []
      if (bandit.dim !== this._o.inputs.length || variants.length !== bandit.arms) {
        throw new ModelStateError('bandit', 'invalid', `Bandit state of ${key} does not match the feature vector or its variants`)
      }
      bandit.minExplore = Math.min(this._o.minExplore, 1 / variants.length)
      this._slots.set(slot, { variants, bandit })
      return true
    } catch (error) {
      this._o.onError(error)
      this._changed.add(key) // the reset state replaces the bad one
      const variants = (state as { variants?: unknown })?.variants
      if (Array.isArray(variants) && variants.length && variants.every((v) => typeof v === 'string')) {
        try {
          this._slot(slot, variants)
          this._base.delete(key)
        } catch {
          // Variants no bandit can have: the slot starts afresh when it is next decided.
        }
      }
      return false
    }
  }

  /**
   * Runs the decision and prediction paths once on throwaway state (a bandit of its own, no slot,
   * nothing saved), while start-up waits for IndexedDB: the first real `decide` then does not pay
   * for compiling them (measured: 3 ms for the first decide after ready, 0.4 ms for the second),
   * parsing a stored posterior included. Returned as steps, which start-up runs in tasks of their
   * own: measured on a first visit, building a bandit takes 2 to 3 ms, parsing its state 8 to
   * 15 ms (zod's first run of that schema, when states were zod schemas), choosing 3 to 9 ms, the first TF.js inference 3 to
   * 12 ms.
   */
  warmUpSteps(x: Float32Array): Array<() => void> {
    let made: LinearThompsonBandit
    let bandit: LinearThompsonBandit
    return [
      () => {
        made = new LinearThompsonBandit({ dim: x.length, arms: 2, minExplore: this._o.minExplore })
        made.update(0, x, 0)
      },
      // Stored posteriors are parsed when their slot is first decided (`_restore`): that path too.
      () => (bandit = LinearThompsonBandit.fromJSON(made.toJSON())),
      () => {
        bandit.choose(x, this.rng, new Float64Array(2))
        bandit.contributions(0, x)
        this.predict(x)
      },
    ]
  }

  /** Probability to convert and risk of drop-off, from one feature vector. */
  predict(x: Float32Array): Record<IntentHead, number> {
    return { convert: this._safePredict('convert', x), dropOff: this._safePredict('dropOff', x) }
  }

  /** Thompson sampling over `variants` (see `bandit.ts`); `offsets` add a prior preference per variant. */
  choose(slot: string, variants: readonly string[], x: Float32Array, offsets?: Float64Array) {
    return this._slot(slot, variants).bandit.choose(x, this.rng, offsets)
  }

  /** How many rewards each variant of the slot has had. */
  pulls(slot: string, variants: readonly string[]): number[] {
    const { bandit } = this._slot(slot, variants)
    return variants.map((_, k) => bandit.pulls(k))
  }

  /** Learns a reward for a variant shown in context `x`. */
  reward(slot: string, variants: readonly string[], variant: string, x: ArrayLike<number>, value: number): void {
    const s = this._slot(slot, variants)
    const arm = s.variants.indexOf(variant)
    if (arm < 0) return
    s.bandit.update(arm, x, value)
    this._changed.add(`bandit:${slot}`)
  }

  /** Per feature, how much it pushed `variant` above the others (positive: towards it). */
  contributions(slot: string, variants: readonly string[], variant: string, x: Float32Array): Float64Array | undefined {
    const s = this._slot(slot, variants)
    const arm = s.variants.indexOf(variant)
    return arm < 0 ? undefined : s.bandit.contributions(arm, x)
  }

  /**
   * Per feature, how much it moved the `head` prediction for `x`: p(x) minus p(x with that feature
   * at 0, "not observed"), all rows in one batch. Positive: it pushed the probability up.
   */
  attributions(head: IntentHead, x: Float32Array): Float64Array {
    const d = x.length
    const rows = new Float32Array(d * (d + 1))
    for (let r = 0; r <= d; r++) {
      rows.set(x, r * d)
      if (r < d) rows[r * d + r] = 0
    }
    const p = this._intent[head].predictBatch(rows, d + 1)
    return Float64Array.from({ length: d }, (_, i) => (Number.isFinite(p[i]) ? p[d] - p[i] : 0))
  }

  /** Queues an outcome for the intent model to learn from in idle time. */
  learn(head: IntentHead, x: Float32Array, y: 0 | 1): void {
    const q = this._queue[head]
    q.push({ x: Float32Array.from(x), y })
    if (q.length > 500) q.shift() // bounded: a storm of outcomes cannot grow memory
  }

  /** Outcomes waiting to be learned. */
  get pending(): number {
    return this._queue.convert.length + this._queue.dropOff.length
  }

  /** Trains for at most about `budgetMs` (one slice of idle time). */
  trainSlice(budgetMs: number): void {
    for (const head of HEADS) {
      const q = this._queue[head]
      if (!q.length) continue
      try {
        const { used } = this._intent[head].trainSlice(q, budgetMs, { lr: this._o.learningRate })
        q.splice(0, used)
        this._changed.add(`intent:${head}`)
      } catch (error) {
        q.length = 0
        this._o.onError(error)
        this._reset(head)
        this._changed.add(`intent:${head}`)
      }
      return // one head per slice keeps each slice within its budget
    }
  }

  /** States changed since the last call, to persist. */
  takeChanged(): ModelState[] {
    const out: ModelState[] = []
    for (const key of this._changed) {
      let state: unknown
      if (key.startsWith('intent:')) state = this._intent[key.slice(7) as IntentHead].toJSON()
      else {
        this._restore(key.slice(7))
        const s = this._slots.get(key.slice(7))
        if (!s) continue
        state = { variants: s.variants, bandit: s.bandit.toJSON() }
      }
      const base = this._base.get(key)
      out.push({ key, state, base: typeof base === 'function' ? base() : base })
      this._base.set(key, state)
    }
    this._changed.clear()
    return out
  }

  dispose(): void {
    for (const head of HEADS) this._intent[head].dispose()
    this._slots.clear()
    this._stored.clear()
  }

  private _fresh(head: IntentHead): IntentModel {
    const prior = this._priors[head]
    return prior ? IntentModel.fromJSON(prior, prior) : IntentModel.neutral(this._o.inputs, { output: head })
  }

  private _reset(head: IntentHead): void {
    this._intent[head].dispose()
    this._intent[head] = this._fresh(head)
    this._base.delete(`intent:${head}`) // the reset state replaces the stored one
  }

  private _safePredict(head: IntentHead, x: Float32Array): number {
    const p = this._intent[head].predict(x)
    if (Number.isFinite(p)) return p
    this._o.onError(new ModelStateError('intent', 'non-finite', `The ${head} model produced a non-finite prediction; it was reset to its prior`))
    this._reset(head)
    this._changed.add(`intent:${head}`)
    return this._intent[head].predict(x)
  }

  /** The slot's bandit for exactly these variants: arms of known variants keep what they learned. */
  private _slot(slot: string, variants: readonly string[]): Slot {
    this._restore(slot)
    const existing = this._slots.get(slot)
    if (existing && existing.variants.length === variants.length && existing.variants.every((v, i) => v === variants[i])) {
      return existing
    }
    const options = { dim: this._o.inputs.length, arms: variants.length, minExplore: Math.min(this._o.minExplore, 1 / variants.length) }
    const bandit = new LinearThompsonBandit(options)
    if (existing) {
      const old = existing.bandit.toJSON()
      const fresh = bandit.toJSON()
      const arms = variants.map((v, k) => {
        const i = existing.variants.indexOf(v)
        return i >= 0 ? old.arms[i] : fresh.arms[k]
      })
      const rebuilt = LinearThompsonBandit.fromJSON({ ...fresh, arms })
      rebuilt.minExplore = bandit.minExplore
      const s = { variants: [...variants], bandit: rebuilt }
      this._slots.set(slot, s)
      this._base.delete(`bandit:${slot}`) // other variants: the new state replaces the stored one
      return s
    }
    const s = { variants: [...variants], bandit }
    this._slots.set(slot, s)
    this._base.set(`bandit:${slot}`, () => ({ variants: s.variants, bandit: new LinearThompsonBandit(options).toJSON() }))
    return s
  }
}

/** Entry of the lazy model chunk. */
export const createEngine = (options: EngineOptions): ModelEngine => new ModelEngine(options)
