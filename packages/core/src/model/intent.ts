import {
  add,
  dispose,
  keep,
  matMul,
  mul,
  relu,
  sigmoid,
  step,
  sub,
  tensor1d,
  tensor2d,
  tidy,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
} from '@tensorflow/tfjs-core'
import { TacitArgumentError } from '../errors'
import { ModelStateError } from './errors'
import { parseIntentPrior, type IntentPrior } from './intentPrior'
import { createRandom } from './random'
import { setupTf } from './tf'

/**
 * The sums of the columns of a row-major matrix with `columns` columns: a layer's bias gradient
 * over a batch. Computed here rather than with tfjs's `sum(delta, 0)`, whose cpu kernel transposes
 * first and brings the Sum and Transpose kernels into the bundle (about 1 KB gzip); summed in the
 * same order and precision as that kernel (a double per column, stored as float32).
 */
const columnSums = (values: ArrayLike<number>, columns: number): Float32Array => {
  const out = new Float32Array(columns)
  for (let c = 0; c < columns; c++) {
    let s = 0
    for (let i = c; i < values.length; i += columns) s += values[i]
    out[c] = s
  }
  return out
}

/**
 * The intent model: a tiny feed-forward network in TF.js (logistic regression, or one small relu
 * hidden layer) that gives the probability of one outcome from one feature vector.
 *
 * One instance per output: the SDK keeps one for `convert` and one for `dropOff`. Separate
 * instances keep their priors, their fine-tuning data and their resets independent (a site may
 * have a trained prior for conversion and none for drop-off), at the cost of one extra
 * single-row forward pass per `predict()`.
 *
 * Gradients are written by hand (binary cross-entropy through sigmoid and relu) rather than taken
 * from tfjs's autodiff, so the model needs only the eight kernels of `KERNEL_CONFIGS`.
 */

/** A labelled example: the raw (un-normalised) feature vector and the outcome, 0 or 1. */
export interface IntentSample {
  x: Float32Array
  y: number
}

/** Learning settings for {@link IntentModel.trainStep} and friends. */
export interface TrainOptions {
  /** Step size. Default 0.01: small, for fine-tuning a prior on one person's outcomes. */
  lr?: number
  /** Momentum of SGD. Default 0.9. */
  momentum?: number
  /**
   * L2 pull of the weights towards their anchor (the prior's weights, or zero for a neutral
   * model), so a few outcomes nudge the prior rather than replace it. Default 1e-3.
   */
  l2?: number
}

/** Settings for {@link IntentModel.trainSlice}. */
export interface SliceOptions extends TrainOptions {
  /** Samples per step. Default 8. */
  batchSize?: number
  /** Milliseconds clock; default `performance.now` (or `Date.now` where missing). */
  clock?: () => number
}

/** What one {@link IntentModel.trainSlice} did. */
export interface SliceResult {
  /** Samples consumed from the front of the list; the caller drops them and calls again later. */
  used: number
  steps: number
  /** Wall time spent, ms. */
  elapsedMs: number
}

/** Settings for {@link IntentModel.neutral}. */
export interface NeutralOptions {
  /** Units of the relu hidden layer; 0 (default) for logistic regression. */
  hidden?: number
  /** Prediction before any learning. Default 0.5. */
  baseRate?: number
  /** Seeds the hidden layer's initial weights. */
  seed?: number
  /** Per-input normalisation; default none (the features module already normalises). */
  normalisation?: IntentPrior['normalisation']
  output?: string
}

/**
 * A layer's weights, biases and their momenta: plain tensors, replaced (the old ones disposed) at
 * each training step, not TF.js variables assigned in place, whose machinery the bundle then
 * leaves out (scripts/lib/tfSlim.mjs).
 */
interface Layer {
  w: Tensor2D
  b: Tensor1D
  vw: Tensor2D
  vb: Tensor1D
  /** The weights the L2 term pulls towards. */
  anchor: Tensor2D
  relu: boolean
}

const defaultClock = (): number =>
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? performance.now() : Date.now()

/** See the module comment. Create with {@link IntentModel.fromJSON} or {@link IntentModel.neutral}. */
export class IntentModel {
  /** Feature names, one per input, in vector order. */
  readonly inputs: readonly string[]
  readonly output: string | undefined
  private readonly _layers: Layer[]
  private readonly _norm: IntentPrior['normalisation']
  private readonly _mean: Float32Array | undefined
  private readonly _invStd: Float32Array | undefined
  private readonly _priorMeta: IntentPrior['meta']
  private _stepMs = 0

  private constructor(prior: IntentPrior, anchor?: IntentPrior) {
    setupTf()
    if (anchor) {
      const same = anchor.layers.length === prior.layers.length && anchor.layers.every((l, i) => l.weights.length === prior.layers[i].weights.length && l.bias.length === prior.layers[i].bias.length)
      if (!same) throw new ModelStateError('intent', 'invalid', 'The anchor prior has a different shape from the weights; give the prior these weights were fine-tuned from')
    }
    this.inputs = prior.inputs
    this.output = prior.output
    this._priorMeta = prior.meta
    const norm = prior.normalisation
    this._norm = norm
    this._mean = norm && Float32Array.from(norm.mean)
    this._invStd = norm && Float32Array.from(norm.std, (s) => 1 / s)
    this._layers = prior.layers.map((l, i) => {
      const rows = l.weights.length
      const cols = l.bias.length
      // Without an anchor prior, the first weights are the anchor too (the first step replaces `w`).
      const w = tensor2d(l.weights.flat(), [rows, cols])
      return {
        w,
        b: tensor1d(l.bias),
        vw: tensor2d(new Float32Array(rows * cols), [rows, cols]),
        vb: tensor1d(new Float32Array(cols)),
        anchor: anchor ? tensor2d(anchor.layers[i].weights.flat(), [rows, cols]) : w,
        relu: l.activation === 'relu',
      }
    })
  }

  /**
   * Builds a model from a prior (see {@link parseIntentPrior}); throws {@link ModelStateError}.
   * When restoring weights fine-tuned on this device, pass the site's prior as `anchor`, so that
   * the L2 term keeps pulling towards it rather than towards the stored weights.
   */
  static fromJSON(prior: unknown, anchor?: unknown): IntentModel {
    return new IntentModel(parseIntentPrior(prior), anchor === undefined ? undefined : parseIntentPrior(anchor))
  }

  /**
   * A model that knows nothing yet: it predicts `baseRate` for every input. With a hidden layer,
   * the hidden weights are small and random (so they can learn) and the output weights zero.
   */
  static neutral(inputs: readonly string[], options: NeutralOptions = {}): IntentModel {
    const { hidden = 0, baseRate = 0.5, seed = 1, normalisation, output } = options
    if (!(baseRate > 0 && baseRate < 1)) throw new TacitArgumentError(`baseRate must be between 0 and 1, got ${baseRate}`)
    const d = inputs.length
    const logit = Math.log(baseRate / (1 - baseRate))
    const rng = createRandom(seed)
    // He initialisation for relu units.
    const he = Math.sqrt(2 / Math.max(1, d))
    const layers: IntentPrior['layers'] =
      hidden > 0
        ? [
            {
              weights: Array.from({ length: d }, () => Array.from({ length: hidden }, () => rng.normal() * he)),
              bias: new Array<number>(hidden).fill(0),
              activation: 'relu',
            },
            { weights: Array.from({ length: hidden }, () => [0]), bias: [logit], activation: 'sigmoid' },
          ]
        : [{ weights: Array.from({ length: d }, () => [0]), bias: [logit], activation: 'sigmoid' }]
    return IntentModel.fromJSON({ version: 1, inputs: [...inputs], layers, normalisation, output })
  }

  /** Input dimension. */
  get dim(): number {
    return this.inputs.length
  }

  /** Probability of the outcome for one raw feature vector. Synchronous, no tensor outlives it. */
  predict(x: Float32Array): number {
    this._checkRows(x, 1)
    return tidy(() => this._forward(tensor2d(this._normalise(x, 1), [1, this.dim])).dataSync()[0])
  }

  /** Probabilities for `n` rows stored one after another in `xs` (length `n * dim`). */
  predictBatch(xs: Float32Array, n: number): Float32Array {
    this._checkRows(xs, n)
    return tidy(() => this._forward(tensor2d(this._normalise(xs, n), [n, this.dim])).dataSync() as Float32Array)
  }

  /**
   * One SGD step on a batch: `xs` holds `ys.length` raw rows one after another. Returns the mean
   * binary cross-entropy of the batch before the step.
   */
  trainStep(xs: Float32Array, ys: ArrayLike<number>, options: TrainOptions = {}): number {
    const n = ys.length
    this._checkRows(xs, n)
    for (let i = 0; i < n; i++) {
      if (!(ys[i] >= 0 && ys[i] <= 1)) throw new TacitArgumentError(`labels must be between 0 and 1, got ${ys[i]}`)
    }
    const { lr = 0.01, momentum = 0.9, l2 = 1e-3 } = options
    return tidy(() => {
      const input = tensor2d(this._normalise(xs, n), [n, this.dim])
      const y = tensor2d(Float32Array.from(ys), [n, 1])
      // Forward, keeping each layer's input and pre-activation for the backward pass.
      const ins: Tensor2D[] = []
      const pres: Tensor2D[] = []
      let a: Tensor2D = input
      for (const layer of this._layers) {
        ins.push(a)
        const z = add(matMul(a, layer.w), layer.b) as Tensor2D
        pres.push(z)
        a = layer.relu ? relu(z) : sigmoid(z)
      }
      const p = a.dataSync()
      const labels = y.dataSync()
      let loss = 0
      for (let i = 0; i < n; i++) {
        const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7)
        loss -= labels[i] * Math.log(q) + (1 - labels[i]) * Math.log(1 - q)
      }
      // d(mean BCE)/d(logit) = (p - y) / n for a sigmoid output.
      // Plain numbers, not scalar(): tfjs makes the same float32 scalar of each, and the scalar op
      // module stays out of the bundle.
      let delta: Tensor2D = mul(sub(a, y), 1 / n)
      for (let i = this._layers.length - 1; i >= 0; i--) {
        const layer = this._layers[i]
        const gw = add(matMul(ins[i], delta, true, false), mul(sub(layer.w, layer.anchor), l2))
        const gb = tensor1d(columnSums(delta.dataSync(), layer.b.shape[0]))
        // Propagate before this layer's weights change.
        if (i > 0) delta = mul(matMul(delta, layer.w, false, true), step(pres[i - 1]))
        const vw = keep(add(mul(layer.vw, momentum), gw) as Tensor2D)
        const vb = keep(add(mul(layer.vb, momentum), gb) as Tensor1D)
        const w = keep(sub(layer.w, mul(vw, lr)) as Tensor2D)
        const b = keep(sub(layer.b, mul(vb, lr)) as Tensor1D)
        // The old tensors are not read again in this step (the delta above used the old weights);
        // the anchor stays, which may be the first weights themselves.
        dispose([layer.w, layer.b, layer.vw, layer.vb].filter((t) => t !== layer.anchor))
        Object.assign(layer, { w, b, vw, vb })
      }
      return loss / n
    })
  }

  /**
   * Trains on the front of `samples` in mini-batches until `budgetMs` would be exceeded (the next
   * step is predicted from the slowest recent one, with a margin of one more), for idle-time
   * learning in slices of at most 10 ms. Always makes at least one step when there are samples. Checks the weights
   * afterwards and throws {@link ModelStateError} (`non-finite`) if learning blew them up; the
   * caller then resets to the prior.
   */
  trainSlice(samples: readonly IntentSample[], budgetMs: number, options: SliceOptions = {}): SliceResult {
    const { batchSize = 8, clock = defaultClock } = options
    const start = clock()
    let used = 0
    let steps = 0
    while (used < samples.length) {
      const before = clock()
      // Twice the step estimate: a margin for the garbage collector, which tfjs keeps busy.
      if (steps > 0 && before - start + 2 * this._stepMs > budgetMs) break
      const batch = samples.slice(used, used + batchSize)
      const xs = new Float32Array(batch.length * this.dim)
      batch.forEach((s, i) => {
        if (s.x.length !== this.dim) throw new TacitArgumentError(`sample has ${s.x.length} features, the model ${this.dim}`)
        xs.set(s.x, i * this.dim)
      })
      this.trainStep(
        xs,
        batch.map((s) => s.y),
        options,
      )
      const took = clock() - before
      // A decaying maximum: one slow step (GC, JIT) raises the estimate, which then relaxes.
      this._stepMs = Math.max(took, this._stepMs * 0.9)
      used += batch.length
      steps++
    }
    this.assertFinite()
    return { used, steps, elapsedMs: clock() - start }
  }

  /** Makes the current weights the anchor that the L2 term pulls towards (e.g. after `fitIntent`). */
  anchorHere(): void {
    for (const layer of this._layers) {
      if (layer.anchor !== layer.w) layer.anchor.dispose()
      layer.anchor = tidy(() => add(layer.w, 0) as Tensor2D)
    }
  }

  /** Throws {@link ModelStateError} (`non-finite`) if any weight is NaN or infinite. */
  assertFinite(): void {
    for (const layer of this._layers) {
      for (const t of [layer.w, layer.b]) {
        const values = t.dataSync()
        for (let i = 0; i < values.length; i++) {
          if (!Number.isFinite(values[i])) {
            throw new ModelStateError('intent', 'non-finite', 'Intent model weights became non-finite; reset it to its prior')
          }
        }
      }
    }
  }

  /** The weights as a plain {@link IntentPrior}, accepted by {@link IntentModel.fromJSON}. */
  toJSON(): IntentPrior {
    const layers = this._layers.map((layer) => {
      const [rows, cols] = layer.w.shape
      const w = layer.w.dataSync()
      return {
        weights: Array.from({ length: rows }, (_, r) => Array.from(w.subarray(r * cols, r * cols + cols))),
        bias: Array.from(layer.b.dataSync()),
        activation: layer.relu ? ('relu' as const) : ('sigmoid' as const),
      }
    })
    const prior: IntentPrior = { version: 1, inputs: [...this.inputs], layers }
    if (this._norm) prior.normalisation = { mean: [...this._norm.mean], std: [...this._norm.std] }
    if (this.output !== undefined) prior.output = this.output
    if (this._priorMeta !== undefined) prior.meta = { ...this._priorMeta }
    return prior
  }

  /** Frees the model's tensors. The model must not be used afterwards. */
  dispose(): void {
    for (const layer of this._layers) dispose([...new Set([layer.w, layer.b, layer.vw, layer.vb, layer.anchor])])
  }

  private _forward(input: Tensor2D): Tensor {
    let a: Tensor2D = input
    for (const layer of this._layers) {
      const z = add(matMul(a, layer.w), layer.b) as Tensor2D
      a = layer.relu ? relu(z) : sigmoid(z)
    }
    return a
  }

  private _normalise(xs: Float32Array, n: number): Float32Array {
    const mean = this._mean
    const inv = this._invStd
    if (!mean || !inv) return xs
    const d = this.dim
    const out = new Float32Array(n * d)
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < d; c++) out[r * d + c] = (xs[r * d + c] - mean[c]) * inv[c]
    }
    return out
  }

  /** Checks the length, and that every value is finite (a NaN would poison the weights). */
  private _checkRows(xs: Float32Array, rows: number): void {
    if (xs.length !== rows * this.dim) {
      throw new TacitArgumentError(`expected ${rows} row(s) of ${this.dim} features (${rows * this.dim} numbers), got ${xs.length}`)
    }
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i])) throw new TacitArgumentError(`feature ${this.inputs[i % this.dim]} is ${xs[i]}; features must be finite`)
    }
  }
}
