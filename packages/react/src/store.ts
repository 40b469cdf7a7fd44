import type { Tacit } from '@tacit/core'

/**
 * What the hooks read: the Tacit instance of a provider (null on the server and before mount),
 * whether it is ready, and one change feed. A store stays the same object for the provider's
 * lifetime, so the arrival of the instance or of `ready` is a store change, not a context change:
 * only the hooks whose own value changes re-render.
 */
export class TacitStore {
  tacit: Tacit | null = null
  ready = false
  private _listeners = new Set<() => void>()
  private _off: (() => void) | undefined

  constructor(tacit?: Tacit) {
    if (tacit) this.attach(tacit)
  }

  /** For `useSyncExternalStore`: one subscription to Tacit, shared by every hook of the provider. */
  subscribe = (cb: () => void): (() => void) => {
    this._listeners.add(cb)
    this._bind()
    return () => {
      this._listeners.delete(cb)
      if (!this._listeners.size) this._unbind()
    }
  }

  attach(tacit: Tacit): void {
    if (this.tacit === tacit) return
    this._unbind()
    this.tacit = tacit
    this.ready = false
    this._bind()
    void tacit.ready.then(() => {
      if (this.tacit !== tacit) return
      this.ready = true
      this._emit()
    })
    this._emit()
  }

  detach(): void {
    this._unbind()
    this.tacit = null
    this.ready = false
  }

  private _bind(): void {
    if (!this._off && this.tacit && this._listeners.size) this._off = this.tacit.subscribe(this._emit)
  }

  private _unbind(): void {
    this._off?.()
    this._off = undefined
  }

  private _emit = (): void => {
    for (const cb of [...this._listeners]) cb()
  }
}

const stores = new WeakMap<Tacit, TacitStore>()

/** The one store of an instance the application created itself (`<TacitProvider tacit={…}>`). */
export const storeFor = (tacit: Tacit): TacitStore => {
  let store = stores.get(tacit)
  if (!store) stores.set(tacit, (store = new TacitStore(tacit)))
  return store
}
