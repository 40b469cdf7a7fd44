import type { ProfileData } from '../profile/types'
import type { DeviceClass } from './device'
import { FEATURE_COUNT } from './names'

/** Everything a feature vector depends on. Same input, same vector. */
export interface FeatureInput {
  data: ProfileData
  /** The session of this page. */
  sessionId: string
  /** Engaged ms on this page so far (live, not yet in the session record). */
  pageEngagedMs: number
  /** Epoch ms. */
  now: number
  /** Minutes east of UTC of the person's clock (`-new Date().getTimezoneOffset()`). */
  utcOffsetMinutes: number
  device: DeviceClass
  /** The declared funnels, for progress as a share of each funnel's steps. */
  funnels: Record<string, readonly string[]>
  /**
   * The sum of `dwellMs` over `data.items`, when the caller keeps it (see `Profile.dwellMs`);
   * summed here otherwise.
   */
  dwellMs?: number
}

const DAY = 86_400_000
const log = (x: number, cap: number): number => (x > 0 ? Math.min(1, Math.log1p(x) / Math.log1p(cap)) : 0)
const clip = (x: number): number => (x > 0 ? (x < 1 ? x : 1) : 0)

/**
 * The feature vector for this moment: one fixed-length `Float32Array` in the order of
 * `FEATURES` (see `names.ts` for each normalisation). Pure: it reads only its input.
 */
export const featureVector = (input: FeatureInput, out = new Float32Array(FEATURE_COUNT)): Float32Array => {
  const { data, sessionId, now } = input
  const session = data.sessions[sessionId]
  const counts = session?.counts ?? {}
  const c = (type: string): number => counts[type] || 0

  let formAbandons = 0
  let previousEnd = 0
  for (const id in data.sessions) {
    const s = data.sessions[id]
    formAbandons += s.counts['form-abandon'] || 0
    if (id !== sessionId && s.lastActive > previousEnd) previousEnd = s.lastActive
  }
  let funnelProgress = 0
  let dropOffs = 0
  for (const name in data.funnels) {
    const f = data.funnels[name]
    dropOffs += f.dropOffs
    const steps = input.funnels[name]?.length
    if (steps && f.sessionId === sessionId && f.furthest >= 0) funnelProgress = Math.max(funnelProgress, (f.furthest + 1) / steps)
  }
  let goals = 0
  for (const g in data.outcomes) goals += data.outcomes[g].count
  let dwell = input.dwellMs
  if (dwell === undefined) {
    dwell = 0
    for (const id in data.items) dwell += data.items[id].dwellMs
  }

  const hesitations = c('hesitation')
  const visits = data.visitor?.visits ?? 1
  // The person's clock, without a Date: whole minutes of the day, and the weekday (day 0 of the
  // epoch was a Thursday).
  const local = now + input.utcOffsetMinutes * 60_000
  const day = Math.floor(local / DAY)
  const minute = Math.floor((local - day * DAY) / 60_000)
  const hour = ((minute / 60) | 0) + (minute % 60) / 60
  const weekday = (((day + 4) % 7) + 7) % 7

  out[0] = log(input.pageEngagedMs / 1000, 600)
  out[1] = log(((session?.engagedMs ?? 0) + input.pageEngagedMs) / 1000, 1800)
  out[2] = clip((session?.maxScroll ?? 0) / 100)
  out[3] = log(hesitations, 20)
  out[4] = hesitations ? clip((session?.hesitationMs ?? 0) / hesitations / 5000) : 0
  out[5] = log(c('rage-click'), 10)
  out[6] = log(c('dead-click'), 10)
  out[7] = log(formAbandons, 5)
  out[8] = log(c('idle'), 10)
  out[9] = log(c('quick-back'), 5)
  out[10] = clip(funnelProgress)
  out[11] = log(dropOffs, 10)
  out[12] = log(goals, 20)
  out[13] = log(session?.pages ?? 1, 20)
  out[14] = log(visits, 50)
  out[15] = visits > 1 ? 1 : 0
  out[16] = previousEnd ? log((now - previousEnd) / DAY, 90) : 0
  out[17] = log(dwell / 1000, 600)
  out[18] = Math.sin((2 * Math.PI * hour) / 24)
  out[19] = Math.cos((2 * Math.PI * hour) / 24)
  out[20] = Math.sin((2 * Math.PI * weekday) / 7)
  out[21] = Math.cos((2 * Math.PI * weekday) / 7)
  out[22] = input.device === 'mobile' ? 1 : 0
  out[23] = input.device === 'tablet' ? 1 : 0
  return out
}
