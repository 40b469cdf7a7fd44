import type { Consent } from '../options'

/**
 * The consent Tacit acts on: what the site asked for, capped at `pending` when the browser sends
 * Global Privacy Control, unless the site opted out of that with `respectGlobalPrivacyControl: false`.
 */
export const effectiveConsent = (requested: Consent, nav: Navigator | undefined, respectGpc: boolean): Consent => {
  const gpc = !!nav && (nav as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true
  if (requested === 'granted' && gpc && respectGpc) return 'pending'
  return requested
}
