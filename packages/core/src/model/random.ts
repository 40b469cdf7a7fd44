/**
 * A small seedable random source for the models: mulberry32 for uniforms, Box-Muller for normals
 * and Marsaglia-Tsang for gamma variates. Deterministic for a given seed, so decisions, tests and
 * benchmarks can be replayed exactly. Not for anything security-related.
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

/** A Gamma(shape, 1) variate (Marsaglia and Tsang 2000), for shape > 0. */
export const gamma = (rng: Random, shape: number): number => {
  if (shape < 1) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const u = 1 - rng.uniform()
    return gamma(rng, shape + 1) * Math.pow(u, 1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = rng.normal()
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - rng.uniform()
    const x2 = x * x
    if (u < 1 - 0.0331 * x2 * x2) return d * v
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v
  }
}
