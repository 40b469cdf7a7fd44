// Trains Tacit's intent model from a CSV and evaluates it, with the same model code as the
// browser (packages/core/src/model/intent.ts). Run with:
//
//   node --import ./scripts/ts-register.mjs scripts/train-intent.ts --data FILE --label Revenue [options]
//
// See `--help` for the options. Figures go to stdout, the progress bar to stderr.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { fitIntent } from '../packages/core/src/model/fit'
import { IntentModel } from '../packages/core/src/model/intent'
import { mergeIntentPriors } from '../packages/core/src/model/intentPrior'
import { createRandom } from '../packages/core/src/model/random'
import { parseCsv, type Table } from './lib/csv'
import { encodeLabels, fitEncoder, parseFeatureList, inferType, type ColumnSpec, type Encoder } from './lib/encode'
import { stratifiedFolds } from './lib/folds'
import { evaluate, meanStd, rocAuc, type Metrics } from './lib/metrics'
import { createProgress, type Progress } from './lib/progress'

const HELP = `Usage: node --import ./scripts/ts-register.mjs scripts/train-intent.ts [options]

Data
  --data FILE            CSV to train on (and to cross-validate, with --eval kfold)
  --train FILE --test FILE   train on one file, evaluate on the other
  --label COLUMN         the outcome column (true/1/yes = 1, or see --positive)
  --positive VALUE       the label value that counts as 1
  --features LIST        columns with optional types: a,b:log1p,c:categorical,d:boolean
                         (default: every column but the label, types inferred)
  --exclude LIST         columns to leave out (e.g. PageValues)
  --config FILE          JSON with any of these options ({"label": ..., "features": [...], ...});
                         features there: ["a", "b:log1p"] or [{"column": "b", "type": "log1p"}]

Model and training
  --hidden N             relu units in the hidden layer, 0 for logistic regression (default 4)
  --epochs N             passes over the training rows (default 30)
  --lr X                 learning rate, SGD with momentum, cosine decay (default 0.05)
  --momentum X           (default 0.9)
  --l2 X                 weight decay (default 1e-3)
  --batch N              batch size (default 64)
  --ensemble N           train N models from different seeds and merge them into one network
                         whose logit is the mean of theirs (default 5)
  --seed N               seeds the folds, shuffling and initial weights (default 7)

Modes
  --eval kfold           stratified k-fold cross-validation; prints every metric per fold and the mean
  --folds N              (default 5)
  --stream               rows in file order: predict each, then learn from it; prequential ROC-AUC
  --stream-lr X          learning rate of the streaming run (default 0.01)
  --out FILE             train on all of --data (or --train) and write the prior JSON

Metrics: ROC-AUC (ties count one half), PR-AUC (average precision), F1 and accuracy at the 0.5
threshold, best F1 over thresholds (optimistic: chosen on the test fold), Brier score.
`

interface Settings {
  data?: string
  train?: string
  test?: string
  label?: string
  positive?: string
  features?: string | (string | ColumnSpec)[]
  exclude?: string
  hidden: number
  epochs: number
  lr: number
  momentum: number
  l2: number
  batch: number
  ensemble: number
  seed: number
  eval?: string
  folds: number
  stream: boolean
  streamLr: number
  out?: string
}

const readSettings = (): Settings => {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      train: { type: 'string' },
      test: { type: 'string' },
      label: { type: 'string' },
      positive: { type: 'string' },
      features: { type: 'string' },
      exclude: { type: 'string' },
      config: { type: 'string' },
      hidden: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      momentum: { type: 'string' },
      l2: { type: 'string' },
      batch: { type: 'string' },
      ensemble: { type: 'string' },
      seed: { type: 'string' },
      eval: { type: 'string' },
      folds: { type: 'string' },
      stream: { type: 'boolean' },
      'stream-lr': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    process.exit(0)
  }
  const config = values.config ? (JSON.parse(readFileSync(values.config, 'utf8')) as Record<string, unknown>) : {}
  const pick = (key: string, cli: string | undefined): unknown => cli ?? config[key]
  const num = (key: string, cli: string | undefined, def: number): number => {
    const v = pick(key, cli)
    if (v === undefined) return def
    const n = Number(v)
    if (!Number.isFinite(n)) throw new Error(`--${key} must be a number, got ${String(v)}`)
    return n
  }
  const str = (key: string, cli: string | undefined) => pick(key, cli) as string | undefined
  return {
    data: str('data', values.data),
    train: str('train', values.train),
    test: str('test', values.test),
    label: str('label', values.label),
    positive: str('positive', values.positive),
    features: (values.features ?? config.features) as Settings['features'],
    exclude: str('exclude', values.exclude),
    hidden: num('hidden', values.hidden, 4),
    epochs: num('epochs', values.epochs, 30),
    lr: num('lr', values.lr, 0.05),
    momentum: num('momentum', values.momentum, 0.9),
    l2: num('l2', values.l2, 1e-3),
    batch: num('batch', values.batch, 64),
    ensemble: num('ensemble', values.ensemble, 5),
    seed: num('seed', values.seed, 7),
    eval: str('eval', values.eval),
    folds: num('folds', values.folds, 5),
    stream: Boolean(values.stream ?? config.stream),
    streamLr: num('stream-lr', values['stream-lr'], 0.01),
    out: str('out', values.out),
  }
}

const resolveSpecs = (s: Settings, table: Table): ColumnSpec[] => {
  const excluded = new Set((s.exclude ?? '').split(',').map((c) => c.trim()).filter(Boolean))
  let specs: ColumnSpec[]
  if (s.features === undefined) {
    specs = table.header.filter((c) => c !== s.label).map((column) => ({ column, type: inferType(table, column) }))
  } else if (typeof s.features === 'string') {
    specs = parseFeatureList(s.features, table)
  } else {
    specs = s.features.flatMap((f) => (typeof f === 'string' ? parseFeatureList(f, table) : [f]))
  }
  return specs.filter((spec) => !excluded.has(spec.column) && spec.column !== s.label)
}

/**
 * Trains `count` models from different seeds on `rows` and merges them into one network whose
 * logit is the mean of theirs (see mergeIntentPriors); returns it with the fitted encoder.
 */
const trainModels = (s: Settings, table: Table, specs: ColumnSpec[], rows: number[], count: number, progress?: Progress, note = '') => {
  const encoder = fitEncoder(table, specs, rows)
  const x = encoder.encode(table, rows)
  const y = encodeLabels(table, s.label!, rows, s.positive)
  const models: IntentModel[] = []
  for (let e = 0; e < count; e++) {
    const model = IntentModel.neutral(encoder.names, {
      hidden: s.hidden,
      baseRate: Math.min(0.99, Math.max(0.01, y.reduce((a, b) => a + b, 0) / y.length)),
      seed: s.seed * 1000 + e,
      normalisation: { mean: encoder.mean, std: encoder.std },
      output: s.label,
    })
    fitIntent(model, x, y, {
      epochs: s.epochs,
      batchSize: s.batch,
      lr: s.lr,
      momentum: s.momentum,
      l2: s.l2,
      rng: createRandom(s.seed * 7919 + e),
      schedule: (epoch, epochs) => 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs)),
      onEpoch: () => progress?.tick(1, note),
    })
    models.push(model)
  }
  if (models.length === 1) return { encoder, model: models[0] }
  const merged = IntentModel.fromJSON(mergeIntentPriors(models.map((m) => m.toJSON())))
  models.forEach((m) => m.dispose())
  return { encoder, model: merged }
}

const predictRows = (model: IntentModel, encoder: Encoder, table: Table, rows: number[]): Float32Array =>
  model.predictBatch(encoder.encode(table, rows), rows.length)

const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(4))
const COLUMNS = ['ROC-AUC', 'PR-AUC', 'F1@0.5', 'bestF1', 'acc@0.5', 'Brier']
const KEYS = ['rocAuc', 'prAuc', 'f1', 'bestF1', 'accuracy', 'brier'] as const
const row = (name: string, n: string, pos: string, cells: string[]) =>
  `${name.padEnd(6)}${n.padStart(6)}${pos.padStart(6)}${cells.map((c) => c.padStart(9)).join('')}`
const HEAD = row('', 'n', 'pos', COLUMNS)
const line = (name: string, m: Metrics) => row(name, String(m.n), String(m.positives), KEYS.map((k) => fmt(m[k])))

const describe = (s: Settings, specs: ColumnSpec[], d: number) =>
  `model: ${s.hidden > 0 ? `one hidden layer of ${s.hidden} relu units` : 'logistic regression'}, ${d} inputs from ${specs.length} columns; ` +
  `SGD momentum ${s.momentum}, lr ${s.lr} cosine, l2 ${s.l2}, batch ${s.batch}, ${s.epochs} epochs${s.ensemble > 1 ? `, ensemble of ${s.ensemble}` : ''}`

const runKfold = (s: Settings, table: Table, specs: ColumnSpec[]) => {
  const all = table.rows.map((_, i) => i)
  const labels = encodeLabels(table, s.label!, all, s.positive)
  const folds = stratifiedFolds(labels, s.folds, createRandom(s.seed))
  const progress = createProgress({ total: s.folds * s.epochs * s.ensemble, label: 'cross-validating' })
  const results: Metrics[] = []
  let d = 0
  for (let f = 0; f < folds.length; f++) {
    const test = folds[f]
    const inTest = new Set(test)
    const train = all.filter((r) => !inTest.has(r))
    const { encoder, model } = trainModels(s, table, specs, train, s.ensemble, progress, `fold ${f + 1}/${s.folds}`)
    d = encoder.names.length
    results.push(evaluate(predictRows(model, encoder, table, test), encodeLabels(table, s.label!, test, s.positive)))
    model.dispose()
  }
  progress.done()
  console.log(`${s.folds}-fold stratified cross-validation, seed ${s.seed}, ${table.rows.length} rows`)
  console.log(describe(s, specs, d))
  console.log(HEAD)
  results.forEach((m, i) => console.log(line(String(i + 1), m)))
  const stats = Object.fromEntries(KEYS.map((k) => [k, meanStd(results.map((r) => r[k]))]))
  console.log(row('mean', '', '', KEYS.map((k) => fmt(stats[k].mean))))
  console.log(row('std', '', '', KEYS.map((k) => fmt(stats[k].std))))
  return stats.rocAuc.mean
}

const runTrainTest = (s: Settings, train: Table, test: Table, specs: ColumnSpec[]) => {
  const progress = createProgress({ total: s.epochs * s.ensemble, label: 'training' })
  const { encoder, model } = trainModels(s, train, specs, train.rows.map((_, i) => i), s.ensemble, progress)
  progress.done()
  const rows = test.rows.map((_, i) => i)
  const m = evaluate(predictRows(model, encoder, test, rows), encodeLabels(test, s.label!, rows, s.positive))
  console.log(`trained on ${s.train} (${train.rows.length} rows), tested on ${s.test} (${test.rows.length} rows)`)
  console.log(describe(s, specs, encoder.names.length))
  console.log(HEAD)
  console.log(line('test', m))
  model.dispose()
}

/**
 * Prequential ("test then train") run in file order, one row at a time, as a device would learn:
 * the model starts neutral, predicts each row, then takes one SGD step on it. The encoder's
 * categories and standardisation come from the whole file: they stand for the fixed, documented
 * normalisation of the SDK's feature vector, not for anything learned from labels.
 */
const runStream = (s: Settings, table: Table, specs: ColumnSpec[]) => {
  const rows = table.rows.map((_, i) => i)
  const encoder = fitEncoder(table, specs, rows)
  const x = encoder.encode(table, rows)
  const y = encodeLabels(table, s.label!, rows, s.positive)
  const d = encoder.names.length
  const model = IntentModel.neutral(encoder.names, { hidden: 0, normalisation: { mean: encoder.mean, std: encoder.std } })
  const scores = new Float32Array(rows.length)
  const progress = createProgress({ total: rows.length, label: 'streaming' })
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i++) {
    const xi = x.subarray(i * d, i * d + d)
    scores[i] = model.predict(xi)
    model.trainStep(xi, [y[i]], { lr: s.streamLr, momentum: 0, l2: 1e-5 })
    progress.tick()
  }
  progress.done()
  const ms = performance.now() - t0
  const m = evaluate(scores, y)
  const half = Math.floor(rows.length / 2)
  console.log(`streaming (prequential) in file order, ${rows.length} rows, logistic, lr ${s.streamLr}, one step per row`)
  console.log(HEAD)
  console.log(line('all', m))
  console.log(`second half ROC-AUC ${fmt(rocAuc(scores.subarray(half), y.subarray(half)))}; ${(ms / rows.length).toFixed(3)} ms per predict + step`)
  model.dispose()
}

const main = () => {
  const s = readSettings()
  if (!s.label) throw new Error('--label is required (the outcome column), see --help')
  const load = (file: string) => parseCsv(readFileSync(file, 'utf8'))
  if (s.train && s.test) {
    const train = load(s.train)
    const specs = resolveSpecs(s, train)
    runTrainTest(s, train, load(s.test), specs)
    if (s.out) writePrior(s, train, specs)
    return
  }
  if (!s.data) throw new Error('--data FILE (or --train A --test B) is required, see --help')
  const table = load(s.data)
  const specs = resolveSpecs(s, table)
  let cvAuc: number | undefined
  if (s.eval === 'kfold') cvAuc = runKfold(s, table, specs)
  else if (s.eval !== undefined) throw new Error(`--eval must be kfold, got ${s.eval}`)
  if (s.stream) runStream(s, table, specs)
  if (s.out) writePrior(s, table, specs, cvAuc)
  if (!s.eval && !s.stream && !s.out) throw new Error('nothing to do: give --eval kfold, --stream or --out FILE')
}

const writePrior = (s: Settings, table: Table, specs: ColumnSpec[], cvAuc?: number) => {
  const progress = createProgress({ total: s.epochs * s.ensemble, label: 'training the prior' })
  const { model } = trainModels(s, table, specs, table.rows.map((_, i) => i), s.ensemble, progress)
  progress.done()
  const prior = model.toJSON()
  model.dispose()
  prior.meta = {
    trainedOn: (s.data ?? s.train ?? '').split('/').pop() ?? '',
    rows: table.rows.length,
    label: s.label!,
    ...(cvAuc !== undefined ? { cvRocAuc: Number(cvAuc.toFixed(4)) } : {}),
    ...Object.fromEntries(specs.filter((c) => c.type === 'log1p').map((c) => [`transform:${c.column}`, 'log1p'])),
  }
  IntentModel.fromJSON(prior).dispose() // the file must load back
  writeFileSync(s.out!, JSON.stringify(prior) + '\n')
  console.log(`wrote ${s.out}: ${prior.inputs.length} inputs, ${prior.layers.length} layer(s)`)
}

try {
  main()
} catch (error) {
  process.stderr.write(`train-intent: ${(error as Error).message}\n`)
  process.exit(1)
}
