import type { Tacit, Variant } from '@tacit/core'
import { useSelected } from './useSelected'
import { variantId } from './variants'

/** What {@link useDecision} returns beside the variant. */
export interface DecisionInfo {
  /** True once Tacit has loaded this person's profile and models. */
  ready: boolean
  /** Why this variant, in plain words (for a "why am I seeing this?" hint). */
  explanation: string
}

/** Options of {@link useDecision}. */
export interface UseDecisionOptions {
  /** The variant to show on the server, before Tacit is ready, or with consent denied. Default: the first. */
  fallback?: string
}

/** Core's own wording before ready, so the instance arriving does not count as a change. */
const LOADING = 'Showing the default while your preferences load.'

/** Internal: `useDecision` for a caller with its own name in the provider error. */
export const decisionHook = (
  name: string,
  slot: string,
  variants: readonly Variant[],
  fallback: string | undefined,
): [string, DecisionInfo] =>
  useSelected(
    name,
    (tacit: Tacit | null, ready): [string, DecisionInfo] => {
      if (!tacit) return [fallback ?? variantId(variants[0]), { ready: false, explanation: LOADING }]
      const d = tacit.decide(slot, variants, { fallback })
      return [d.variant, { ready, explanation: d.explanation }]
    },
    (a, b) => a[0] === b[0] && a[1].ready === b[1].ready && a[1].explanation === b[1].explanation,
  )

/**
 * Picks a variant for `slot` with Tacit's on-device bandit: `[variant, { ready, explanation }]`.
 *
 * On the server and until Tacit is ready it returns the fallback, and a slot that has shown a
 * variant keeps it for the session, so the page never switches content under the reader. The
 * component re-renders only when the variant, `ready` or the explanation changes. Reward the
 * decision with `useTacit()?.reward(slot, value)`.
 *
 * @param variants names, or `{ id, tags }` so the interest model can match them to this person
 * @example
 * ```tsx
 * const [hero, { explanation }] = useDecision('hero', [
 *   { id: 'value', tags: ['budget'] },
 *   { id: 'luxury', tags: ['premium'] },
 * ])
 * ```
 */
export function useDecision(slot: string, variants: readonly Variant[], options: UseDecisionOptions = {}): [string, DecisionInfo] {
  return decisionHook('useDecision', slot, variants, options.fallback)
}
