import type { Signal, SignalOf, SignalType } from './types'

export type SignalListener<S extends Signal = Signal> = (signal: S) => void

/** One bus for every detector: listeners per type, and `'signal'` for all of them. */
export class SignalBus {
  private _byType = new Map<SignalType | 'signal', Set<SignalListener<any>>>()
  constructor(private _onError: (error: unknown) => void) {}

  on<T extends SignalType>(type: T, cb: SignalListener<SignalOf<T>>): () => void
  on(type: 'signal', cb: SignalListener): () => void
  on(type: SignalType | 'signal', cb: SignalListener<any>): () => void {
    let set = this._byType.get(type)
    if (!set) this._byType.set(type, (set = new Set()))
    set.add(cb)
    return () => {
      set.delete(cb)
    }
  }

  emit(signal: Signal): void {
    this._call(this._byType.get(signal.type), signal)
    this._call(this._byType.get('signal'), signal)
  }

  /** Listeners currently attached, for leak tests. */
  get size(): number {
    let n = 0
    for (const set of this._byType.values()) n += set.size
    return n
  }

  clear(): void {
    this._byType.clear()
  }

  private _call(set: Set<SignalListener<any>> | undefined, signal: Signal): void {
    if (!set) return
    for (const cb of [...set]) {
      try {
        cb(signal)
      } catch (error) {
        // A subscriber's bug must not stop other subscribers nor reach the host page.
        this._onError(error)
      }
    }
  }
}
