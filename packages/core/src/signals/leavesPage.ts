/**
 * Whether a `pointerout` takes the pointer off the page (out of the window, into a frame).
 *
 * A pointerout into another element of the page is followed at once by that element's
 * `pointerover` (the pair the browser dispatches for one move), which does the work: the
 * pointer detectors handle a pointerout only when nothing of this page follows. That halves the
 * ancestor lookups (`closest`) per element crossed, the main cost of pointer handling.
 */
export const leavesPage = (e: PointerEvent, doc: Document): boolean => {
  // Both pointer detectors ask of the same event: the first reads it, the other reuses the answer.
  if (e !== last) {
    const to = e.relatedTarget as Node | null
    last = e
    leaves = !to || to.ownerDocument !== doc
  }
  return leaves
}

let last: Event | undefined
let leaves = false
