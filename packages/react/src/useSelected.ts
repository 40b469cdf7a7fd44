import type { Tacit } from '@tacit/core'
import { useRef, useSyncExternalStore } from 'react'
import { useStore } from './context'

/**
 * `useSyncExternalStore` over the provider's store, returning the previous value while `equal`
 * says nothing changed: the component re-renders only when its own value does. `select` gets
 * `null` for the instance on the server and before mount, and must return the fallback then.
 */
export const useSelected = <T>(
  name: string,
  select: (tacit: Tacit | null, ready: boolean) => T,
  equal: (a: T, b: T) => boolean,
): T => {
  const store = useStore(name)
  const last = useRef<{ value: T } | null>(null)
  const cached = (next: T): T => {
    if (last.current && equal(last.current.value, next)) return last.current.value
    last.current = { value: next }
    return next
  }
  return useSyncExternalStore(
    store.subscribe,
    () => cached(select(store.tacit, store.ready)),
    () => cached(select(null, false)),
  )
}
