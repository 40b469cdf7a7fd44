import { createContext, useContext } from 'react'
import type { TacitStore } from './store'

/** The store of the nearest `<TacitProvider>`. */
export const TacitContext = createContext<TacitStore | null>(null)

/** The provider's store; `name` is the hook or component asking, so the error names it. */
export const useStore = (name: string): TacitStore => {
  const store = useContext(TacitContext)
  if (!store) throw new Error(`${name} must be used inside <TacitProvider>: wrap your app in <TacitProvider options={…}>`)
  return store
}
