const OPTIONS: AddEventListenerOptions = { capture: true, passive: true }

/** The handlers on each document, and the one real listener that calls them. */
const byDocument = new WeakMap<Document, [Set<(event: Event) => void>, (event: Event) => void]>()

/**
 * Adds a passive, capture-phase click handler to `doc` and returns the function that removes it.
 *
 * The script tag's declarative handlers (goals and steps, slot rewards) share one real listener,
 * which calls them in the order they were added: every listener the browser calls is a crossing
 * into script, on every click of the page. One that throws does not keep the others from running,
 * nor reaches the page. The same function added twice runs twice.
 */
export const listenClicks = (doc: Document, handler: (event: Event) => void): (() => void) => {
  let shared = byDocument.get(doc)
  if (!shared) {
    const handlers = new Set<(event: Event) => void>()
    shared = [
      handlers,
      (event) => {
        for (const fn of handlers) {
          try {
            fn(event)
          } catch {
            // See above.
          }
        }
      },
    ]
    byDocument.set(doc, shared)
    doc.addEventListener('click', shared[1], OPTIONS)
  }
  const [handlers, dispatch] = shared
  const own = (event: Event): void => handler(event)
  handlers.add(own)
  return () => {
    if (handlers.delete(own) && !handlers.size) {
      doc.removeEventListener('click', dispatch, OPTIONS)
      byDocument.delete(doc)
    }
  }
}
