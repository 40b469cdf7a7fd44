import { deadClick } from './deadClick'
import type { Detector } from './detector'
import { dwell } from './dwell'
import { engagedTime } from './engagedTime'
import { formAbandon } from './formAbandon'
import { hesitation } from './hesitation'
import { idle } from './idle'
import { rageClick } from './rageClick'
import { scrollDepth } from './scrollDepth'
import type { SignalType } from './types'

/**
 * The DOM detectors by signal type. `drop-off` and `quick-back` are about sessions and pages,
 * not elements: `api/session.ts` reports them.
 */
export const DETECTORS: Partial<Record<SignalType, Detector>> = {
  dwell,
  'engaged-time': engagedTime,
  hesitation,
  'rage-click': rageClick,
  'dead-click': deadClick,
  'scroll-depth': scrollDepth,
  'form-abandon': formAbandon,
  idle,
}
