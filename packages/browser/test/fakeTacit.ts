import type { RankItem, Signal, Tacit, Variant } from '@tacit/core'
import { vi } from 'vitest'

const idOf = (v: Variant): string => (typeof v === 'string' ? v : v.id)

/**
 * A stand-in for the API with a `ready` the test resolves, decisions and ranks the test sets,
 * signals the test emits, and a record of the calls the binders made.
 */
export const fakeTacit = () => {
  let resolveReady!: () => void
  const ready = new Promise<void>((r) => (resolveReady = r))
  const calls: unknown[][] = []
  const listeners = new Map<string, Set<(s: Signal) => void>>()
  const subscribers = new Set<() => void>()
  const state = {
    isReady: false,
    /** The variant `decide` picks once ready (per slot); the fallback before. */
    choice: {} as Record<string, string>,
    /** Item ids in the order `rank` returns once ready; page order before. */
    order: [] as string[],
    risk: 0.5,
    consent: 'granted' as 'granted' | 'pending' | 'denied',
  }
  const api = {
    ready,
    get consent() {
      return state.consent
    },
    decide(slot: string, variants: readonly Variant[], options?: { fallback?: string }) {
      calls.push(['decide', slot, variants, options])
      const fallback = options?.fallback ?? idOf(variants[0])
      const wanted = state.isReady ? state.choice[slot] : undefined
      const variant = wanted !== undefined && variants.map(idOf).includes(wanted) ? wanted : fallback
      return { variant, probability: 1, explanation: '' }
    },
    reward(slot: string, value: number) {
      calls.push(['reward', slot, value])
      return true
    },
    rank<T extends RankItem>(items: readonly T[]): T[] {
      calls.push(['rank', items.map((i) => ({ id: i.id, tags: i.tags }))])
      if (!state.isReady) return items.slice()
      const at = (item: T) => (state.order.includes(item.id) ? state.order.indexOf(item.id) : state.order.length)
      return items.slice().sort((a, b) => at(a) - at(b))
    },
    predict() {
      calls.push(['predict'])
      return { convert: 0.5, dropOff: state.risk }
    },
    on(type: string, cb: (s: Signal) => void) {
      if (!listeners.has(type)) listeners.set(type, new Set())
      listeners.get(type)!.add(cb)
      return () => void listeners.get(type)!.delete(cb)
    },
    subscribe(cb: () => void) {
      subscribers.add(cb)
      return () => void subscribers.delete(cb)
    },
  }
  return {
    api: api as unknown as Tacit,
    state,
    calls,
    /** The calls of one method, without the method name. */
    callsOf: (method: string) => calls.filter((c) => c[0] === method).map((c) => c.slice(1)),
    /** Resolves `ready` and lets its callbacks run. */
    async becomeReady() {
      state.isReady = true
      resolveReady()
      await flush()
    },
    emit(signal: Partial<Signal> & { type: Signal['type']; target: string }) {
      for (const cb of listeners.get(signal.type) ?? []) cb({ t: Date.now(), ...signal } as Signal)
    },
    notify() {
      for (const cb of subscribers) cb()
    },
    listenerCount: () => subscribers.size + Array.from(listeners.values()).reduce((n, s) => n + s.size, 0),
  }
}

/** Lets pending promise callbacks and mutation observer callbacks run (also under fake timers). */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0)
  else await new Promise((r) => setTimeout(r, 0))
}

export const page = (markup: string): void => {
  document.body.innerHTML = markup
}

export const $ = <E extends Element = HTMLElement>(selector: string): E => {
  const el = document.querySelector<E>(selector)
  if (!el) throw new Error(`no element matches ${selector}`)
  return el
}

export const click = (selector: string): void => {
  $(selector).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }))
}

/** Hidden by the anti-flicker rule (inline `visibility: hidden !important`). */
export const isHiddenByTacit = (el: Element): boolean =>
  (el as HTMLElement).style.getPropertyValue('visibility') === 'hidden' && (el as HTMLElement).style.getPropertyPriority('visibility') === 'important'

/** Lets a frame be painted (fake timers: animation frames run every 16 ms) and the task after it run. */
export const nextFrame = async (): Promise<void> => {
  // Two frames: the one that paints what moved, and the next, whose callbacks reveal.
  await vi.advanceTimersByTimeAsync(17)
  await vi.advanceTimersByTimeAsync(17)
  await vi.advanceTimersByTimeAsync(0)
}
