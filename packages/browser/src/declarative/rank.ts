import type { Tacit } from '@tacit/core'
import { afterNextPaint, hide, reveal } from './antiFlicker'
import type { Binder, Report } from './binder'
import type { Gate } from './gate'
import { parseTags } from './tags'

interface Item {
  id: string
  tags: string[]
  el: Element
}

/**
 * `data-tacit-rank` containers: their direct `data-tacit-item` children are put in the order of
 * `rank` (with their `data-tacit-tags`), once per page load, so nothing reshuffles while the
 * person looks. Other children keep their places (and are never moved): items fill the
 * positions items held.
 *
 * Before Tacit is ready the container is hidden; when `ready` resolves it is ranked, and shown
 * after the next paint (no layout shift). At the anti-flicker deadline it is shown in the page's
 * order instead, and then never reordered. A container added after ready is ranked before it is
 * ever painted.
 */
export const bindRank = (tacit: Tacit, gate: Gate, report: Report): Binder => {
  const seen = new WeakSet<Element>()
  const waiting = new Set<Element>()
  /** Ranked while hidden, shown after the next paint. */
  const settling = new Set<Element>()
  let cancel = (): void => {}

  const rank = (el: Element): void => {
    try {
      const items = itemsOf(el)
      reorder(el, items, tacit.rank(items))
    } catch (error) {
      report(error)
    }
  }

  gate.onChange((phase) => {
    if (phase === 'ready') {
      for (const el of waiting) {
        rank(el)
        settling.add(el)
      }
      if (settling.size) cancel = afterNextPaint(() => {
        settling.forEach(reveal)
        settling.clear()
      })
    } else waiting.forEach(reveal)
    waiting.clear()
  })

  return {
    add(el) {
      if (seen.has(el)) return
      seen.add(el)
      if (gate.phase === 'waiting') {
        hide(el)
        waiting.add(el)
        return
      }
      if (gate.phase === 'ready') rank(el)
      reveal(el)
    },
    unbind() {
      cancel()
      waiting.forEach(reveal)
      settling.forEach(reveal)
      waiting.clear()
      settling.clear()
    },
  }
}

const itemsOf = (el: Element): Item[] =>
  Array.from(el.children)
    .filter((child) => (child.getAttribute('data-tacit-item') || '').trim() !== '')
    .map((child) => ({ id: child.getAttribute('data-tacit-item')!.trim(), tags: parseTags(child.getAttribute('data-tacit-tags')), el: child }))

/**
 * Puts the ranked items into the positions items hold now, by swapping items only: other nodes
 * (an advert, an iframe) are never taken out of the document, so they keep their state.
 */
const reorder = (container: Element, items: readonly Item[], ranked: readonly Item[]): void => {
  const doc = container.ownerDocument
  const active = doc.activeElement
  const at = items.map((item) => item.el)
  ranked.forEach(({ el: wanted }, j) => {
    const here = at[j]
    if (wanted === here) return
    const k = at.indexOf(wanted)
    swap(here, wanted)
    at[k] = here
    at[j] = wanted
  })
  // Moving a node takes the focus out of it: give it back.
  if (active && active !== doc.activeElement && container.contains(active)) {
    ;(active as HTMLElement).focus?.({ preventScroll: true })
  }
}

const swap = (a: Element, b: Element): void => {
  const parent = a.parentNode!
  const afterB = b.nextSibling
  if (afterB === a) {
    parent.insertBefore(a, b)
    return
  }
  parent.insertBefore(b, a)
  parent.insertBefore(a, afterB)
}
