import type { Tacit } from '@tacit/core'
import { useSyncExternalStore } from 'react'
import { useStore } from './context'

/**
 * The provider's Tacit instance, for calls such as `track`, `reward`, `setConsent` or `erase`.
 * `null` during server rendering and before the provider has mounted in the browser; the
 * component re-renders when the instance arrives.
 */
export function useTacit(): Tacit | null {
  const store = useStore('useTacit')
  return useSyncExternalStore(store.subscribe, () => store.tacit, () => null)
}
