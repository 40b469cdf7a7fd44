import type { Decision, RankItem, Signal, Tacit, Variant } from '@tacit/core'
import { vi } from 'vitest'

// Lets act() flush React's work and warn about updates that escape it.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

/**
 * A Tacit the test steers: what decide, predict and rank return, when it is ready, and when it
 * reports a change. Everything else is a spy.
 */
export class FakeTacit implements Tacit {
  decision: Decision = { variant: 'a', probability: 1, explanation: 'Showing the default.' }
  prediction = { convert: 0.5, dropOff: 0.5 }
  order: (ids: string[]) => string[] = (ids) => ids
  decideCalls = 0
  private _changeListeners = new Set<() => void>()
  private _signalListeners = new Set<{ type: string; cb: (s: Signal) => void }>()
  private _resolve!: () => void
  ready = new Promise<void>((r) => (this._resolve = r))
  storage = 'memory' as const
  consent = 'pending' as const

  /** Resolves `ready` (the store notices it one microtask later). */
  makeReady(): void {
    this._resolve()
  }
  /** What core's subscribe() delivers: "something may have changed". */
  change(): void {
    for (const cb of [...this._changeListeners]) cb()
  }
  emit(signal: Signal): void {
    for (const l of [...this._signalListeners]) if (l.type === signal.type || l.type === 'signal') l.cb(signal)
  }
  get signalListeners(): number {
    return this._signalListeners.size
  }
  get changeListeners(): number {
    return this._changeListeners.size
  }

  on = vi.fn((type: string, cb: (s: any) => void) => {
    const entry = { type, cb }
    this._signalListeners.add(entry)
    return () => void this._signalListeners.delete(entry)
  }) as unknown as Tacit['on']
  subscribe = (cb: () => void): (() => void) => {
    this._changeListeners.add(cb)
    return () => void this._changeListeners.delete(cb)
  }
  decide = (_slot: string, _variants: readonly Variant[]): Decision => {
    this.decideCalls++
    return { ...this.decision }
  }
  predict = () => ({ ...this.prediction })
  rank = <T extends RankItem>(items: readonly T[]): T[] => {
    const byId = new Map(items.map((i) => [i.id, i]))
    return this.order(items.map((i) => i.id)).map((id) => byId.get(id)!)
  }
  track = vi.fn()
  step = vi.fn()
  reward = vi.fn(() => true)
  explain = vi.fn(() => '')
  profile = vi.fn()
  export = vi.fn()
  erase = vi.fn(async () => {})
  setConsent = vi.fn()
  destroy = vi.fn()
}

export const signal = (type: Signal['type'], target = 'button#buy'): Signal => ({ type, t: Date.now(), target, clicks: 3 }) as Signal

/**
 * Counts listeners that are attached to `document` and `window` and not yet removed, by patching
 * EventTarget. Call `restore()` when done.
 */
export const trackListeners = () => {
  const live = new Set<string>()
  const ids = new WeakMap<object, number>()
  let next = 0
  const key = (target: EventTarget, type: string, cb: unknown, options: unknown): string | null => {
    if (target !== document && target !== window) return null
    if (!cb || (typeof cb !== 'function' && typeof cb !== 'object')) return null
    if (!ids.has(cb as object)) ids.set(cb as object, ++next)
    const capture = typeof options === 'boolean' ? options : !!(options as { capture?: boolean } | undefined)?.capture
    return `${target === document ? 'document' : 'window'} ${type} ${ids.get(cb as object)} ${capture}`
  }
  // Patched on the two objects themselves: happy-dom's classes have their own EventTarget.
  const targets = [document, window] as EventTarget[]
  const originals = targets.map((target) => {
    const own = {
      add: Object.getOwnPropertyDescriptor(target, 'addEventListener'),
      remove: Object.getOwnPropertyDescriptor(target, 'removeEventListener'),
    }
    const add = target.addEventListener
    const remove = target.removeEventListener
    target.addEventListener = function (this: EventTarget, type: string, cb: any, options?: any) {
      const k = key(this, type, cb, options)
      if (k) live.add(k)
      return add.call(this, type, cb, options)
    }
    target.removeEventListener = function (this: EventTarget, type: string, cb: any, options?: any) {
      const k = key(this, type, cb, options)
      if (k) live.delete(k)
      return remove.call(this, type, cb, options)
    }
    return { target, own }
  })
  const put = (target: EventTarget, name: string, d: PropertyDescriptor | undefined): void => {
    if (d) Object.defineProperty(target, name, d)
    else delete (target as unknown as Record<string, unknown>)[name]
  }
  return {
    count: () => live.size,
    types: () => [...live].map((k) => k.split(' ').slice(0, 2).join(' ')),
    restore: () => {
      for (const { target, own } of originals) {
        put(target, 'addEventListener', own.add)
        put(target, 'removeEventListener', own.remove)
      }
    },
  }
}

/** Lets pending microtasks and promise callbacks run (the provider destroys in one). */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}
