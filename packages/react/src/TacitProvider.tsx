import { createTacit, type Tacit, type TacitOptions } from '@tacit/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { TacitContext } from './context'
import { TacitStore, storeFor } from './store'

/** Props of {@link TacitProvider}: either `options` (the provider creates Tacit) or `tacit`. */
export interface TacitProviderProps {
  /**
   * Options for `createTacit`. The provider creates the instance once, in the browser, after it
   * mounts, and destroys it when it unmounts. Read on mount only: change consent later with
   * `useTacit()?.setConsent(…)`. A bad option throws `TacitConfigError` to the nearest error boundary.
   */
  options?: TacitOptions
  /** An instance the application created itself; the provider uses it and never destroys it. */
  tacit?: Tacit
  /** The part of the app that uses Tacit. */
  children?: ReactNode
}

/**
 * Makes Tacit available to the hooks below it.
 *
 * Nothing is created during server rendering nor during render at all: the instance is created in
 * an effect, so the server and the first client render both show every fallback and hydration
 * matches. Under StrictMode's simulated unmount and remount it keeps the one instance it created.
 *
 * @example
 * ```tsx
 * <TacitProvider options={{ consent: 'pending' }}>
 *   <App />
 * </TacitProvider>
 * ```
 */
export function TacitProvider({ options, tacit, children }: TacitProviderProps) {
  const [own] = useState(() => new TacitStore())
  const created = useRef<{ tacit: Tacit; unmounted: boolean } | null>(null)

  useEffect(() => {
    if (tacit || typeof window === 'undefined') return
    const mine = (created.current ??= { tacit: createTacit(options), unmounted: false })
    mine.unmounted = false
    own.attach(mine.tacit)
    return () => {
      // StrictMode remounts synchronously after this cleanup: destroy only if no remount followed.
      mine.unmounted = true
      queueMicrotask(() => {
        if (!mine.unmounted || created.current !== mine) return
        created.current = null
        own.detach()
        mine.tacit.destroy()
      })
    }
    // `options` is read when the instance is created only (documented on the prop).
  }, [tacit, own])

  return <TacitContext.Provider value={tacit ? storeFor(tacit) : own}>{children}</TacitContext.Provider>
}
