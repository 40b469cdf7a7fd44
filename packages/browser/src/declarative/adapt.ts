import type { Tacit } from '@tacit/core'
import { ANTI_FLICKER_MS } from './antiFlicker'
import type { Report } from './binder'
import { createGate } from './gate'
import { watchAdded } from './observe'
import { bindRank } from './rank'
import { followConsent } from './followConsent'
import { bindSlotRewards } from './rewards'
import { bindShowOn } from './showOn'
import { bindSlots } from './slots'

const SELECTOR = '[data-tacit-slot],[data-tacit-rank],[data-tacit-show-on]'

/**
 * The page adapts itself from attributes: `data-tacit-slot` (a variant chosen by `decide`),
 * `data-tacit-rank` (items ordered by `rank`) and `data-tacit-show-on` (help revealed on a
 * signal), for what is in the page now and what is added later. Slots and ranked containers stay
 * hidden until decided, at most `ANTI_FLICKER_MS`. Returns the function that undoes the binding
 * (and shows anything still hidden).
 */
export const bindAdaptation = (tacit: Tacit, doc: Document, report: Report): (() => void) => {
  const gate = createGate(tacit.ready, ANTI_FLICKER_MS, report)
  const slots = bindSlots(tacit, doc, gate, report)
  const ranks = bindRank(tacit, gate, report)
  const showOn = bindShowOn(tacit, doc, report)
  const unbindRewards = followConsent(tacit, () => bindSlotRewards(tacit, doc, report))

  const add = (el: Element): void => {
    try {
      if (el.hasAttribute('data-tacit-slot')) slots.add(el)
      if (el.hasAttribute('data-tacit-rank')) ranks.add(el)
      if (el.hasAttribute('data-tacit-show-on')) showOn.add(el)
    } catch (error) {
      report(error)
    }
  }
  const scan = (root: Element): void => {
    if (root.matches(SELECTOR)) add(root)
    for (const el of Array.from(root.querySelectorAll(SELECTOR))) add(el)
  }

  // Watch first: rendering a slot adds elements (a slot or show-on inside a variant) to bind too.
  const stopWatching = watchAdded(doc, scan)
  scan(doc.documentElement)
  return () => {
    stopWatching()
    gate.close()
    unbindRewards()
    slots.unbind()
    ranks.unbind()
    showOn.unbind()
  }
}
