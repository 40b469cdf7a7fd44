import { clearTimer, now, setTimer, type TimerId } from '../env'
import type { ResolvedOptions } from '../options'
import type { Profile } from '../profile/profile'
import type { ProfileData } from '../profile/types'
import type { Activity } from '../signals/activity'
import type { Signal } from '../signals/types'

const newId = (): string => {
  const c = (globalThis as { crypto?: Crypto }).crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  return `${now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * The visit this page belongs to. A session continues across pages while the person comes back
 * within `sessionTimeoutMs` (30 min); it ends when the page stays hidden that long or on the
 * first page after that. Ending a session reports `drop-off` for each declared funnel left
 * before its last step. On arrival by the back button, a previous page left within
 * `quickBackMs` with no interaction is reported as `quick-back`.
 */
export class Session {
  id = newId()
  private _arrivedAt = now()
  private _hiddenAt: number | undefined
  private _timer: TimerId | undefined
  private _ended = false
  /** Called when a session is over (timed out, or found expired at start-up), with its last activity. */
  onEnded: (sessionId: string, lastActive: number) => void = () => {}

  constructor(
    private _profile: Profile,
    private _opts: ResolvedOptions,
    private _activity: Activity,
    private _emit: (signal: Signal) => void,
    private _page: string,
    private _navigationType: () => string | undefined,
  ) {}

  /**
   * Decides, once the stored profile is known (or that there is none), whether this page
   * continues a session, and counts the page and the visit.
   */
  resolve(stored: ProfileData | undefined): void {
    const t = now()
    const visitor = stored?.visitor
    const previous = visitor ? stored.sessions[visitor.sessionId] : undefined
    const continuing = !!previous && t - previous.lastActive < this._opts.sessionTimeoutMs
    if (previous && !continuing) {
      this._dropOffs(previous.id, previous.lastActive)
      this.onEnded(previous.id, previous.lastActive)
    }
    if (continuing) {
      this._profile.renameSession(this.id, previous.id)
      this.id = previous.id
    }
    this._profile.recordSession({ id: this.id, start: t, lastActive: t, pages: 1, engagedMs: 0, maxScroll: 0, counts: {}, updatedAt: t })
    this._profile.recordVisitor({
      key: 'visitor',
      firstSeen: t,
      lastSeen: t,
      visits: continuing ? 0 : 1,
      sessionId: this.id,
      updatedAt: t,
    })
    if (visitor?.lastPage && this._navigationType() === 'back_forward') {
      const page = visitor.lastPage
      const stay = page.leftAt - page.arrivedAt
      if (page.path !== this._page && !page.interacted && stay >= 0 && stay < this._opts.quickBackMs) {
        this._emit({ type: 'quick-back', t, target: page.path, ms: stay })
      }
    }
  }

  /** Records a funnel step; the caller has checked that the funnel and step are declared. */
  step(funnel: string, index: number): void {
    const t = now()
    const last = this._opts.funnels[funnel].length - 1
    this._profile.recordFunnel({
      funnel,
      sessionId: this.id,
      furthest: index,
      completions: index === last ? 1 : 0,
      dropOffs: 0,
      updatedAt: t,
    })
  }

  /** The page hid: remember it for quick-back and start the session-timeout clock. */
  hidden(): void {
    const t = now()
    this._hiddenAt = t
    this._touch(t)
    this._profile.recordVisitor({
      key: 'visitor',
      firstSeen: t,
      lastSeen: t,
      visits: 0,
      sessionId: this.id,
      lastPage: { path: this._page, arrivedAt: this._arrivedAt, leftAt: t, interacted: this._activity.interacted },
      updatedAt: t,
    })
    clearTimer(this._timer)
    this._timer = setTimer(() => this._end(), this._opts.sessionTimeoutMs)
  }

  /** The page is visible again: if it was hidden for the timeout, a new session begins. */
  visible(): void {
    clearTimer(this._timer)
    this._timer = undefined
    const hiddenFor = this._hiddenAt === undefined ? 0 : now() - this._hiddenAt
    this._hiddenAt = undefined
    if (this._ended || hiddenFor >= this._opts.sessionTimeoutMs) {
      this._end()
      this._ended = false
      this.id = newId()
      this._arrivedAt = now()
      this.resolve(undefined)
    }
  }

  destroy(): void {
    clearTimer(this._timer)
    this._timer = undefined
  }

  private _end(): void {
    if (this._ended) return
    this._ended = true
    const at = this._hiddenAt ?? now()
    this._dropOffs(this.id, at)
    this.onEnded(this.id, at)
  }

  private _touch(t: number): void {
    this._profile.recordSession({ id: this.id, start: t, lastActive: t, pages: 0, engagedMs: 0, maxScroll: 0, counts: {}, updatedAt: t })
  }

  /** Reports drop-off for every declared funnel that `sessionId` entered but did not finish. */
  private _dropOffs(sessionId: string, t: number): void {
    for (const funnel in this._opts.funnels) {
      const steps = this._opts.funnels[funnel]
      const record = this._profile.data.funnels[funnel]
      if (!record || record.sessionId !== sessionId) continue
      if (record.furthest < 0 || record.furthest >= steps.length - 1) continue
      this._emit({ type: 'drop-off', t, target: funnel, funnel, step: steps[record.furthest], index: record.furthest })
      this._profile.recordFunnel({ funnel, sessionId: newId(), furthest: -1, completions: 0, dropOffs: 1, updatedAt: now() })
    }
  }
}
