/**
 * A small seedable random source for the models: mulberry32 for uniforms, Box-Muller for normals
 * and Bailey's polar method for Student-t variates. Deterministic for a given seed, so decisions,
 * tests and benchmarks can be replayed exactly. Not for anything security-related.
 */

/** A source of random numbers. */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number
  /** Standard normal. */
  normal(): number
}

/** Creates a {@link Random} from a 32-bit seed (any number; only its low 32 bits count). */
export const createRandom = (seed: number): Random => {
  let state = seed >>> 0
  let spare: number | undefined
  const uniform = (): number => {
    // mulberry32 (Tommy Ettinger): full 2^32 period, passes gjrand's tests at this size.
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare
      spare = undefined
      return s
    }
    // 1 - u keeps the log argument in (0, 1].
    const r = Math.sqrt(-2 * Math.log(1 - uniform()))
    const theta = 2 * Math.PI * uniform()
    spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
  return { uniform, normal }
}

/** A seed from the platform's crypto source when there is one, else from the clock. */
export const randomSeed = (): number => {
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c && typeof c.getRandomValues === 'function') return c.getRandomValues(new Uint32Array(1))[0]
  return (Date.now() ^ (Math.random() * 4294967296)) >>> 0
}

/**
 * A Student-t variate with `dof` degrees of freedom, dof > 0 (Bailey 1994, "Polar generation of
 * random variates with the t-distribution", Math. Comp. 62): two uniforms a try, 4/pi tries on
 * average. It stands for a normal over the square root of a scaled gamma variate, with fewer
 * operations, which matters to `decide` while its code is still cold (see bandit.ts).
 */
export const studentT = (rng: Random, dof: number): number => {
  let u: number
  let w: number
  do {
    u = 2 * rng.uniform() - 1
    const v = 2 * rng.uniform() - 1
    w = u * u + v * v
  } while (w > 1 || w === 0)
  return u * Math.sqrt((dof * (Math.pow(w, -2 / dof) - 1)) / w)
}
