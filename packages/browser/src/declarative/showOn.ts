import type { Signal, Tacit } from '@tacit/core'
import type { Binder, Report } from './binder'
import { nameOf } from './tags'
import { signalMatches } from './targetMatch'

/** Drop-off risk at or above which `data-tacit-show-on="drop-off-risk"` reveals, by default. */
export const DEFAULT_RISK_THRESHOLD = 0.6

/**
 * Changes come with every signal, hover and training slice; the risk moves slowly, and matters
 * most when the person pauses. The risk is checked once changes have stopped for
 * `RISK_CHECK_MS`, and at the latest `RISK_MAX_WAIT_MS` after the first change not yet checked.
 * Checking on every change was about a quarter of Tacit's script time in a busy session
 * (scripts/bench/session.mjs); once a second after a change, still about 7% of it (each check is
 * a feature vector and a TF.js inference per head).
 */
export const RISK_CHECK_MS = 1000
export const RISK_MAX_WAIT_MS = 5000

type Trigger = 'hesitation' | 'rage-click' | 'drop-off-risk'
const TRIGGERS: readonly Trigger[] = ['hesitation', 'rage-click', 'drop-off-risk']

interface Watch {
  trigger: Trigger
  /** `data-tacit-target`: only signals about these elements count. */
  selector: string | null
  threshold: number
}

/**
 * `data-tacit-show-on="hesitation" | "rage-click" | "drop-off-risk"` on a `hidden` element:
 * its `hidden` attribute is removed, once, when
 * - a signal of that type fires (about an element matching `data-tacit-target`, if set), or
 * - for `drop-off-risk`, once Tacit is ready, `predict().dropOff` is at least
 *   `data-tacit-threshold` (0.6), checked at ready, when such an element appears, and after
 *   changes: once they stop for `RISK_CHECK_MS`, at the latest `RISK_MAX_WAIT_MS` after the first.
 */
export const bindShowOn = (tacit: Tacit, doc: Document, report: Report): Binder => {
  const watching = new Map<Element, Watch>()
  let ready = false

  const show = (el: Element): void => {
    watching.delete(el)
    el.removeAttribute('hidden')
  }

  const onSignal = (signal: Signal): void => {
    for (const [el, watch] of watching) {
      if (watch.trigger !== signal.type) continue
      if (watch.selector === null || signalMatches(doc, watch.selector, signal.target)) show(el)
    }
  }

  const checkRisk = (): void => {
    if (!ready || tacit.consent === 'denied') return
    let risk: number | undefined
    for (const [el, watch] of watching) {
      if (watch.trigger !== 'drop-off-risk') continue
      risk ??= tacit.predict().dropOff
      if (risk >= watch.threshold) show(el)
    }
  }
  const guard = (fn: () => void): void => {
    try {
      fn()
    } catch (error) {
      report(error)
    }
  }

  let riskTimer: ReturnType<typeof setTimeout> | undefined
  /** When the first change not yet checked came, and the latest (Date.now()). */
  let firstChange = 0
  let lastChange = 0
  // One timer per check, not one per change: changes come with every hover and click, and a
  // setTimeout with its clearTimeout costs some 4 µs in Chromium (measured; 13 ms of Tacit's
  // profiled session time went there). A timer that fires before the check is due waits the rest.
  const waitForCheck = (ms: number): void => {
    riskTimer = setTimeout(() => {
      const t = Date.now()
      const due = Math.min(lastChange + RISK_CHECK_MS, firstChange + RISK_MAX_WAIT_MS)
      if (t < due) return waitForCheck(due - t)
      riskTimer = undefined
      guard(checkRisk)
    }, ms)
  }
  const riskChanged = (): void => {
    if (!ready) return
    for (const watch of watching.values()) {
      if (watch.trigger !== 'drop-off-risk') continue
      lastChange = Date.now()
      if (riskTimer === undefined) {
        firstChange = lastChange
        waitForCheck(RISK_CHECK_MS)
      }
      return
    }
  }

  let bound = true
  const offs = [
    tacit.on('hesitation', (s) => guard(() => onSignal(s))),
    tacit.on('rage-click', (s) => guard(() => onSignal(s))),
    tacit.subscribe(riskChanged),
  ]
  tacit.ready.then(() => {
    if (!bound) return
    ready = true
    guard(checkRisk)
  })

  return {
    add(el) {
      if (watching.has(el)) return
      const watch = readWatch(doc, el, report)
      if (!watch) return
      watching.set(el, watch)
      if (watch.trigger === 'drop-off-risk') checkRisk()
    },
    unbind() {
      bound = false
      clearTimeout(riskTimer)
      offs.forEach((off) => off())
      watching.clear()
    },
  }
}

const readWatch = (doc: Document, el: Element, report: Report): Watch | null => {
  const raw = el.getAttribute('data-tacit-show-on') || ''
  const trigger = raw.trim().toLowerCase() as Trigger
  if (!TRIGGERS.includes(trigger)) {
    report(`${nameOf(el)} data-tacit-show-on="${raw}" is not one of: ${TRIGGERS.join(', ')}`)
    return null
  }
  const target = el.getAttribute('data-tacit-target')
  const selector = target === null || target.trim() === '' ? null : target.trim()
  if (selector !== null) {
    try {
      doc.querySelector(selector)
    } catch {
      report(`${nameOf(el)} data-tacit-target="${target}" is not a valid CSS selector`)
      return null
    }
  }
  let threshold = DEFAULT_RISK_THRESHOLD
  const rawThreshold = el.getAttribute('data-tacit-threshold')
  if (rawThreshold !== null) {
    const n = rawThreshold.trim() === '' ? NaN : Number(rawThreshold)
    if (n >= 0 && n <= 1) threshold = n
    else report(`${nameOf(el)} data-tacit-threshold="${rawThreshold}" must be a number from 0 to 1; using ${DEFAULT_RISK_THRESHOLD}`)
  }
  return { trigger, selector, threshold }
}
