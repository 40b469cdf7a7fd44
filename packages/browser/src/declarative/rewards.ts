import type { Tacit } from '@tacit/core'
import { listen } from '@tacit/core/internal'
import type { Report } from './binder'

/**
 * Rewards a slot's decision from clicks inside the slot: on an element with
 * `data-tacit-reward` (its number, 1 when empty) or with `data-tacit-goal` (1). The innermost
 * such element and the innermost slot around it count. `reward` applies once per decision.
 */
export const bindSlotRewards = (tacit: Tacit, doc: Document, report: Report): (() => void) => {
  const onClick = (e: Event): void => {
    const el = e.target instanceof Element ? e.target : null
    const trigger = el?.closest('[data-tacit-reward],[data-tacit-goal]')
    const slot = trigger?.closest('[data-tacit-slot]')
    if (!trigger || !slot) return
    const raw = trigger.getAttribute('data-tacit-reward')
    // Not a number: NaN reaches reward(), which reports it and changes nothing.
    const value = raw === null || raw.trim() === '' ? 1 : Number(raw)
    try {
      tacit.reward((slot.getAttribute('data-tacit-slot') || '').trim(), value)
    } catch (error) {
      report(error)
    }
  }
  // Core's shared listener, as goals.ts.
  return listen(doc, 'click', onClick)
}
