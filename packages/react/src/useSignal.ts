import type { Signal, SignalOf, SignalType, Tacit } from '@tacit/core'
import { useEffect, useInsertionEffect, useRef } from 'react'
import { useStore } from './context'

/**
 * Calls `callback` for every signal of `type` (or every signal, with `'signal'`) while the
 * component is mounted. The latest `callback` is always the one called, without resubscribing;
 * it never causes a render by itself.
 *
 * @example
 * ```tsx
 * useSignal('hesitation', (s) => { if (s.target === 'button#buy') setHelpOpen(true) })
 * ```
 */
export function useSignal<T extends SignalType | 'signal'>(
  type: T,
  callback: (signal: T extends SignalType ? SignalOf<T> : Signal) => void,
): void {
  const store = useStore('useSignal')
  const latest = useRef(callback)
  // Updated on commit (not during render), before any effect or event can call it.
  useInsertionEffect(() => {
    latest.current = callback
  })
  useEffect(() => {
    let bound: Tacit | null = null
    let off = (): void => {}
    // The instance may arrive (or change) after this effect: rebind whenever the store changes.
    const bind = (): void => {
      if (store.tacit === bound) return
      off()
      bound = store.tacit
      off = store.tacit ? store.tacit.on(type as 'signal', (s) => latest.current(s as never)) : () => {}
    }
    bind()
    const unsubscribe = store.subscribe(bind)
    return () => {
      unsubscribe()
      off()
    }
  }, [store, type])
}
