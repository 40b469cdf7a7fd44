/**
 * How long a slot or ranked container may stay hidden while Tacit decides: after this, it shows
 * the fallback (the first variant, the page's own order).
 */
export const ANTI_FLICKER_MS = 300

/** Set on a slot or ranked container once it is decided and shown (useful for page CSS). */
export const READY_ATTR = 'data-tacit-ready'

const saved = new WeakMap<Element, [value: string, priority: string]>()

const styleOf = (el: Element): CSSStyleDeclaration | undefined => (el as HTMLElement).style

/**
 * Hides `el` without moving anything: `visibility: hidden` keeps its box, so the page around it
 * does not shift. Set through the CSSOM (not a `style` attribute or a `<style>` element), which a
 * strict Content-Security-Policy allows; `!important` so page CSS cannot show it early.
 */
export const hide = (el: Element): void => {
  const style = styleOf(el)
  if (!style || saved.has(el)) return
  saved.set(el, [style.getPropertyValue('visibility'), style.getPropertyPriority('visibility')])
  style.setProperty('visibility', 'hidden', 'important')
}

/** Undoes `hide` (restoring the element's own inline visibility, if any) and marks it ready. */
export const reveal = (el: Element): void => {
  const prev = saved.get(el)
  const style = styleOf(el)
  if (prev && style) {
    saved.delete(el)
    if (prev[0]) style.setProperty('visibility', prev[0], prev[1])
    else style.removeProperty('visibility')
    if (el.getAttribute('style') === '') el.removeAttribute('style')
  }
  el.setAttribute(READY_ATTR, '')
}

export const isHidden = (el: Element): boolean => saved.has(el)

/**
 * Calls `cb` once a frame has been painted after now, so that what changed while an element was
 * hidden is already in place when it shows: Chromium counts an element that moves and becomes
 * visible in the same frame as a layout shift. Without frames (a background tab), after 1 s.
 * Returns the function that cancels it.
 */
export const afterNextPaint = (cb: () => void): (() => void) => {
  let frame: number | undefined
  const stop = (): void => {
    clearTimeout(fallback)
    if (frame !== undefined) cancelAnimationFrame(frame)
  }
  const run = (): void => {
    stop()
    cb()
  }
  // Without frames (a background tab) nobody sees a shift; on a busy page the first frame can take
  // longer than 100 ms, so the fallback is long and frames decide.
  const fallback = setTimeout(run, 1000)
  // The second frame's callbacks run after the first frame, which painted the moved nodes while
  // still hidden, has been presented: revealing then moves nothing.
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(run)
    })
  }
  return stop
}
