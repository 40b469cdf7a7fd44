import type { Tacit } from '@tacit/core'
import { listen } from '@tacit/core/internal'

/**
 * `data-tacit-goal="purchase"` (optional `data-tacit-value="49"`): a click on the element is
 * `track(goal, value)`. `data-tacit-step="checkout:shipping"`: a click on an interactive element
 * records the step; on any other element, the page being shown records it.
 */
export const bindGoalsAndSteps = (tacit: Tacit, doc: Document): (() => void) => {
  const onClick = (e: Event): void => {
    const el = e.target instanceof Element ? e.target : null
    if (!el) return
    const goal = el.closest('[data-tacit-goal]')
    if (goal) {
      const raw = goal.getAttribute('data-tacit-value')
      // An empty value is no value (Number('') would be 0); anything else the API validates.
      const value = raw === null || raw.trim() === '' ? undefined : Number(raw)
      tacit.track(goal.getAttribute('data-tacit-goal') || '', value)
    }
    const step = el.closest('[data-tacit-step]')
    if (step && isInteractive(step)) recordStep(tacit, step)
  }
  // Core's shared listener (signals/listen.ts): one call into script per click for core and the tag.
  const off = listen(doc, 'click', onClick)
  for (const el of Array.from(doc.querySelectorAll('[data-tacit-step]'))) {
    if (!isInteractive(el)) recordStep(tacit, el)
  }
  return off
}

const isInteractive = (el: Element): boolean =>
  el.matches('a[href],button,input[type=submit],input[type=button],[role=button],[role=link]')

const recordStep = (tacit: Tacit, el: Element): void => {
  const value = el.getAttribute('data-tacit-step') || ''
  const i = value.indexOf(':')
  tacit.step(i < 0 ? value : value.slice(0, i), i < 0 ? '' : value.slice(i + 1))
}
