import { mergeModel, storedModel } from './modelMerge'
import type { ProfileData, ProfileDelta } from './types'
import type { DecisionRecord, ModelRecord, FunnelRecord, ItemRecord, OutcomeRecord, SessionRecord, TagRecord, VisitorRecord } from './schemas'

/**
 * How a pending change (a delta from this page) is added to a stored record. The same functions
 * run in memory and inside the IndexedDB transaction that writes the delta, so several tabs
 * writing at once add up instead of overwriting each other.
 */

type Totals = Pick<ItemRecord, 'dwellMs' | 'hoverMs' | 'hovers' | 'clicks' | 'hesitations' | 'hesitationMs' | 'interest' | 'updatedAt'>

/** ln(e^a + e^b): adds two interests kept in log space. */
export const logAdd = (a: number | undefined, b: number | undefined): number | undefined => {
  if (a === undefined) return b
  if (b === undefined) return a
  const hi = a > b ? a : b
  const lo = a > b ? b : a
  return hi + Math.log1p(Math.exp(lo - hi))
}

export const emptyTotals = (t: number): Totals => ({
  dwellMs: 0,
  hoverMs: 0,
  hovers: 0,
  clicks: 0,
  hesitations: 0,
  hesitationMs: 0,
  interest: undefined,
  updatedAt: t,
})

/*
 * Hot path: every hover, click and dwell adds to an item and its tags, in memory and pending.
 * The records are object literals written out, not spreads nor fields added one by one (either
 * is slower, and the latter gives every record an out-of-object property store): every record
 * made here has its fields in one order, so the code that reads them sees one object shape.
 */

/** An item record: `a`'s totals plus `d`'s. */
const item = (a: Totals, d: Totals, id: string, tags: string[]): ItemRecord => ({
  id,
  tags,
  dwellMs: a.dwellMs + d.dwellMs,
  hoverMs: a.hoverMs + d.hoverMs,
  hovers: a.hovers + d.hovers,
  clicks: a.clicks + d.clicks,
  hesitations: a.hesitations + d.hesitations,
  hesitationMs: a.hesitationMs + d.hesitationMs,
  interest: logAdd(a.interest, d.interest),
  updatedAt: Math.max(a.updatedAt, d.updatedAt),
})

/** A tag record: `a`'s totals plus `d`'s. */
const tag = (a: Totals, d: Totals, name: string): TagRecord => ({
  tag: name,
  dwellMs: a.dwellMs + d.dwellMs,
  hoverMs: a.hoverMs + d.hoverMs,
  hovers: a.hovers + d.hovers,
  clicks: a.clicks + d.clicks,
  hesitations: a.hesitations + d.hesitations,
  hesitationMs: a.hesitationMs + d.hesitationMs,
  interest: logAdd(a.interest, d.interest),
  updatedAt: Math.max(a.updatedAt, d.updatedAt),
})

/** Totals that add nothing. */
const NONE = emptyTotals(-Infinity)

/** A new item record with the totals `d`. */
export const itemRecord = (id: string, tags: string[], d: Totals): ItemRecord => item(NONE, d, id, tags)

/** A new tag record with the totals `d`. */
export const tagRecord = (name: string, d: Totals): TagRecord => tag(NONE, d, name)

export const mergeItem = (a: ItemRecord | undefined, d: ItemRecord): ItemRecord =>
  a ? item(a, d, a.id, d.tags.length ? d.tags : a.tags) : d

export const mergeTag = (a: TagRecord | undefined, d: TagRecord): TagRecord => (a ? tag(a, d, a.tag) : d)

export const mergeOutcome = (a: OutcomeRecord | undefined, d: OutcomeRecord): OutcomeRecord =>
  a
    ? {
        goal: a.goal,
        count: a.count + d.count,
        valueSum: a.valueSum + d.valueSum,
        lastAt: Math.max(a.lastAt, d.lastAt),
        updatedAt: Math.max(a.updatedAt, d.updatedAt),
      }
    : d

export const mergeSession = (a: SessionRecord | undefined, d: SessionRecord): SessionRecord => {
  if (!a) return d
  const counts = { ...a.counts }
  for (const k in d.counts) counts[k] = (counts[k] || 0) + d.counts[k]
  return {
    id: a.id,
    start: Math.min(a.start, d.start),
    lastActive: Math.max(a.lastActive, d.lastActive),
    pages: a.pages + d.pages,
    engagedMs: a.engagedMs + d.engagedMs,
    maxScroll: Math.max(a.maxScroll, d.maxScroll),
    counts,
    hesitationMs: (a.hesitationMs || 0) + (d.hesitationMs || 0),
    updatedAt: Math.max(a.updatedAt, d.updatedAt),
  }
}

/** Completions and drop-offs add up; progress is the furthest step of the newest session. */
export const mergeFunnel = (a: FunnelRecord | undefined, d: FunnelRecord): FunnelRecord => {
  if (!a) return d
  const sameSession = a.sessionId === d.sessionId
  const newer = d.updatedAt >= a.updatedAt
  return {
    funnel: a.funnel,
    sessionId: sameSession || newer ? d.sessionId : a.sessionId,
    furthest: sameSession ? Math.max(a.furthest, d.furthest) : newer ? d.furthest : a.furthest,
    completions: a.completions + d.completions,
    dropOffs: a.dropOffs + d.dropOffs,
    updatedAt: Math.max(a.updatedAt, d.updatedAt),
  }
}

/** Visits add up; the newest session and last page win. */
export const mergeVisitor = (a: VisitorRecord | undefined, d: VisitorRecord): VisitorRecord => {
  if (!a) return d
  const newer = d.updatedAt >= a.updatedAt
  return {
    key: 'visitor',
    firstSeen: Math.min(a.firstSeen, d.firstSeen),
    lastSeen: Math.max(a.lastSeen, d.lastSeen),
    visits: a.visits + d.visits,
    sessionId: newer ? d.sessionId : a.sessionId,
    lastPage: newer ? (d.lastPage ?? a.lastPage) : (a.lastPage ?? d.lastPage),
    updatedAt: Math.max(a.updatedAt, d.updatedAt),
  }
}

/** Whole-state records (decisions): the newer one wins. Models add up: see `modelMerge.ts`. */
export const mergeNewer = <T extends ModelRecord | DecisionRecord>(a: T | undefined, d: T): T =>
  a && a.updatedAt > d.updatedAt ? a : d

/** The records kept by key, each with its key field and merge function (models and the visitor apart). */
const KEYED: Array<[keyof ProfileDelta, string, (a: any, d: any) => object]> = [
  ['items', 'id', mergeItem],
  ['tags', 'tag', mergeTag],
  ['sessions', 'id', mergeSession],
  ['funnels', 'funnel', mergeFunnel],
  ['outcomes', 'goal', mergeOutcome],
  ['decisions', 'slot', mergeNewer],
]

/** Adds a delta to a whole profile in memory, with the merges above; the ring keeps `ringSize`. */
export const applyDelta = (data: ProfileData, d: ProfileDelta, ringSize: number): void => {
  for (const [name, key, merge] of KEYED) {
    const into = data[name] as Record<string, object>
    for (const r of d[name] as Record<string, any>[]) into[r[key]] = merge(into[r[key]], r)
  }
  if (d.visitor) data.visitor = mergeVisitor(data.visitor, d.visitor)
  for (const r of d.models) data.models[r.key] = storedModel(mergeModel(data.models[r.key], r))
  if (d.signals.length) data.signals = newest(data.signals.concat(d.signals), ringSize)
}

/** The last `n` entries (none for 0: `slice(-0)` would keep them all). */
export const newest = <T>(list: T[], n: number): T[] => (n > 0 ? list.slice(-n) : [])
