// Small statistics for the benchmarks: medians of runs, and of paired differences.

/** The median of finite numbers (NaN when there are none). */
export const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (!s.length) return NaN
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * The median of `a[i] - b[i]` over the rounds: the added cost of a variant over the baseline run
 * beside it, so that a machine slowing down over the benchmark weighs on both sides of each pair.
 */
export const pairedMedian = (a, b) => median(a.map((x, i) => x - b[i]))

/** Minimum and maximum, for the spread of a figure over the runs. */
export const range = (xs) => {
  const s = xs.filter(Number.isFinite)
  return s.length ? [Math.min(...s), Math.max(...s)] : [NaN, NaN]
}
