import type { ResolvedOptions } from '../options'
import { now } from '../env'
import { eventTime, rereadClocks } from './eventTime'
import { listen, type Disposer } from './listen'

/**
 * Page activity and visibility, from input timestamps only (`pointerdown`, `keydown`, `wheel`,
 * `scroll`, `pointerover`): no layout reads, no `pointermove` listener.
 *
 * Its core is an "engaged clock": milliseconds during which the page was visible and the person
 * active (input within `activeWindowMs`). Engaged time and dwell are differences of this clock.
 */
/** Input within this many ms of the last input handled in full is coalesced (`_onEvent`). */
const COALESCE_MS = 250

export class Activity {
  /** Epoch ms of the last input. The page load counts as input. */
  lastInput: number
  visible: boolean
  /** True once the person has interacted with the page (not counting the load). */
  interacted = false
  private _engaged = 0
  private _settledAt: number
  /** `timeStamp` of the last trusted input handled in full (see `_onEvent`). */
  private _lastStamp = -Infinity
  private _coalesceMs: number
  private _listeners = new Set<(kind: 'input' | 'visible' | 'hidden') => void>()

  constructor(
    private _doc: Document,
    private _opts: Pick<ResolvedOptions, 'activeWindowMs'> & Partial<Pick<ResolvedOptions, 'idleMs'>>,
    private _onError: (error: unknown) => void = () => {},
  ) {
    this._coalesceMs = Math.min(COALESCE_MS, _opts.activeWindowMs, _opts.idleMs ?? Infinity)
    const t = now()
    this.lastInput = t
    this._settledAt = t
    this.visible = _doc.visibilityState !== 'hidden'
  }

  attach(disposer: Disposer): void {
    const onInput = (e: Event): void => this._onEvent(e)
    for (const type of ['pointerdown', 'keydown', 'wheel', 'pointerover', 'touchstart']) {
      disposer.add(listen(this._doc, type, onInput))
    }
    // Scroll does not bubble from elements to the document, but capture sees it.
    disposer.add(listen(this._doc, 'scroll', onInput))
    disposer.add(
      listen(this._doc, 'visibilitychange', () => this.setVisible(this._doc.visibilityState !== 'hidden')),
    )
    // pagehide without visibilitychange happens in some browsers when a tab closes.
    const w = this._doc.defaultView
    if (w) {
      disposer.add(listen(w, 'pagehide', () => this.setVisible(false)))
      // A page restored from the back/forward cache after such a pagehide is shown again without
      // any visibilitychange (its state never left 'visible'): without this it would stay hidden.
      disposer.add(listen(w, 'pageshow', () => this.setVisible(this._doc.visibilityState !== 'hidden')))
    }
  }

  /**
   * Hot path: every pointerover, wheel and scroll event of the page comes here, thousands in a
   * busy minute. Input that continues input handled less than `_coalesceMs` before (on the
   * event's own clock) only moves `lastInput` on by the time between the two: no clock read, no
   * settle, no notification. That is exact: a settle only matters after a gap of `activeWindowMs`,
   * and subscribers only act on input after idle (`idleMs`), both longer than `_coalesceMs`.
   */
  private _onEvent(e: Event): void {
    const trusted = e.isTrusted === true
    const d = e.timeStamp - this._lastStamp
    if (trusted && d >= 0 && d < this._coalesceMs) {
      this._lastStamp = e.timeStamp
      this.lastInput += d
      return
    }
    this._lastStamp = trusted ? e.timeStamp : -Infinity
    this.input(eventTime(e))
  }

  /**
   * Records input at `t` (when it happened; default now). Hot path: a timestamp and, at most,
   * a settle.
   */
  input(t = now()): void {
    // An input handled late can predate the last settle (a visibility change handled first):
    // the clock is never wound back, or the time in between would count twice.
    if (t < this._settledAt) t = this._settledAt
    this._settle(t)
    this.lastInput = t
    if (!this.interacted) this.interacted = true
    this._notify('input')
  }

  setVisible(visible: boolean): void {
    // Hidden or shown (a computer put to sleep, say): stamps are placed by freshly read clocks.
    rereadClocks()
    if (visible === this.visible) return
    const t = now()
    this._settle(t)
    this.visible = visible
    this._notify(visible ? 'visible' : 'hidden')
  }

  /** Engaged milliseconds since this page started, at time `t`. Monotonic. */
  engagedClock(t = now()): number {
    return this._engaged + this._pending(t)
  }

  /** True when the page is visible and there was input within the active window. */
  isActive(t = now()): boolean {
    return this.visible && t - this.lastInput < this._opts.activeWindowMs
  }

  subscribe(cb: (kind: 'input' | 'visible' | 'hidden') => void): () => void {
    this._listeners.add(cb)
    return () => this._listeners.delete(cb)
  }

  private _pending(t: number): number {
    if (!this.visible) return 0
    const activeUntil = this.lastInput + this._opts.activeWindowMs
    const end = Math.min(t, activeUntil)
    return end > this._settledAt ? end - this._settledAt : 0
  }

  private _settle(t: number): void {
    this._engaged += this._pending(t)
    this._settledAt = t
  }

  private _notify(kind: 'input' | 'visible' | 'hidden'): void {
    for (const cb of this._listeners) {
      try {
        cb(kind)
      } catch (error) {
        // One subscriber's fault must not stop the others nor reach the page.
        this._onError(error)
      }
    }
  }
}
