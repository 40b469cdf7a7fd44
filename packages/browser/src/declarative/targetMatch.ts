/**
 * Signals describe their element as a string (core's `describeTarget`): the `data-tacit-item` id
 * of the nearest tracked element, else tag plus id, role or name (`button#buy`). These mirror
 * core's rules, so a selector can be matched against a signal; keep them in step with
 * packages/core/src/signals/target.ts (a unit test compares the two).
 */

const INTERACTIVE =
  'a[href],button,input,select,textarea,summary,label,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[role=radio],[role=switch],[role=option],[tabindex],[data-tacit-item],[data-tacit-goal]'

const short = (s: string, max = 64): string => (s.length > max ? s.slice(0, max) : s)

const describeElement = (el: Element): string => {
  const tag = el.localName || el.nodeName.toLowerCase()
  const id = el.getAttribute('id')
  if (id) return `${tag}#${short(id)}`
  const role = el.getAttribute('role')
  if (role) return `${tag}[role=${short(role)}]`
  const name = el.getAttribute('name')
  if (name) return `${tag}[name=${short(name)}]`
  return tag
}

/** The `target` string a signal about `el` carries. */
export const targetOf = (el: Element): string => {
  const tracked = el.closest('[data-tacit-item]')
  if (tracked) return short(tracked.getAttribute('data-tacit-item') || '') || describeElement(tracked)
  return describeElement(el)
}

/**
 * Whether a signal's `target` is an element that `selector` selects, an element inside one, or
 * the interactive element around one (hesitation is reported for the button, not its label).
 * Descriptions are not unique: give the elements a selector targets an id.
 */
export const signalMatches = (doc: Document, selector: string, target: string): boolean => {
  for (const el of Array.from(doc.querySelectorAll(selector))) {
    if (targetOf(el) === target) return true
    const around = el.closest(INTERACTIVE)
    if (around && targetOf(around) === target) return true
    for (const inner of Array.from(el.querySelectorAll('*'))) if (targetOf(inner) === target) return true
  }
  return false
}
