// The Mushroom contextual-bandit benchmark (Riquelme, Tucker & Snoek, "Deep Bayesian Bandits
// Showdown", ICLR 2018), run on Tacit's decision policy (packages/core/src/model/bandit.ts):
//
//   node --import ./scripts/ts-register.mjs scripts/bench/bandit-mushroom.ts [--rounds 2000] [--seeds 20]
//        [--first-seed 1] [--data ../shared/data/agaricus-lepiota.data] [--floor 0.02] [--epsilon 0.1] [--lambda 4 --a0 .. --b0 ..]
//
// Two arms: 0 = don't eat (reward 0), 1 = eat (edible +5; poisonous +5 or -35 with probability
// 1/2 each). Context: one-hot of the 22 attributes (117 dimensions). Rows drawn with replacement.
// Regret of a run = sum over rounds of (the optimal policy's expected reward - the reward
// received); the optimal policy eats exactly the edible mushrooms. Printed as a percentage of the
// uniform-random policy's regret over the same rounds (same rows, same poison draws).
// --first-seed 100 gives a held-out protocol (seeds 100..119) for checking a setting chosen on 1..20.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LinearThompsonBandit } from '../../packages/core/src/model/bandit'
import { createRandom, type Random } from '../../packages/core/src/model/random'
import { meanStd } from '../lib/metrics'
import { createProgress } from '../lib/progress'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: fileURLToPath(new URL('../../../shared/data/agaricus-lepiota.data', import.meta.url)) },
    rounds: { type: 'string', default: '2000' },
    seeds: { type: 'string', default: '20' },
    'first-seed': { type: 'string', default: '1' },
    epsilon: { type: 'string', default: '0.1' },
    floor: { type: 'string', default: '0.02' },
    // An extra Thompson run with these prior settings, e.g. --lambda 4
    lambda: { type: 'string' },
    a0: { type: 'string' },
    b0: { type: 'string' },
  },
})
const rounds = Number(values.rounds)
const seeds = Number(values.seeds)
const firstSeed = Number(values['first-seed'])
const epsilon = Number(values.epsilon)
const floor = Number(values.floor)
type Prior = { lambda?: number; a0?: number; b0?: number; optimistic?: boolean }
const custom: Prior | undefined =
  values.lambda || values.a0 || values.b0
    ? Object.fromEntries((['lambda', 'a0', 'b0'] as const).filter((k) => values[k]).map((k) => [k, Number(values[k])]))
    : undefined
const RIQUELME: Prior = { lambda: 0.25, a0: 6, b0: 6 }
const PLAIN: Prior = { optimistic: false }

/** One-hot contexts, as pandas.get_dummies does: one column per value seen, per attribute. */
const loadMushrooms = (file: string) => {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean)
  const rows = lines.map((l) => l.split(','))
  const attributes = rows[0].length - 1
  const values = Array.from({ length: attributes }, (_, a) => [...new Set(rows.map((r) => r[a + 1]))].sort())
  const offsets: number[] = []
  let dim = 0
  for (const v of values) {
    offsets.push(dim)
    dim += v.length
  }
  const contexts = rows.map((r) => {
    const x = new Float32Array(dim)
    for (let a = 0; a < attributes; a++) x[offsets[a] + values[a].indexOf(r[a + 1])] = 1
    return x
  })
  const edible = rows.map((r) => r[0] === 'e')
  return { contexts, edible, dim }
}

const { contexts, edible, dim } = loadMushrooms(values.data!)

interface Round {
  row: number
  /** The reward of eating this round (the poison coin is drawn once, shared by all policies). */
  eat: number
  optimal: number
}

const drawRounds = (rng: Random): Round[] =>
  Array.from({ length: rounds }, () => {
    const row = Math.floor(rng.uniform() * contexts.length)
    const poisonBad = rng.uniform() < 0.5
    return { row, eat: edible[row] ? 5 : poisonBad ? -35 : 5, optimal: edible[row] ? 5 : 0 }
  })

type Policy = (round: Round, rng: Random) => number

const run = (data: Round[], policy: Policy, rng: Random): number => {
  let regret = 0
  for (const round of data) {
    const arm = policy(round, rng)
    regret += round.optimal - (arm === 1 ? round.eat : 0)
  }
  return regret
}

const thompson = (minExplore: number, prior: Prior = {}): { policy: Policy; timing: () => number } => {
  const bandit = new LinearThompsonBandit({ dim, arms: 2, minExplore, ...prior })
  let ms = 0
  let calls = 0
  return {
    policy: (round, rng) => {
      const t = performance.now()
      const { arm } = bandit.choose(contexts[round.row], rng)
      bandit.update(arm, contexts[round.row], arm === 1 ? round.eat : 0)
      ms += performance.now() - t
      calls++
      return arm
    },
    timing: () => ms / calls,
  }
}

/** Epsilon-greedy on the same per-arm ridge regression (posterior means), no sampling. */
const epsilonGreedy = (): Policy => {
  const model = new LinearThompsonBandit({ dim, arms: 2 })
  return (round, rng) => {
    const x = contexts[round.row]
    const arm = rng.uniform() < epsilon ? (rng.uniform() < 0.5 ? 0 : 1) : model.expected(1, x) > model.expected(0, x) ? 1 : 0
    model.update(arm, x, arm === 1 ? round.eat : 0)
    return arm
  }
}

const uniform: Policy = (_, rng) => (rng.uniform() < 0.5 ? 0 : 1)

const fmtPrior = (p: Prior) => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ')
// `paired`: the same random stream as the first run, so the two differ only by the policy. The
// other runs keep the streams they had before the paired run was added.
const runs: { name: string; make: () => Policy; timed?: boolean; paired?: boolean }[] = [
  { name: 'Thompson, Tacit defaults (optimistic)', make: () => thompson(0).policy, timed: true },
  { name: 'Thompson, plain (optimistic false)', make: () => thompson(0, PLAIN).policy, paired: true },
  // Their LinFullPost is plain Thompson sampling.
  { name: `Thompson, plain, Riquelme et al. prior (${fmtPrior(RIQUELME)})`, make: () => thompson(0, { ...RIQUELME, ...PLAIN }).policy },
  ...(custom ? [{ name: `Thompson, ${fmtPrior(custom)}`, make: () => thompson(0, custom).policy }] : []),
  { name: `Thompson, Tacit defaults, floor ${floor} per arm`, make: () => thompson(floor).policy },
  { name: `epsilon-greedy (${epsilon}) on the same regression`, make: epsilonGreedy },
]
const percent: number[][] = runs.map(() => [])
const timings: number[] = []
const progress = createProgress({ total: seeds, label: 'mushroom' })
const started = performance.now()
for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  const data = drawRounds(createRandom(seed))
  const base = run(data, uniform, createRandom(1000 + seed))
  runs.forEach((r, i) => {
    if (r.timed) {
      const ts = thompson(0)
      percent[i].push((100 * run(data, ts.policy, createRandom(2000 + seed))) / base)
      timings.push(ts.timing())
    } else {
      const stream = r.paired ? 0 : i - runs.slice(0, i).filter((q) => q.paired).length
      percent[i].push((100 * run(data, r.make(), createRandom(2000 + 100 * stream + seed))) / base)
    }
  })
  progress.tick(1, `seed ${seed}`)
}
progress.done()

console.log(`Mushroom bandit: ${rounds} rounds, ${seeds} seeds from ${firstSeed}, context ${dim} one-hot dimensions, 2 arms`)
console.log('cumulative regret as % of the uniform policy\'s (mean +- std over seeds; lower is better)')
runs.forEach(({ name }, i) => {
  const { mean, std } = meanStd(percent[i])
  console.log(`  ${name.padEnd(66)} ${mean.toFixed(1).padStart(6)}%  +- ${std.toFixed(1).padStart(4)}   worst seed ${Math.max(...percent[i]).toFixed(1)}%`)
})
const ts = meanStd(percent[0]).mean
const eg = meanStd(percent[runs.length - 1]).mean
console.log(`Thompson (Tacit defaults) / epsilon-greedy regret: ${(ts / eg).toFixed(2)}`)
console.log(`choose + update, d=${dim}: ${(meanStd(timings).mean * 1000).toFixed(1)} us per round; total ${((performance.now() - started) / 1000).toFixed(1)} s`)
