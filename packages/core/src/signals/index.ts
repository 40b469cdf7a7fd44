import { TacitError } from '../errors'
import { deadClick } from './deadClick'
import type { Detector, DetectorContext } from './detector'
import { dwell } from './dwell'
import { engagedTime } from './engagedTime'
import { formAbandon } from './formAbandon'
import { hesitation } from './hesitation'
import { idle } from './idle'
import { trackInteractions, type InteractionReport } from './interactions'
import { rageClick } from './rageClick'
import { scrollDepth } from './scrollDepth'
import type { SignalType } from './types'

/**
 * The DOM detectors by signal type. `drop-off` and `quick-back` are about sessions and pages,
 * not elements: `api/session.ts` reports them.
 */
const DETECTORS: Partial<Record<SignalType, Detector>> = {
  dwell,
  'engaged-time': engagedTime,
  hesitation,
  'rage-click': rageClick,
  'dead-click': deadClick,
  'scroll-depth': scrollDepth,
  'form-abandon': formAbandon,
  idle,
}

/**
 * Attaches the detectors of `types` and the per-item interaction tracking to `ctx` (their
 * listeners go with `ctx.disposer`). A detector that fails to start is reported; the others run.
 *
 * `createTacit` imports this module lazily: for a bundler, the detectors are a chunk of their own,
 * off the entry that loads up front (capture starts a task after `createTacit` anyway).
 */
export const startDetectors = (ctx: DetectorContext, types: readonly SignalType[], onError: (error: unknown) => void, report: InteractionReport): void => {
  for (const type of types) {
    const detector = DETECTORS[type]
    if (!detector) continue
    try {
      detector(ctx)
    } catch (error) {
      onError(new TacitError(`The ${type} detector could not start`, error))
    }
  }
  trackInteractions(ctx, report)
}
