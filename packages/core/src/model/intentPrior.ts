import { array, custom, describeInvalid, type Infer, number, object, oneOf, optional, record, safeParse, string } from '../schema'
import { ModelStateError, hasNonFinite } from './errors'
import { finiteArray } from './finiteArray'

/**
 * The "prior" format of the intent model: plain JSON that the training tool writes
 * (`scripts/train-intent.ts --out prior.json`), a site passes to `createTacit`, and Tacit stores
 * after fine-tuning. Everything is validated on the way in; nothing in it is executable.
 */

/** A value of `meta`: a string, a finite number or a boolean. */
const isMetaValue = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

/**
 * The schema of {@link IntentPrior}, without the shape checks of {@link parseIntentPrior}.
 * Built at first use, not when the script loads: in the script tag, module-level schemas are part
 * of its first task.
 */
const priorSchema = () => {
  /** One dense layer: `out = activation(in · weights + bias)`. */
  const layer = object({
    /** `[inputs][units]`, row i holds the weights of input i. */
    weights: array(finiteArray(), 1),
    bias: finiteArray(1),
    /** Hidden layers use `relu`; the last layer is a single `sigmoid` unit. */
    activation: oneOf(['relu', 'sigmoid']),
  })
  /** Applied before the first layer: `x' = (x - mean) / std`, per input. */
  const normalisation = object({
    mean: finiteArray(),
    std: array(number((n) => n > 0, 'must be a number above 0')),
  })
  return object({
    version: oneOf([1]),
    /** Feature names, one per input, in vector order. */
    inputs: array(string(1, 200), 1, 4096),
    layers: array(layer, 1, 4),
    normalisation: optional(normalisation),
    /** What the model predicts, for example `convert` or `dropOff` (informative). */
    output: optional(string(0, 200)),
    /** Free-form provenance written by the training tool (data file, rows, metrics). */
    meta: optional(record(custom<string | number | boolean>(isMetaValue, 'must be a string, a finite number or true or false'))),
  })
}
let built: ReturnType<typeof priorSchema> | undefined

/** A validated intent-model prior. */
export type IntentPrior = Infer<ReturnType<typeof priorSchema>>
/** One dense layer of an {@link IntentPrior}. */
export type IntentLayer = IntentPrior['layers'][number]
/** The input normalisation of an {@link IntentPrior}. */
export type IntentNormalisation = NonNullable<IntentPrior['normalisation']>

/**
 * Validates `value` as an {@link IntentPrior}: the schema, then that every layer's shape chains
 * from the inputs to one sigmoid output. Throws {@link ModelStateError} naming the bad field;
 * non-finite numbers give fault `non-finite`, anything else `invalid`.
 */
export const parseIntentPrior = (value: unknown): IntentPrior => {
  const result = safeParse((built ??= priorSchema()), value)
  if (!result.success) {
    const message = describeInvalid(result.error)
    const fault = hasNonFinite(value) ? 'non-finite' : 'invalid'
    throw new ModelStateError('intent', fault, `Intent prior rejected: ${message}`)
  }
  const prior = result.data
  const fail = (message: string): never => {
    throw new ModelStateError('intent', 'invalid', `Intent prior rejected: ${message}`)
  }
  let width = prior.inputs.length
  prior.layers.forEach((layer, i) => {
    const last = i === prior.layers.length - 1
    if (layer.weights.length !== width) fail(`layers[${i}].weights has ${layer.weights.length} rows, expected ${width}`)
    const units = layer.bias.length
    layer.weights.forEach((row, r) => {
      if (row.length !== units) fail(`layers[${i}].weights[${r}] has ${row.length} columns, expected ${units} (bias length)`)
    })
    if (last && (units !== 1 || layer.activation !== 'sigmoid')) fail(`the last layer must be one sigmoid unit`)
    if (!last && layer.activation !== 'relu') fail(`layers[${i}] is hidden and must use relu`)
    width = units
  })
  const norm = prior.normalisation
  if (norm && (norm.mean.length !== prior.inputs.length || norm.std.length !== prior.inputs.length)) {
    fail(`normalisation.mean and .std need ${prior.inputs.length} entries, one per input`)
  }
  if (new Set(prior.inputs).size !== prior.inputs.length) fail('inputs has duplicate names')
  return prior
}

/**
 * Re-maps a prior onto another list of input names (the runtime feature vector): inputs the prior
 * knows keep their weights, new inputs get zero weights (they start with no influence), and
 * inputs the runtime lacks are dropped, which is the same as feeding them their training mean.
 */
export const alignIntentPrior = (prior: IntentPrior, inputs: readonly string[]): IntentPrior => {
  const index = new Map(prior.inputs.map((n, i) => [n, i]))
  const [first, ...rest] = prior.layers
  const units = first.bias.length
  const norm = prior.normalisation
  return {
    ...prior,
    inputs: [...inputs],
    layers: [
      {
        ...first,
        weights: inputs.map((n) => {
          const i = index.get(n)
          return i === undefined ? new Array<number>(units).fill(0) : [...first.weights[i]]
        }),
      },
      ...rest,
    ],
    normalisation: norm && {
      mean: inputs.map((n) => (index.has(n) ? norm.mean[index.get(n)!] : 0)),
      std: inputs.map((n) => (index.has(n) ? norm.std[index.get(n)!] : 1)),
    },
  }
}

/**
 * Merges priors that share inputs and normalisation into ONE network whose output logit is the
 * mean of theirs (hidden layers side by side, output weights divided by their number). An
 * ensemble trained from several seeds thus ships, loads and fine-tunes as a single model.
 */
export const mergeIntentPriors = (priors: readonly IntentPrior[]): IntentPrior => {
  const [first] = priors
  if (!first) throw new ModelStateError('intent', 'invalid', 'mergeIntentPriors needs at least one prior')
  const depth = first.layers.length
  if (depth > 2) throw new ModelStateError('intent', 'invalid', 'mergeIntentPriors merges networks of at most one hidden layer')
  for (const p of priors) {
    if (p.layers.length !== depth || p.inputs.join('\u0000') !== first.inputs.join('\u0000')) {
      throw new ModelStateError('intent', 'invalid', 'mergeIntentPriors needs priors with the same inputs and depth')
    }
    if (JSON.stringify(p.normalisation) !== JSON.stringify(first.normalisation)) {
      throw new ModelStateError('intent', 'invalid', 'mergeIntentPriors needs priors with the same normalisation')
    }
  }
  const k = priors.length
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / k
  const out = priors.map((p) => p.layers[depth - 1])
  const outputLayer: IntentLayer = {
    activation: 'sigmoid',
    bias: [mean(out.map((l) => l.bias[0]))],
    weights:
      depth === 1
        ? first.inputs.map((_, r) => [mean(out.map((l) => l.weights[r][0]))])
        : out.flatMap((l) => l.weights.map((row) => [row[0] / k])),
  }
  const layers: IntentLayer[] =
    depth === 1
      ? [outputLayer]
      : [
          {
            activation: 'relu',
            weights: first.inputs.map((_, r) => priors.flatMap((p) => p.layers[0].weights[r])),
            bias: priors.flatMap((p) => p.layers[0].bias),
          },
          outputLayer,
        ]
  return { ...first, layers }
}
