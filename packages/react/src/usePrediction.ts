import { useSelected } from './useSelected'

/** What {@link usePrediction} returns. */
export interface Prediction {
  /** Probability that this person converts, in [0, 1], rounded to 0.01. */
  convert: number
  /** Risk that this person drops off, in [0, 1], rounded to 0.01. */
  dropOff: number
  /** True once Tacit has loaded this person's profile and models (both are 0.5 before). */
  ready: boolean
}

const round = (p: number): number => Math.round(p * 100) / 100

/**
 * Tacit's intent model now: `{ convert, dropOff, ready }`, re-evaluated when Tacit reports a
 * change (a signal, a goal, training). Rounded to hundredths, so the component re-renders only
 * when a value moves by a visible amount.
 *
 * @example
 * ```tsx
 * const { dropOff } = usePrediction()
 * return dropOff > 0.7 ? <FreeReturnsReminder /> : null
 * ```
 */
export function usePrediction(): Prediction {
  return useSelected(
    'usePrediction',
    (tacit, ready): Prediction => {
      const p = tacit ? tacit.predict() : { convert: 0.5, dropOff: 0.5 }
      return { convert: round(p.convert), dropOff: round(p.dropOff), ready }
    },
    (a, b) => a.convert === b.convert && a.dropOff === b.dropOff && a.ready === b.ready,
  )
}
