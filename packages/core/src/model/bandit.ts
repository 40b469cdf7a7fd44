import { array, boolean, describeInvalid, type Infer, number, object, oneOf, optional, safeParse, whole } from '../schema'
import { TacitArgumentError } from '../errors'
import { ModelStateError, hasNonFinite } from './errors'
import { finiteArray } from './finiteArray'
import { studentT, type Random } from './random'

/**
 * The contextual bandit behind `decide`: Thompson sampling on a Bayesian linear regression per
 * arm with a normal-inverse-gamma posterior (Riquelme, Tucker & Snoek 2018, "LinFullPost"). For
 * arm k with contexts X (plus an intercept column) and rewards y:
 *
 *   precision  L = X'X + lambda I        mean  mu = L^-1 X'y
 *   a = a0 + n/2                         b = b0 + (y'y - mu' L mu) / 2
 *   sigma^2 ~ InvGamma(a, b),            beta ~ N(mu, sigma^2 L^-1)
 *
 * and the arm with the largest sampled x'beta is played. Only the score x'beta matters, and given
 * sigma^2 it is normal with mean x'mu and variance sigma^2 x'L^-1 x, so a draw costs one
 * triangular solve instead of a d-dimensional multivariate normal: the same policy, O(d^2).
 * With sigma^2 integrated out, the score is x'mu plus sqrt(b/a x'L^-1 x) times a Student-t
 * variate with 2a degrees of freedom, which is how it is drawn: one variate a draw, not a gamma
 * and a normal.
 * The Cholesky factor of L is kept up to date with rank-one updates, O(d^2) per reward, and
 * nothing is ever inverted. Plain Float64Array math: no TF.js, no allocation per draw.
 *
 * Optimistic sampling (the default, `optimistic`): a sampled score below the arm's posterior mean
 * score is replaced by the mean, so an arm is never played less because of an unlucky pessimistic
 * draw, while uncertainty still pushes upwards as in plain Thompson sampling ("optimistic Bayesian
 * sampling", May, Korda, Lee & Leslie 2012, JMLR 13, who prove it consistent). Measured with the
 * same prior: on the Mushroom benchmark (scripts/bench/bandit-mushroom.ts, 2,000 rounds, 20 seeds)
 * regret fell from 11.9% to 10.4% of the uniform policy's (held-out seeds 100-119: 13.2% to
 * 10.4%; both with lambda 1), and by 11-17% on simulated 0/1 conversions with 2-5 arms and 25
 * context dimensions.
 * Most of plain Thompson sampling's late regret there is a good arm drawn far below its mean.
 *
 * Exploration floor: with `minExplore` = f, each decision is uniform over the K arms with
 * probability K f and Thompson otherwise, so every arm keeps at least probability f.
 *
 * Reported probability: P(arm) = f + (1 - K f) P_TS(arm), where P_TS is estimated by Monte Carlo
 * over `samples` posterior draws (the first of which is the draw that chose the arm). With the
 * default 128 draws the standard error is at most 0.045 (at P_TS = 0.5).
 */

/** Settings of a {@link LinearThompsonBandit}. */
export interface BanditOptions {
  /** Context dimension d (the intercept is added internally). */
  dim: number
  /** Number of arms (variants). */
  arms: number
  /**
   * Prior precision of the weights (ridge). Default 4: on the Mushroom benchmark it lowers regret
   * from 10.4% to 7.8% of the uniform policy's (seeds 1-20, chosen among 0.5, 1, 2, 4) and from
   * 10.4% to 8.5% on held-out seeds 100-119; on simulated 0/1 conversions (3 arms, 24 features,
   * 30 seeds) regret is the same as with 1 (46.1 against 46.6). The defaults suit rewards of about
   * unit scale (0/1 conversions); Riquelme et al. used lambda 0.25, a0 = b0 = 6.
   */
  lambda?: number
  /** Inverse-gamma prior of the noise variance: shape. Default 2. */
  a0?: number
  /** Inverse-gamma prior of the noise variance: scale. Default 0.25 (prior mean variance 0.25, a 0/1 coin's largest). */
  b0?: number
  /** Minimum probability of every arm, at most 1 / arms. Default 0. */
  minExplore?: number
  /** Monte Carlo draws for the reported probability. Default 128. */
  samples?: number
  /**
   * Optimistic sampling: a sampled score never falls below the arm's posterior mean (see the
   * module comment). Default true; false gives plain Thompson sampling.
   */
  optimistic?: boolean
}

/** One decision. */
export interface BanditChoice {
  arm: number
  /** The probability with which this arm was chosen (see the module comment). */
  probability: number
  /** The estimated probability of every arm, summing to 1. */
  probabilities: Float64Array
}

const DEFAULTS = { lambda: 4, a0: 2, b0: 0.25, minExplore: 0, samples: 128, optimistic: true }

interface Arm {
  n: number
  /** X'X + lambda I, packed upper triangle, row by row. Kept for persistence. */
  precision: Float64Array
  /** Upper Cholesky factor R of the precision (R'R = L), dense D x D, row-major. */
  chol: Float64Array
  xty: Float64Array
  yty: number
  mu: Float64Array
}

/**
 * The bandit's persisted state (see {@link LinearThompsonBandit.toJSON}). Built at first use, not
 * when the script loads: in the script tag, module-level schemas are part of its first task.
 */
const stateSchema = () => {
  const atLeast0 = number((n) => n >= 0, 'must be 0 or more')
  const above0 = number((n) => n > 0, 'must be above 0')
  const ArmState = object({ n: atLeast0, precision: finiteArray(), xty: finiteArray(), yty: atLeast0 })
  return object({
    version: oneOf([1]),
    dim: whole(1, 1024),
    lambda: above0,
    a0: above0,
    b0: above0,
    minExplore: number((n) => n >= 0 && n <= 1, 'must be between 0 and 1'),
    samples: whole(1, 100_000),
    /** Absent in states saved before the option existed: the current default applies. */
    optimistic: optional(boolean),
    arms: array(ArmState, 1),
  })
}
let builtState: ReturnType<typeof stateSchema> | undefined
export type BanditState = Infer<ReturnType<typeof stateSchema>>

/** See the module comment. */
export class LinearThompsonBandit {
  /** Context dimension, without the intercept. */
  readonly dim: number
  readonly lambda: number
  readonly a0: number
  readonly b0: number
  readonly samples: number
  readonly optimistic: boolean
  private _minExplore: number
  private readonly _arms: Arm[] = []
  // Scratch buffers, reused by every call.
  private readonly _x: Float64Array
  private readonly _u: Float64Array
  private _m = new Float64Array(0)
  private _scale = new Float64Array(0)
  private _dof = new Float64Array(0)

  constructor(options: BanditOptions) {
    const o = { ...DEFAULTS, ...options }
    if (!(Number.isInteger(o.dim) && o.dim >= 1)) throw new TacitArgumentError(`dim must be a whole number of at least 1, got ${o.dim}`)
    if (!(Number.isInteger(o.arms) && o.arms >= 1)) throw new TacitArgumentError(`arms must be a whole number of at least 1, got ${o.arms}`)
    for (const key of ['lambda', 'a0', 'b0'] as const) {
      if (!(o[key] > 0 && Number.isFinite(o[key]))) throw new TacitArgumentError(`${key} must be a positive number, got ${o[key]}`)
    }
    if (!(Number.isInteger(o.samples) && o.samples >= 1)) throw new TacitArgumentError(`samples must be a whole number of at least 1, got ${o.samples}`)
    this.dim = o.dim
    this.lambda = o.lambda
    this.a0 = o.a0
    this.b0 = o.b0
    this.samples = o.samples
    // `??` rather than the spread: an explicit undefined (an absent stored field) means the default.
    const optimistic = options.optimistic ?? DEFAULTS.optimistic
    if (typeof optimistic !== 'boolean') throw new TacitArgumentError(`optimistic must be true or false, got ${String(optimistic)}`)
    this.optimistic = optimistic
    this._minExplore = 0
    this.minExplore = o.minExplore
    const D = o.dim + 1
    this._x = new Float64Array(D)
    this._u = new Float64Array(D)
    for (let k = 0; k < o.arms; k++) this.addArm()
  }

  /** Number of arms. */
  get arms(): number {
    return this._arms.length
  }

  /** Minimum probability of every arm; values above 1 / arms act as 1 / arms (uniform). */
  get minExplore(): number {
    return this._minExplore
  }
  set minExplore(value: number) {
    if (!(value >= 0 && value <= 1)) throw new TacitArgumentError(`minExplore must be between 0 and 1, got ${value}`)
    this._minExplore = value
  }

  /** Rewards seen by `arm`. */
  pulls(arm: number): number {
    return this._arm(arm).n
  }

  /** Appends an arm that knows nothing (a new variant); returns its index. */
  addArm(): number {
    const D = this.dim + 1
    const precision = new Float64Array((D * (D + 1)) / 2)
    for (let i = 0; i < D; i++) precision[packedIndex(i, i, D)] = this.lambda
    const chol = new Float64Array(D * D)
    const r = Math.sqrt(this.lambda)
    for (let i = 0; i < D; i++) chol[i * D + i] = r
    this._arms.push({ n: 0, precision, chol, xty: new Float64Array(D), yty: 0, mu: new Float64Array(D) })
    this._resizeScratch()
    return this._arms.length - 1
  }

  /**
   * Picks an arm for `context` by Thompson sampling (see the module comment). `offsets`, one per
   * arm, are added to every sampled score, e.g. a prior preference from tag affinity; their
   * scale is the caller's (the reward's units).
   */
  choose(context: ArrayLike<number>, rng: Random, offsets?: ArrayLike<number>): BanditChoice {
    const K = this._arms.length
    const D = this.dim + 1
    const x = this._load(context)
    if (offsets && offsets.length !== K) throw new TacitArgumentError(`offsets needs one number per arm (${K}), got ${offsets.length}`)
    const m = this._m
    const scale = this._scale
    const dof = this._dof
    for (let k = 0; k < K; k++) {
      const arm = this._arms[k]
      m[k] = dot(arm.mu, x, D) + (offsets ? offsets[k] : 0)
      // x' L^-1 x = |u|^2 where R' u = x.
      forwardSolve(arm.chol, x, this._u, D)
      const a = this.a0 + arm.n / 2
      const b = Math.max(this.b0, this.b0 + 0.5 * (arm.yty - dot(arm.mu, arm.xty, D)))
      scale[k] = Math.sqrt((b / a) * dot(this._u, this._u, D))
      dof[k] = 2 * a
    }
    const wins = new Float64Array(K)
    let thompson = 0
    for (let s = 0; s < this.samples; s++) {
      let best = -Infinity
      let arg = 0
      for (let k = 0; k < K; k++) {
        const t = studentT(rng, dof[k])
        const score = m[k] + scale[k] * (this.optimistic && t < 0 ? 0 : t)
        if (score > best) {
          best = score
          arg = k
        }
      }
      wins[arg]++
      if (s === 0) thompson = arg
    }
    const floor = Math.min(this._minExplore, 1 / K)
    const uniformShare = K * floor
    const arm = uniformShare > 0 && rng.uniform() < uniformShare ? Math.min(K - 1, Math.floor(rng.uniform() * K)) : thompson
    const probabilities = new Float64Array(K)
    for (let k = 0; k < K; k++) probabilities[k] = floor + (1 - uniformShare) * (wins[k] / this.samples)
    return { arm, probability: probabilities[arm], probabilities }
  }

  /** Learns that `arm`, played in `context`, earned `reward`. O(d^2). */
  update(arm: number, context: ArrayLike<number>, reward: number): void {
    const state = this._arm(arm)
    if (!Number.isFinite(reward)) throw new TacitArgumentError(`reward must be a finite number, got ${reward}`)
    const D = this.dim + 1
    const x = this._load(context)
    for (let i = 0; i < D; i++) {
      const xi = x[i]
      if (xi === 0) continue
      for (let j = i; j < D; j++) state.precision[packedIndex(i, j, D)] += xi * x[j]
      state.xty[i] += xi * reward
    }
    state.yty += reward * reward
    state.n++
    // cholUpdate overwrites its vector argument.
    this._u.set(x)
    cholUpdate(state.chol, this._u, D)
    solveMean(state)
  }

  /** Posterior mean score of `arm` for `context` (no sampling). */
  expected(arm: number, context: ArrayLike<number>): number {
    return dot(this._arm(arm).mu, this._load(context), this.dim + 1)
  }

  /**
   * Why `arm` scores above the others for `context`: per context dimension, its posterior-mean
   * weight minus the mean weight of the other arms, times the context value. Positive entries
   * pushed towards `arm`. Length `dim` (the intercept is left out).
   */
  contributions(arm: number, context: ArrayLike<number>): Float64Array {
    const target = this._arm(arm)
    const x = this._load(context)
    const out = new Float64Array(this.dim)
    const others = this._arms.filter((a) => a !== target)
    for (let j = 0; j < this.dim; j++) {
      let mean = 0
      for (const o of others) mean += o.mu[j] / others.length
      out[j] = (target.mu[j] - (others.length ? mean : 0)) * x[j]
    }
    return out
  }

  /** The posterior as plain JSON, accepted by {@link LinearThompsonBandit.fromJSON}. */
  toJSON(): BanditState {
    return {
      version: 1,
      dim: this.dim,
      lambda: this.lambda,
      a0: this.a0,
      b0: this.b0,
      minExplore: this._minExplore,
      samples: this.samples,
      optimistic: this.optimistic,
      arms: this._arms.map((a) => ({ n: a.n, precision: Array.from(a.precision), xty: Array.from(a.xty), yty: a.yty })),
    }
  }

  /**
   * Restores a bandit from {@link LinearThompsonBandit.toJSON}'s output, validating it: schema,
   * finite numbers, sizes, and a positive-definite precision per arm. Throws
   * {@link ModelStateError} (`non-finite` or `invalid`); the caller then starts from the prior.
   */
  static fromJSON(value: unknown): LinearThompsonBandit {
    const result = safeParse((builtState ??= stateSchema()), value)
    if (!result.success) {
      const fault = hasNonFinite(value) ? 'non-finite' : 'invalid'
      throw new ModelStateError('bandit', fault, `Bandit state rejected: ${describeInvalid(result.error)}`)
    }
    const s = result.data
    const bandit = new LinearThompsonBandit({ ...s, arms: 1 })
    bandit._arms.length = 0
    const D = s.dim + 1
    s.arms.forEach((a, k) => {
      if (a.precision.length !== (D * (D + 1)) / 2 || a.xty.length !== D) {
        throw new ModelStateError('bandit', 'invalid', `Bandit state rejected: arms[${k}] has the wrong size for dim ${s.dim}`)
      }
      const precision = Float64Array.from(a.precision)
      const chol = cholesky(precision, D)
      if (!chol) throw new ModelStateError('bandit', 'invalid', `Bandit state rejected: arms[${k}].precision is not positive definite`)
      const arm: Arm = { n: a.n, precision, chol, xty: Float64Array.from(a.xty), yty: a.yty, mu: new Float64Array(D) }
      solveMean(arm)
      bandit._arms.push(arm)
    })
    bandit._resizeScratch()
    return bandit
  }

  private _arm(arm: number): Arm {
    const state = this._arms[arm]
    if (!Number.isInteger(arm) || !state) throw new TacitArgumentError(`arm must be an index below ${this._arms.length}, got ${arm}`)
    return state
  }

  /** Copies `context` plus the intercept into the scratch vector, checking it. */
  private _load(context: ArrayLike<number>): Float64Array {
    if (context.length !== this.dim) throw new TacitArgumentError(`context must have ${this.dim} numbers, got ${context.length}`)
    const x = this._x
    for (let i = 0; i < this.dim; i++) {
      const v = context[i]
      if (!Number.isFinite(v)) throw new TacitArgumentError(`context[${i}] must be a finite number, got ${v}`)
      x[i] = v
    }
    x[this.dim] = 1
    return x
  }

  private _resizeScratch(): void {
    const K = this._arms.length
    if (this._m.length === K) return
    this._m = new Float64Array(K)
    this._scale = new Float64Array(K)
    this._dof = new Float64Array(K)
  }
}

/** Index of (i, j), i <= j, in a packed upper triangle of a D x D matrix, row by row. */
const packedIndex = (i: number, j: number, D: number): number => i * D - (i * (i - 1)) / 2 + (j - i)

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, n: number): number => {
  let s = 0
  for (let i = 0; i < n; i++) s += a[i] * b[i]
  return s
}

/** Solves R' u = x for u (R upper, so R' is lower), forward substitution. */
const forwardSolve = (R: Float64Array, x: ArrayLike<number>, u: Float64Array, D: number): void => {
  for (let i = 0; i < D; i++) {
    let s = x[i]
    for (let k = 0; k < i; k++) s -= R[k * D + i] * u[k]
    u[i] = s / R[i * D + i]
  }
}

/** Solves R v = w for v in place of w, back substitution. */
const backSolve = (R: Float64Array, w: Float64Array, D: number): void => {
  for (let i = D - 1; i >= 0; i--) {
    let s = w[i]
    for (let k = i + 1; k < D; k++) s -= R[i * D + k] * w[k]
    w[i] = s / R[i * D + i]
  }
}

/** mu = L^-1 X'y through the Cholesky factor: R' w = X'y, then R mu = w. */
const solveMean = (arm: Arm): void => {
  const D = arm.xty.length
  forwardSolve(arm.chol, arm.xty, arm.mu, D)
  backSolve(arm.chol, arm.mu, D)
}

/**
 * Rank-one update of an upper Cholesky factor: R'R + x x' = R1'R1, in place, O(D^2). `x` is
 * used as scratch. Always stable (an update, never a downdate).
 */
const cholUpdate = (R: Float64Array, x: Float64Array, D: number): void => {
  for (let k = 0; k < D; k++) {
    const xk = x[k]
    if (xk === 0) continue
    const rkk = R[k * D + k]
    const r = Math.hypot(rkk, xk)
    const c = r / rkk
    const s = xk / rkk
    R[k * D + k] = r
    for (let j = k + 1; j < D; j++) {
      const rkj = (R[k * D + j] + s * x[j]) / c
      R[k * D + j] = rkj
      x[j] = c * x[j] - s * rkj
    }
  }
}

/** Upper Cholesky factor of a packed symmetric matrix, or undefined if not positive definite. */
const cholesky = (packed: Float64Array, D: number): Float64Array | undefined => {
  const R = new Float64Array(D * D)
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      let s = packed[packedIndex(i, j, D)]
      for (let k = 0; k < i; k++) s -= R[k * D + i] * R[k * D + j]
      if (i === j) {
        if (!(s > 0)) return undefined
        R[i * D + i] = Math.sqrt(s)
      } else R[i * D + j] = s / R[i * D + i]
    }
  }
  return R
}
