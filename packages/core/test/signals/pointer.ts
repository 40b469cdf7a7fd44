/**
 * Pointer moves as a browser reports them: `pointerout` on the element left (with the element
 * entered as relatedTarget), then `pointerover` on the element entered. `null` is outside the
 * window.
 */
export const movePointer = (from: Element | null, to: Element | null): void => {
  from?.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, relatedTarget: to }))
  to?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, relatedTarget: from }))
}

export const click = (el: Element): void => {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true }))
}
