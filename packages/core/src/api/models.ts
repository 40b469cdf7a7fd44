import { clearTimer, nextTask, now, setTimer, whenIdle, type TimerId } from '../env'
import { deviceClass, type DeviceClass } from '../features/device'
import { FEATURE_NAMES } from '../features/names'
import { featureVector } from '../features/vector'
import { createEngine, type ModelEngine } from '../model/engine'
import type { ResolvedOptions } from '../options'
import type { Profile } from '../profile/profile'

/** Longest idle-time training slice, ms (the budget is 10; GC pauses need the margin). */
const SLICE_MS = 8

/**
 * Training starts once outcomes pause this long, so that outcomes that come together are learned
 * together, a mini-batch per step: a burst of clicks on "Add" costs one step per head, not one per
 * click (each step is some 25 TF.js kernel calls whatever the batch), and the steps run when the
 * person pauses, not while they click. The wait is cut short when the page hides.
 */
export const BATCH_WAIT_MS = 2000

/**
 * A steady stream of outcomes (a goal every second or so) waits no longer than this after the
 * first of them. Counted in `bench:session`, where 100 goals come in 64 s: a fixed 2-s window made
 * 15 batches, 30 steps; waiting for a pause, with this bound, 6 batches, 15 steps (a batch of more
 * than 8 outcomes takes two).
 */
export const BATCH_MAX_WAIT_MS = 10_000

/**
 * The page's models (part of the lazy model chunk, see `adaptive.ts`): builds feature vectors,
 * feeds outcomes to the intent model, trains it in idle slices, and saves changed model state
 * into the profile. `engine` is undefined when the models could not start.
 */
export class Models {
  engine: ModelEngine | undefined
  private _device: DeviceClass = deviceClass()
  /** Cancels the training (or saving) that is scheduled, if any. */
  private _cancel: (() => void) | undefined
  /** When the first outcome of the batch waiting for a pause came; undefined when none waits. */
  private _batchStart: number | undefined
  /** When the last outcome of that batch came. */
  private _lastOutcome = 0
  private _disposed = false
  /** Called after a training slice changed the intent model (predictions may have moved). */
  onTrained: () => void = () => {}

  constructor(
    private _profile: Profile,
    private _opts: ResolvedOptions,
    private _sessionId: () => string,
    private _pageEngagedMs: () => number,
    private _onError: (error: unknown) => void,
  ) {}

  /** Builds the engine (TF.js included) from the priors. Never throws: faults go to `onError`. */
  load(): void {
    try {
      if (this._disposed) return
      const prior = this._opts.model.prior as Record<string, unknown> | undefined
      const priors = prior && 'layers' in prior ? { convert: prior } : (prior ?? {})
      this.engine = createEngine({
        inputs: FEATURE_NAMES,
        priors,
        minExplore: this._opts.model.minExplore,
        learningRate: this._opts.model.learningRate,
        onError: this._onError,
      })
    } catch (error) {
      this._onError(error)
    }
  }

  /**
   * See `ModelEngine.warmUpSteps`: compiles the hot paths before the first real decision and
   * prediction, each step in a task of its own (together with building the models, they made a
   * task over 50 ms on a first visit).
   */
  async warmUp(): Promise<void> {
    try {
      for (const step of this.engine?.warmUpSteps(this.features()) ?? []) {
        await nextTask()
        if (!this.engine) return // disposed
        step()
      }
    } catch (error) {
      this._onError(error)
    }
  }

  /** Restores stored model state from the profile (after both the profile and the chunk loaded). */
  restore(): void {
    if (!this.engine) return
    this.engine.load(Object.values(this._profile.data.models))
    this.save()
    this._restoreAll()
  }

  /** Bandit states the page has not used yet are parsed in idle time (see `ModelEngine.restoreAll`). */
  private _restoreAll(): void {
    whenIdle(() => {
      const engine = this.engine
      if (this._disposed || !engine) return
      try {
        if (engine.restoreAll()) this.save() // a bad state was reset: save the reset
      } catch (error) {
        this._onError(error)
      }
    })
  }

  /** The feature vector now, for this page's session (or another one, e.g. a session that ended). */
  features(sessionId = this._sessionId(), at = now(), pageEngagedMs = this._pageEngagedMs()): Float32Array {
    return featureVector({
      data: this._profile.data,
      sessionId,
      pageEngagedMs,
      now: at,
      utcOffsetMinutes: -new Date(at).getTimezoneOffset(),
      device: this._device,
      funnels: this._opts.funnels,
      dwellMs: this._profile.dwellMs,
    })
  }

  /** An outcome to learn from: a goal reached, a drop-off, a session that ended without a goal. */
  learn(head: 'convert' | 'dropOff', y: 0 | 1, x = this.features()): void {
    if (!this.engine) return
    this.engine.learn(head, x, y)
    this._schedule()
  }

  /** Saves the state of every model that changed into the profile (written with the next batch). */
  save(): void {
    if (!this.engine) return
    const t = now()
    for (const { key, state, base } of this.engine.takeChanged()) this._profile.recordModel({ key, state, base, updatedAt: t })
  }

  /** Adopts what storage holds now for models without unsaved changes (other tabs' learning). */
  adopt(records: readonly { key: string; state: unknown }[]): void {
    if (!this.engine) return
    try {
      this.engine.adopt(records)
    } catch (error) {
      this._onError(error)
    }
  }

  /** Forgets everything learned (after `erase()`): a fresh engine from the priors. */
  reset(): void {
    if (this._disposed) return
    this._cancel?.()
    this._cancel = undefined
    this.engine?.dispose()
    this.engine = undefined
    this.load()
  }

  dispose(): void {
    this._disposed = true
    this._cancel?.()
    this.engine?.dispose()
    this.engine = undefined
  }

  /**
   * The page hides (it may be closing): learns what is waiting now, in one slice per head, and
   * saves, so that the flush that follows writes the weights. What one slice cannot take (a storm
   * of outcomes) goes on training if the page stays. Never throws: the page's flush comes next,
   * and a fault here must not cost it its changes.
   */
  settle(): void {
    const engine = this.engine
    if (!engine || this._disposed || !engine.pending) return
    this._cancel?.()
    this._cancel = undefined
    this._trainSlice(engine)
    if (engine.pending) this._trainSlice(engine) // the other head
    try {
      this.save()
    } catch (error) {
      this._onError(error)
    }
    if (engine.pending) this._schedule()
  }

  private _trainSlice(engine: ModelEngine): void {
    try {
      engine.trainSlice(SLICE_MS)
    } catch (error) {
      this._onError(error)
    }
    this.onTrained()
  }

  /**
   * Trains after `wait` ms, in idle time; then saves in idle time. An outcome that comes while a
   * batch waits (see {@link BATCH_WAIT_MS}) extends the wait, up to {@link BATCH_MAX_WAIT_MS}
   * after the batch's first outcome: the waiting timer, when it fires, waits on for what came
   * since, so a stream of outcomes sets one timer per wait, not one each.
   */
  private _schedule(wait = BATCH_WAIT_MS): void {
    if (!this.engine) return
    if (this._batchStart !== undefined && wait > 0) {
      this._lastOutcome = now()
      return
    }
    if (this._cancel) return
    if (wait > 0) this._batchStart = this._lastOutcome = now()
    let cancelIdle: (() => void) | undefined
    let timer: TimerId
    const fire = (): void => {
      const start = this._batchStart
      const left = start === undefined ? 0 : Math.min(this._lastOutcome + BATCH_WAIT_MS, start + BATCH_MAX_WAIT_MS) - now()
      if (left > 0) {
        timer = setTimer(fire, left)
        return
      }
      this._batchStart = undefined
      cancelIdle = whenIdle(() => {
        this._cancel = undefined
        const engine = this.engine
        if (!engine) return
        this._trainSlice(engine)
        if (engine.pending) return this._schedule(0)
        // Serialising the weights is work of its own: a later idle callback, not this slice.
        this._cancel = whenIdle(() => {
          this._cancel = undefined
          this.save()
          if (this.engine?.pending) this._schedule()
        })
      })
    }
    timer = setTimer(fire, wait)
    this._cancel = () => {
      clearTimer(timer)
      cancelIdle?.()
      this._cancel = this._batchStart = undefined
    }
  }
}
