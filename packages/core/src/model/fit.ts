import { TacitArgumentError } from '../errors'
import type { IntentModel, TrainOptions } from './intent'
import { createRandom, type Random } from './random'

/**
 * Full training of an intent model, for the Node tools (`scripts/train-intent.ts`) and workers.
 * Not a method of {@link IntentModel}: the page only fine-tunes (`trainSlice`), and a method
 * would ship in the script tag whether used or not.
 */

/** Settings for {@link fitIntent}. Default lr 0.05. */
export interface FitOptions extends TrainOptions {
  /** Default 20. */
  epochs?: number
  /** Default 64. */
  batchSize?: number
  /** Shuffles the rows each epoch. */
  rng?: Random
  /** Learning rate multiplier per epoch, e.g. cosine decay. Default constant. */
  schedule?: (epoch: number, epochs: number) => number
  onEpoch?: (epoch: number, epochs: number) => void
}

/**
 * Trains `model` on `n` rows (`xs` of length `n * model.dim`, labels `ys`), shuffled each epoch,
 * in mini-batches of SGD steps. Throws `ModelStateError` (`non-finite`) if the weights blow up.
 */
export const fitIntent = (model: IntentModel, xs: Float32Array, ys: ArrayLike<number>, options: FitOptions = {}): void => {
  const { epochs = 20, batchSize = 64, rng = createRandom(1), schedule, onEpoch, lr = 0.05 } = options
  const n = ys.length
  const d = model.dim
  if (xs.length !== n * d) throw new TacitArgumentError(`expected ${n} row(s) of ${d} features (${n * d} numbers), got ${xs.length}`)
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  const bx = new Float32Array(batchSize * d)
  const by = new Float32Array(batchSize)
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1))
      const t = order[i]
      order[i] = order[j]
      order[j] = t
    }
    const rate = lr * (schedule ? schedule(epoch, epochs) : 1)
    for (let s = 0; s < n; s += batchSize) {
      const m = Math.min(batchSize, n - s)
      for (let k = 0; k < m; k++) {
        const row = order[s + k]
        bx.set(xs.subarray(row * d, row * d + d), k * d)
        by[k] = ys[row]
      }
      model.trainStep(m === batchSize ? bx : bx.subarray(0, m * d), m === batchSize ? by : by.subarray(0, m), { ...options, lr: rate })
    }
    onEpoch?.(epoch + 1, epochs)
  }
  model.assertFinite()
}
