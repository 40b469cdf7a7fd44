/**
 * Pointer moves as a browser reports them: `pointerout` on the element left (with the element
 * entered as relatedTarget), `pointerleave` (which does not bubble) on it and each ancestor the
 * pointer is no longer over, innermost first; then `pointerover` on the element entered and
 * `pointerenter` on it and each ancestor newly entered. `null` is outside the window: every
 * element is left, the root element last.
 */
export const movePointer = (from: Element | null, to: Element | null): void => {
  if (from) {
    from.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: to }))
    for (const el of chain(from)) {
      if (to && composedContains(el, to)) break
      el.dispatchEvent(new PointerEvent('pointerleave', { relatedTarget: to }))
    }
  }
  if (to) {
    to.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, relatedTarget: from }))
    const entered = []
    for (const el of chain(to)) {
      if (from && composedContains(el, from)) break
      entered.push(el)
    }
    for (const el of entered.reverse()) el.dispatchEvent(new PointerEvent('pointerenter', { relatedTarget: from }))
  }
}

/** The `pointerleave` events of a pointer that leaves the window from `from`. */
export const leavePage = (from: Element): void => {
  for (const el of chain(from)) el.dispatchEvent(new PointerEvent('pointerleave', { relatedTarget: null }))
}

/** `el` and its ancestors, out of shadow roots too. */
const chain = (from: Element): Element[] => {
  const out: Element[] = []
  for (let el: Element | null = from; el; el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null)) out.push(el)
  return out
}

const composedContains = (el: Element, node: Element): boolean => chain(node).includes(el)

export const click = (el: Element): void => {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true }))
}
