const OPTIONS: AddEventListenerOptions = { capture: true, passive: true }

interface Handlers {
  /** One entry per `listen` call, so that the same function added twice runs twice. */
  entries: Set<{ handler: (event: any) => void }>
  dispatch: (event: Event) => void
}

/** Handlers by target and event type, behind one real listener each (see {@link listen}). */
const registry = new WeakMap<EventTarget, Map<string, Handlers>>()

/**
 * Adds a passive, capture-phase handler and returns the function that removes it.
 *
 * Tacit's handlers of one event type on one target share a single real listener, which calls
 * them in the order they were added: a pointerover reaches four of Tacit's handlers, and each
 * listener the browser calls costs a crossing into JavaScript, for every element the pointer
 * enters. Handlers guard themselves (the detector context reports their faults); one that throws
 * anyway does not keep the others from running, nor reach the page.
 */
export const listen = <K extends string>(target: EventTarget, type: K, handler: (event: any) => void): (() => void) => {
  let byType = registry.get(target)
  if (!byType) registry.set(target, (byType = new Map()))
  let handlers = byType.get(type)
  if (!handlers) {
    const entries: Handlers['entries'] = new Set()
    const dispatch = (event: Event): void => {
      for (const entry of entries) {
        try {
          entry.handler(event)
        } catch {
          // See above: never into the page.
        }
      }
    }
    byType.set(type, (handlers = { entries, dispatch }))
    target.addEventListener(type, dispatch, OPTIONS)
  }
  const entry = { handler }
  handlers.entries.add(entry)
  const own = handlers
  const types = byType
  return () => {
    if (!own.entries.delete(entry) || own.entries.size) return
    target.removeEventListener(type, own.dispatch, OPTIONS)
    if (types.get(type) === own) types.delete(type)
  }
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
