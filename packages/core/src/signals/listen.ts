/** Adds a passive, capture-phase listener and returns the function that removes it. */
export const listen = <K extends string>(
  target: EventTarget,
  type: K,
  handler: (event: any) => void,
): (() => void) => {
  const opts: AddEventListenerOptions = { capture: true, passive: true }
  target.addEventListener(type, handler, opts)
  return () => target.removeEventListener(type, handler, opts)
}

/** Collects clean-up functions so that `destroy()` can remove everything a module attached. */
export class Disposer {
  private _fns: Array<() => void> = []
  add(fn: () => void): void {
    this._fns.push(fn)
  }
  run(): void {
    const fns = this._fns
    this._fns = []
    for (let i = fns.length - 1; i >= 0; i--) {
      try {
        fns[i]()
      } catch {
        // Clean-up must finish even if one step fails (for example a node already removed).
      }
    }
  }
}
