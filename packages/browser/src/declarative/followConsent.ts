import type { Tacit } from '@tacit/core'

/**
 * Keeps listeners attached only while consent is not `denied`: with consent denied, Tacit adds no
 * listener at all. `attach` adds them and returns their removal; they are added again if consent
 * later changes to `pending` or `granted`. Returns the function that removes everything.
 */
export const followConsent = (tacit: Tacit, attach: () => () => void): (() => void) => {
  let detach: (() => void) | undefined
  const sync = (): void => {
    if (tacit.consent === 'denied') {
      detach?.()
      detach = undefined
    } else if (!detach) detach = attach()
  }
  sync()
  const unsubscribe = tacit.subscribe(sync)
  return () => {
    unsubscribe()
    detach?.()
    detach = undefined
  }
}
