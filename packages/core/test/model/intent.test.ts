import { memory } from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { TacitArgumentError } from '../../src/errors'
import { ModelStateError } from '../../src/model/errors'
import { fitIntent } from '../../src/model/fit'
import { IntentModel, type IntentSample } from '../../src/model/intent'
import { alignIntentPrior, mergeIntentPriors, type IntentPrior } from '../../src/model/intentPrior'
import { createRandom } from '../../src/model/random'

const INPUTS = ['premiumDwell', 'rageClicks', 'scroll', 'noise1', 'noise2', 'noise3']

/** A person who converts exactly when they dwell on premium items (x0 > 0.5), whatever else. */
const planted = (n: number, seed: number): IntentSample[] => {
  const rng = createRandom(seed)
  return Array.from({ length: n }, () => {
    const x = Float32Array.from(INPUTS, () => rng.uniform())
    return { x, y: x[0] > 0.5 ? 1 : 0 }
  })
}

const accuracy = (model: IntentModel, samples: IntentSample[]) =>
  samples.filter((s) => (model.predict(s.x) >= 0.5 ? 1 : 0) === s.y).length / samples.length

const expectModelError = (fn: () => unknown, fault: 'invalid' | 'non-finite', message?: RegExp) => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ModelStateError)
    expect((error as ModelStateError).fault).toBe(fault)
    expect((error as ModelStateError).model).toBe('intent')
    if (message) expect((error as Error).message).toMatch(message)
    return
  }
  throw new Error('expected a ModelStateError')
}

describe('intent model', () => {
  it('starts neutral: the base rate for every input', () => {
    const model = IntentModel.neutral(INPUTS, { hidden: 4, baseRate: 0.2 })
    for (const s of planted(5, 1)) expect(model.predict(s.x)).toBeCloseTo(0.2, 5)
    model.dispose()
  })

  it.each([0, 4])('learns a planted separable preference within 400 one-row steps (hidden %i)', (hidden) => {
    // Centred inputs, as the training tool's priors have them (relu units on all-positive inputs die easily).
    const normalisation = { mean: INPUTS.map(() => 0.5), std: INPUTS.map(() => 0.29) }
    const model = IntentModel.neutral(INPUTS, { hidden, seed: 3, normalisation })
    const train = planted(400, 2)
    const test = planted(300, 99)
    expect(accuracy(model, test)).toBeLessThan(0.7)
    for (const s of train) model.trainStep(s.x, [s.y], { lr: 0.3, momentum: 0, l2: 0 })
    expect(accuracy(model, test)).toBeGreaterThan(0.9)
    // The learned direction, not just the accuracy: dwelling on premium raises the probability.
    const low = Float32Array.from([0.1, 0.5, 0.5, 0.5, 0.5, 0.5])
    const high = Float32Array.from([0.9, 0.5, 0.5, 0.5, 0.5, 0.5])
    expect(model.predict(high)).toBeGreaterThan(0.8)
    expect(model.predict(low)).toBeLessThan(0.2)
    model.dispose()
  })

  it('trainSlice consumes samples in batches until its time budget is spent, at least one step', () => {
    const model = IntentModel.neutral(INPUTS)
    let t = 0
    // A fake clock where every step costs 2 ms: a 10 ms budget allows 4 steps (after 8 ms, a 5th
    // step plus the margin of one more would reach 12).
    const clock = () => t
    const samples = planted(100, 4)
    const original = model.trainStep.bind(model)
    model.trainStep = (xs, ys, o) => {
      t += 2
      return original(xs, ys, o)
    }
    const r = model.trainSlice(samples, 10, { batchSize: 8, clock })
    expect(r).toEqual({ used: 32, steps: 4, elapsedMs: 8 })
    // A budget smaller than one step still makes one step, so learning always progresses.
    expect(model.trainSlice(samples, 1, { batchSize: 8, clock }).steps).toBe(1)
    // The tail shorter than a batch.
    expect(model.trainSlice(samples.slice(0, 5), 10, { batchSize: 8, clock })).toMatchObject({ used: 5, steps: 1 })
    model.dispose()
  })

  it('with a real clock, a slice stays within its budget plus one step', () => {
    const model = IntentModel.neutral(INPUTS, { hidden: 8 })
    const samples = planted(5000, 5)
    model.trainSlice(samples.slice(0, 64), 10) // warm up the JIT
    const r = model.trainSlice(samples, 10)
    expect(r.used).toBeLessThan(samples.length)
    expect(r.steps).toBeGreaterThan(0)
    expect(r.elapsedMs).toBeLessThan(50)
    model.dispose()
  })

  it('leaks no tensor across 1,000 predictions, training steps and slices', () => {
    const model = IntentModel.neutral(INPUTS, { hidden: 4, normalisation: { mean: INPUTS.map(() => 0.5), std: INPUTS.map(() => 0.3) } })
    const samples = planted(16, 6)
    model.predict(samples[0].x)
    // Until the first step, each layer's weights are its anchor; the step gives them their own.
    const fresh = memory().numTensors
    model.trainStep(samples[0].x, [samples[0].y])
    const before = memory().numTensors
    expect(before).toBe(fresh + 2)
    for (let i = 0; i < 1000; i++) model.predict(samples[i % 16].x)
    expect(memory().numTensors).toBe(before)
    for (let i = 0; i < 100; i++) model.trainStep(samples[i % 16].x, [samples[i % 16].y])
    model.trainSlice(samples, 10)
    model.predictBatch(new Float32Array(16 * INPUTS.length), 16)
    model.toJSON()
    model.anchorHere()
    expect(memory().numTensors).toBe(before)
    model.dispose()
    // Five tensors per layer: weights, bias, their momenta, and the anchor.
    expect(memory().numTensors).toBe(before - 10)
  })

  it('round-trips through toJSON / JSON text / fromJSON with identical predictions and training', () => {
    const model = IntentModel.neutral(INPUTS, { hidden: 4, seed: 9, normalisation: { mean: INPUTS.map(() => 0.5), std: INPUTS.map((_, i) => 0.29 + i / 7) }, output: 'convert' })
    for (const s of planted(200, 7)) model.trainStep(s.x, [s.y], { lr: 0.2 })
    const prior = model.toJSON()
    expect(prior).toMatchObject({ version: 1, inputs: INPUTS, output: 'convert' })
    expect(prior.layers.map((l) => [l.weights.length, l.bias.length, l.activation])).toEqual([
      [6, 4, 'relu'],
      [4, 1, 'sigmoid'],
    ])
    const copy = IntentModel.fromJSON(JSON.parse(JSON.stringify(prior)))
    for (const s of planted(20, 8)) expect(copy.predict(s.x)).toBeCloseTo(model.predict(s.x), 6)
    expect(copy.toJSON()).toEqual(prior)
    model.dispose()
    copy.dispose()
  })

  it('rejects non-finite weights in a prior as non-finite, and bad shapes as invalid, naming the field', () => {
    const good = () => IntentModel.neutral(['a', 'b'], { hidden: 2 }).toJSON()
    const nan = good()
    nan.layers[0].weights[1][0] = NaN
    expectModelError(() => IntentModel.fromJSON(nan), 'non-finite', /layers\[0\]\.weights\[1\]: must be an array of finite numbers/)
    const inf = good()
    inf.layers[1].bias[0] = Infinity
    expectModelError(() => IntentModel.fromJSON(inf), 'non-finite')
    const badStd = good()
    badStd.normalisation = { mean: [0, 0], std: [1, 0] }
    expectModelError(() => IntentModel.fromJSON(badStd), 'invalid', /std/)
    const rows = good()
    rows.layers[0].weights.pop()
    expectModelError(() => IntentModel.fromJSON(rows), 'invalid', /1 rows, expected 2/)
    const last = good()
    last.layers[1].activation = 'relu'
    expectModelError(() => IntentModel.fromJSON(last), 'invalid', /sigmoid/)
    expectModelError(() => IntentModel.fromJSON({ ...good(), version: 2 }), 'invalid', /version/)
    expectModelError(() => IntentModel.fromJSON({ ...good(), inputs: ['a', 'a'] }), 'invalid', /duplicate/)
    expectModelError(() => IntentModel.fromJSON('weights'), 'invalid')
  })

  it('reports weights that blow up while learning as non-finite, so the caller can reset to the prior', () => {
    const model = IntentModel.neutral(['a'])
    const huge = [{ x: new Float32Array([1e30]), y: 1 }]
    expectModelError(() => model.trainSlice(huge, 10, { lr: 1e30 }), 'non-finite')
    model.dispose()
  })

  it('restored with the site prior as anchor, fine-tuned weights keep being pulled towards that prior', () => {
    const prior = IntentModel.neutral(['a']).toJSON()
    const tuned = { ...prior, layers: [{ ...prior.layers[0], weights: [[2]] }] }
    const anchored = IntentModel.fromJSON(tuned, prior)
    const plain = IntentModel.fromJSON(tuned)
    // With x = 0 the data says nothing about the weight: only the L2 pull moves it.
    for (let i = 0; i < 200; i++) {
      for (const m of [anchored, plain]) m.trainStep(new Float32Array([0]), [1], { lr: 0.1, momentum: 0, l2: 1 })
    }
    expect(anchored.toJSON().layers[0].weights[0][0]).toBeCloseTo(0, 3)
    expect(plain.toJSON().layers[0].weights[0][0]).toBeCloseTo(2, 6)
    expect(() => IntentModel.fromJSON(tuned, IntentModel.neutral(['a'], { hidden: 2 }).toJSON())).toThrow(/anchor prior has a different shape/)
    ;[anchored, plain].forEach((m) => m.dispose())
  })

  it('checks input lengths, finite features and labels', () => {
    const model = IntentModel.neutral(['a', 'b'])
    expect(() => model.predict(new Float32Array(3))).toThrow(TacitArgumentError)
    expect(() => model.trainStep(new Float32Array(3), [1])).toThrow(/2 features/)
    expect(() => model.predict(new Float32Array([1, NaN]))).toThrow(/feature b is NaN/)
    expect(() => model.trainStep(new Float32Array([1, Infinity]), [1])).toThrow(TacitArgumentError)
    expect(() => model.trainStep(new Float32Array([1, 1]), [2])).toThrow(/labels/)
    expect(() => IntentModel.neutral(['a'], { baseRate: 1 })).toThrow(TacitArgumentError)
    model.dispose()
  })

  it('fit trains a model from scratch (the path of the training tool)', () => {
    const samples = planted(600, 10)
    const xs = new Float32Array(samples.length * INPUTS.length)
    samples.forEach((s, i) => xs.set(s.x, i * INPUTS.length))
    const model = IntentModel.neutral(INPUTS, { hidden: 4 })
    const epochs: number[] = []
    fitIntent(
      model,
      xs,
      samples.map((s) => s.y),
      { epochs: 15, lr: 0.1, rng: createRandom(1), onEpoch: (e) => epochs.push(e) },
    )
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
    expect(accuracy(model, planted(300, 11))).toBeGreaterThan(0.9)
    model.dispose()
  })

  it('fine-tuning is pulled towards the prior: with a strong L2, a few outcomes barely move it', () => {
    const prior = IntentModel.neutral(['a'], { baseRate: 0.5 })
    prior.trainStep(new Float32Array([1]), [1], { lr: 5, momentum: 0, l2: 0 })
    const start = prior.predict(new Float32Array([1]))
    const json = prior.toJSON()
    const anchored = IntentModel.fromJSON(json)
    const free = IntentModel.fromJSON(json)
    for (let i = 0; i < 50; i++) {
      anchored.trainStep(new Float32Array([1]), [0], { lr: 0.05, momentum: 0, l2: 10 })
      free.trainStep(new Float32Array([1]), [0], { lr: 0.05, momentum: 0, l2: 0 })
    }
    const x = new Float32Array([1])
    expect(Math.abs(anchored.predict(x) - start)).toBeLessThan(Math.abs(free.predict(x) - start) / 2)
    ;[prior, anchored, free].forEach((m) => m.dispose())
  })
})

describe('intent priors', () => {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
  const logit = (p: number) => Math.log(p / (1 - p))

  it('align onto the runtime inputs: known inputs keep their weights, new ones start with none', () => {
    const model = IntentModel.neutral(['a', 'b'], { hidden: 3, seed: 2, normalisation: { mean: [1, 2], std: [2, 4] } })
    for (let i = 0; i < 50; i++) model.trainStep(new Float32Array([i % 3, i % 5]), [i % 2], { lr: 0.1 })
    const aligned = IntentModel.fromJSON(alignIntentPrior(model.toJSON(), ['b', 'new', 'a']))
    expect(aligned.inputs).toEqual(['b', 'new', 'a'])
    for (const [a, b] of [[0, 0], [2, 1], [1, 4]]) {
      const expected = model.predict(new Float32Array([a, b]))
      expect(aligned.predict(new Float32Array([b, 123, a]))).toBeCloseTo(expected, 6)
    }
    // An input the runtime lacks is dropped: as if it sat at its training mean.
    const dropped = IntentModel.fromJSON(alignIntentPrior(model.toJSON(), ['a']))
    expect(dropped.predict(new Float32Array([2]))).toBeCloseTo(model.predict(new Float32Array([2, 2])), 6)
    ;[model, aligned, dropped].forEach((m) => m.dispose())
  })

  it('merge several networks into one whose logit is the mean of theirs', () => {
    const members = [1, 2, 3].map((seed) => {
      const m = IntentModel.neutral(['a', 'b'], { hidden: 2, seed })
      for (let i = 0; i < 30; i++) m.trainStep(new Float32Array([i % 2, (i * seed) % 3]), [i % 2], { lr: 0.05 })
      return m
    })
    const merged = IntentModel.fromJSON(mergeIntentPriors(members.map((m) => m.toJSON())))
    expect(merged.toJSON().layers[0].bias).toHaveLength(6)
    for (const x of [new Float32Array([0, 1]), new Float32Array([1, 2])]) {
      const mean = members.reduce((s, m) => s + logit(m.predict(x)), 0) / 3
      expect(merged.predict(x)).toBeCloseTo(sigmoid(mean), 4)
    }
    const logistic: IntentPrior[] = [0.2, 0.6].map((w) => ({ version: 1, inputs: ['a'], layers: [{ weights: [[w]], bias: [w], activation: 'sigmoid' }] }))
    expect(mergeIntentPriors(logistic).layers[0]).toEqual({ weights: [[0.4]], bias: [0.4], activation: 'sigmoid' })
    expect(() => mergeIntentPriors([members[0].toJSON(), logistic[0]])).toThrow(ModelStateError)
    ;[...members, merged].forEach((m) => m.dispose())
  })
})
