import { rankItems } from '../model/interests'
import type { ResolvedOptions } from '../options'
import type { Profile } from '../profile/profile'
import { Decisions } from './decisions'
import { explainItem } from './explainItem'
import { explainPrediction } from './explainPrediction'
import { Models } from './models'

/** What the page hands the model chunk. */
export interface AdaptiveDeps {
  profile: Profile
  opts: ResolvedOptions
  sessionId(): string
  /** Engaged time on this page not yet counted in the session record. */
  pageEngagedMs(): number
  onError(error: unknown): void
  /** False when consent is denied or Tacit was destroyed. */
  enabled(): boolean
  /** True once the stored profile is loaded. */
  loaded(): boolean
  /** Fallbacks `decide` returned before this chunk loaded, per slot. */
  shown: Map<string, string>
  /** Called when training moved the intent model. */
  onTrained(): void
}

/** The adaptive half of Tacit: models, decisions and ranking. */
export interface Adaptive {
  models: Models
  decisions: Decisions
  rank: typeof rankItems
  explainItem: typeof explainItem
  explainPrediction: typeof explainPrediction
}

/**
 * The entry of the lazy model chunk. Everything that learns or decides (features, TF.js, the
 * bandits, ranking) is imported from here, so a bundler splits it from the capture code: the
 * page imports this module at start-up, in parallel with the profile read (DESIGN: sizes).
 */
export const createAdaptive = (d: AdaptiveDeps): Adaptive => {
  const models = new Models(d.profile, d.opts, d.sessionId, d.pageEngagedMs, d.onError)
  models.onTrained = d.onTrained
  models.load()
  const decisions = new Decisions(d.profile, models, d.opts, d.sessionId, d.enabled, d.loaded, d.shown)
  return { models, decisions, rank: rankItems, explainItem, explainPrediction }
}
