import type { ProfileData } from '../profile/types'

/**
 * The interest model: an affinity per tag (and per item) from dwell, hover, clicks and
 * hesitation, decaying with a half-life. Scores are kept in log space relative to a fixed epoch,
 * `ln(w) + ln2 · (t − EPOCH) / halfLife`, so adding two of them (`logAdd`) needs no clock and
 * several tabs can add theirs in any order; reading one at time `now` subtracts the decay.
 */
export const INTEREST_EPOCH = Date.UTC(2026, 0, 1)
const LN2 = Math.LN2

/** How much one interaction says about interest, in "seconds of attention". */
export const interestWeight = (d: { dwellMs: number; hoverMs: number; clicks: number; hesitations: number }): number =>
  d.dwellMs / 1000 + d.hoverMs / 1000 + 3 * d.clicks + d.hesitations

/** The log-space score of an interaction of weight `w` at time `t`. */
export const encodeInterest = (w: number, t: number, halfLifeMs: number): number | undefined => {
  const score = w > 0 ? Math.log(w) + (LN2 * (t - INTEREST_EPOCH)) / halfLifeMs : NaN
  return Number.isFinite(score) ? score : undefined
}

/** The affinity now, in decayed seconds of attention (0 when there is none). */
export const affinity = (interest: number | undefined, now: number, halfLifeMs: number): number =>
  interest === undefined ? 0 : Math.exp(interest - (LN2 * (now - INTEREST_EPOCH)) / halfLifeMs)

export interface RankItem {
  id: string
  tags?: readonly string[]
}

/** Score of one item: its own affinity plus that of each of its tags. */
export const itemScore = (item: RankItem, data: ProfileData, now: number, halfLifeMs: number): number => {
  let score = affinity(data.items[item.id]?.interest, now, halfLifeMs)
  if (item.tags) for (const tag of item.tags) score += affinity(data.tags[String(tag).toLowerCase()]?.interest, now, halfLifeMs)
  return score
}

/** Items best first; equal scores keep the page's order (a stable sort). */
export const rankItems = <T extends RankItem>(items: readonly T[], data: ProfileData, now: number, halfLifeMs: number): T[] => {
  const scored = items.map((item, i) => ({ item, i, s: itemScore(item, data, now, halfLifeMs) }))
  scored.sort((a, b) => b.s - a.s || a.i - b.i)
  return scored.map((x) => x.item)
}

/** The tags with the highest affinity now, strongest first. */
export const topTags = (data: ProfileData, now: number, halfLifeMs: number, n = 3): Array<{ tag: string; affinity: number }> =>
  Object.values(data.tags)
    .map((t) => ({ tag: t.tag, affinity: affinity(t.interest, now, halfLifeMs) }))
    .filter((t) => t.affinity > 0)
    .sort((a, b) => b.affinity - a.affinity)
    .slice(0, n)
