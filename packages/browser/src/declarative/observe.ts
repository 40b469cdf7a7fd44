/**
 * Calls `onAdded` for each element added to the document later (its descendants are the
 * callback's to find). Returns the function that stops watching.
 */
export const watchAdded = (doc: Document, onAdded: (el: Element) => void): (() => void) => {
  const Observer = doc.defaultView?.MutationObserver
  if (typeof Observer !== 'function') return () => {}
  const observer = new Observer((records) => {
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) {
        if (node.nodeType === 1 && node.isConnected) onAdded(node as Element)
      }
    }
  })
  observer.observe(doc.documentElement, { childList: true, subtree: true })
  return () => observer.disconnect()
}
