import { describeTarget, interactiveAncestor } from '@tacit/core'

/**
 * Signals describe their element as a string (`describeTarget` in core): the `data-tacit-item` id
 * of the nearest tracked element, else tag plus id, role or name (`button#buy`).
 */

/** The `target` string a signal about `el` carries. */
export const targetOf = (el: Element): string => describeTarget(el).target

/**
 * Whether a signal's `target` is an element that `selector` selects, an element inside one, or
 * the interactive element around one (hesitation is reported for the button, not its label).
 * Descriptions are not unique: give the elements a selector targets an id.
 */
export const signalMatches = (doc: Document, selector: string, target: string): boolean => {
  for (const el of Array.from(doc.querySelectorAll(selector))) {
    if (targetOf(el) === target) return true
    const around = interactiveAncestor(el)
    if (around && targetOf(around) === target) return true
    for (const inner of Array.from(el.querySelectorAll('*'))) if (targetOf(inner) === target) return true
  }
  return false
}
