import { encodeInterest, interestWeight } from '../model/interests'
import type { Signal } from '../signals/types'
import { mergeModel, storedModel } from './modelMerge'
import { applyDelta, newest, emptyTotals, itemRecord, mergeFunnel, mergeItem, mergeNewer, mergeOutcome, mergeSession, mergeTag, mergeVisitor, tagRecord } from './merge'
import type { DecisionRecord, ModelRecord, FunnelRecord, ItemRecord, OutcomeRecord, SessionRecord, SignalRecord, TagRecord, VisitorRecord } from './schemas'
import { emptyData, type ProfileData, type ProfileDelta } from './types'

/** An interaction on a tracked item that feeds the totals but is not a public signal. */
export interface Interaction {
  kind: 'hover' | 'click'
  item: string
  tags?: string[]
  ms?: number
}

type Keyed<T> = Map<string, T>

/** Adds each of `records` under its `field` to the pending records, with `merge`. */
const restore = <T, K extends keyof T>(pending: Keyed<T>, records: readonly T[], field: K, merge: (a: T | undefined, d: T) => T): void => {
  for (const r of records) pending.set(r[field] as string, merge(pending.get(r[field] as string), r))
}

/** Adds `d` under `key`, with `merge`, to the pending records and to those in memory. */
const addTo = <T>(pending: Keyed<T>, data: Record<string, T>, key: string, d: T, merge: (a: T | undefined, d: T) => T): void => {
  pending.set(key, merge(pending.get(key), d))
  data[key] = merge(data[key], d)
}

/**
 * The profile in memory: what was loaded plus everything this page added, and, separately, the
 * part not yet written (`pending`), which the writer takes as a delta. Both sides use the merge
 * functions of `merge.ts`, so memory and the database agree.
 */
export class Profile {
  data: ProfileData = emptyData()
  private _items: Keyed<ItemRecord> = new Map()
  private _tags: Keyed<TagRecord> = new Map()
  private _sessions: Keyed<SessionRecord> = new Map()
  private _funnels: Keyed<FunnelRecord> = new Map()
  private _outcomes: Keyed<OutcomeRecord> = new Map()
  private _visitor: VisitorRecord | undefined
  private _signals: SignalRecord[] = []
  private _models: Keyed<ModelRecord> = new Map()
  private _decisions: Keyed<DecisionRecord> = new Map()
  /** The sum of every item's `dwellMs`, kept as items change; -1 until first asked for. */
  private _dwell = -1
  /** Called after every change, so the writer can schedule a flush. */
  onChange: () => void = () => {}

  constructor(
    private _ringSize: number,
    private _halfLifeMs = 7 * 86_400_000,
  ) {}

  get hasPending(): boolean {
    return (
      this._items.size + this._tags.size + this._sessions.size + this._funnels.size + this._outcomes.size + this._signals.length > 0 ||
      this._models.size + this._decisions.size > 0 ||
      this._visitor !== undefined
    )
  }

  /**
   * Replaces memory with what was loaded, then re-applies on top this page's unwritten changes
   * and `unread`: changes taken for writing that the load cannot have seen (see `Persistence`).
   */
  load(loaded: ProfileData, unread: readonly ProfileDelta[] = []): void {
    this.data = loaded
    this._dwell = -1
    for (const d of unread) this._applyToData(d)
    this._applyToData(this._peek())
  }

  /** Forgets everything, in memory and pending. */
  clear(): void {
    this.data = emptyData()
    this._dwell = -1
    this.takeDelta()
  }

  /** The dwell of every item together (ms): summed once, then kept as items change. */
  get dwellMs(): number {
    if (this._dwell < 0) {
      this._dwell = 0
      for (const id in this.data.items) this._dwell += this.data.items[id].dwellMs
    }
    return this._dwell
  }

  /** Takes the unwritten changes (the writer calls this); they are no longer pending. */
  takeDelta(): ProfileDelta {
    const delta = this._peek()
    this._items = new Map()
    this._tags = new Map()
    this._sessions = new Map()
    this._funnels = new Map()
    this._outcomes = new Map()
    this._visitor = undefined
    this._signals = []
    this._models = new Map()
    this._decisions = new Map()
    return delta
  }

  /** Puts a delta whose write failed back into pending, so nothing is lost. */
  restoreDelta(delta: ProfileDelta): void {
    restore(this._items, delta.items, 'id', mergeItem)
    restore(this._tags, delta.tags, 'tag', mergeTag)
    restore(this._sessions, delta.sessions, 'id', mergeSession)
    restore(this._funnels, delta.funnels, 'funnel', mergeFunnel)
    restore(this._outcomes, delta.outcomes, 'goal', mergeOutcome)
    if (delta.visitor) this._visitor = mergeVisitor(this._visitor, delta.visitor)
    this._signals = newest(delta.signals.concat(this._signals), this._ringSize)
    for (const r of delta.models) {
      // The failed change came first: newer pending changes of the model build on it.
      const pending = this._models.get(r.key)
      this._models.set(r.key, pending ? mergeModel(r, pending) : r)
    }
    restore(this._decisions, delta.decisions, 'slot', mergeNewer)
  }

  /**
   * A model's new state (weights, a posterior), with the `base` it was changed from when it is a
   * change that should add up with other tabs' (see `modelMerge.ts`).
   */
  recordModel(r: ModelRecord): void {
    this._models.set(r.key, mergeModel(this._models.get(r.key), r))
    this.data.models[r.key] = storedModel(r)
    this.onChange()
  }

  /** Replaces the last decision of a slot. */
  recordDecision(r: DecisionRecord): void {
    this._decisions.set(r.slot, r)
    this.data.decisions[r.slot] = r
    this.onChange()
  }

  /** Adds one signal: to the ring, the session counts and the item and tag totals. */
  recordSignal(signal: Signal, sessionId: string): void {
    const t = signal.t
    const session = this._session(sessionId, t)
    session.counts[signal.type] = (session.counts[signal.type] || 0) + 1
    if (signal.type === 'engaged-time') session.engagedMs += signal.ms
    if (signal.type === 'scroll-depth') session.maxScroll = Math.max(session.maxScroll, signal.percent)
    if (signal.type === 'hesitation') session.hesitationMs = signal.ms
    this._put(session)
    if (signal.item) {
      const d = emptyTotals(t)
      if (signal.type === 'dwell') d.dwellMs = signal.ms
      else if (signal.type === 'hesitation') {
        d.hesitations = 1
        d.hesitationMs = signal.ms
      }
      if (d.dwellMs || d.hesitations) this._addTotals(signal.item, signal.tags, d)
    }
    const record = toRecord(signal)
    this._signals.push(record)
    if (this._signals.length > this._ringSize) this._signals.shift()
    this.data.signals.push(record)
    if (this.data.signals.length > this._ringSize) this.data.signals.shift()
    this.onChange()
  }

  /** Adds a hover or click on a tracked item. */
  recordInteraction(i: Interaction, t: number): void {
    const d = emptyTotals(t)
    if (i.kind === 'hover') {
      d.hovers = 1
      d.hoverMs = i.ms || 0
    } else d.clicks = 1
    this._addTotals(i.item, i.tags, d)
    this.onChange()
  }

  recordOutcome(goal: string, value: number, t: number): void {
    const d: OutcomeRecord = { goal, count: 1, valueSum: value, lastAt: t, updatedAt: t }
    addTo(this._outcomes, this.data.outcomes, goal, d, mergeOutcome)
    this.onChange()
  }

  /** Adds to a funnel record (progress, completions, drop-offs). */
  recordFunnel(d: FunnelRecord): void {
    addTo(this._funnels, this.data.funnels, d.funnel, d, mergeFunnel)
    this.onChange()
  }

  /** Adds to a session record (a new page, activity). */
  recordSession(d: SessionRecord): void {
    this._put(d)
    this.onChange()
  }

  recordVisitor(d: VisitorRecord): void {
    this._visitor = mergeVisitor(this._visitor, d)
    this.data.visitor = mergeVisitor(this.data.visitor, d)
    this.onChange()
  }

  /** Moves this page's pending session (and funnel progress) to another session id. */
  renameSession(from: string, to: string): void {
    const pending = this._sessions.get(from)
    if (pending) {
      this._sessions.delete(from)
      const moved = { ...pending, id: to }
      delete this.data.sessions[from]
      this._put(moved)
    }
    for (const [k, f] of this._funnels) if (f.sessionId === from) this._funnels.set(k, { ...f, sessionId: to })
    for (const k in this.data.funnels) {
      const f = this.data.funnels[k]
      if (f.sessionId === from) this.data.funnels[k] = { ...f, sessionId: to }
    }
  }

  private _session(id: string, t: number): SessionRecord {
    return { id, start: t, lastActive: t, pages: 0, engagedMs: 0, maxScroll: 0, counts: {}, updatedAt: t }
  }

  private _put(d: SessionRecord): void {
    addTo(this._sessions, this.data.sessions, d.id, d, mergeSession)
  }

  private _addTotals(item: string, tags: string[] | undefined, d: ReturnType<typeof emptyTotals>): void {
    d.interest = encodeInterest(interestWeight(d), d.updatedAt, this._halfLifeMs)
    const itemDelta = itemRecord(item, tags || [], d)
    // Written out rather than through addTo: this runs for every hover, click and dwell, and each
    // call site here stays monomorphic.
    this._items.set(item, mergeItem(this._items.get(item), itemDelta))
    this.data.items[item] = mergeItem(this.data.items[item], itemDelta)
    if (this._dwell >= 0) this._dwell += d.dwellMs
    for (const tag of tags || []) {
      const tagDelta = tagRecord(tag, d)
      this._tags.set(tag, mergeTag(this._tags.get(tag), tagDelta))
      this.data.tags[tag] = mergeTag(this.data.tags[tag], tagDelta)
    }
  }

  private _peek(): ProfileDelta {
    return {
      items: [...this._items.values()],
      tags: [...this._tags.values()],
      sessions: [...this._sessions.values()],
      funnels: [...this._funnels.values()],
      outcomes: [...this._outcomes.values()],
      visitor: this._visitor,
      signals: this._signals.slice(),
      models: [...this._models.values()],
      decisions: [...this._decisions.values()],
    }
  }

  private _applyToData(d: ProfileDelta): void {
    applyDelta(this.data, d, this._ringSize)
  }

}

/** The stored form of a signal: the same fields, copied so later changes cannot leak in. */
const toRecord = (s: Signal): SignalRecord => {
  const r: Record<string, unknown> = {}
  for (const k in s) {
    const v = (s as unknown as Record<string, unknown>)[k]
    if (v !== undefined) r[k] = Array.isArray(v) ? v.slice() : v
  }
  return r as SignalRecord
}
