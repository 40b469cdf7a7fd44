import { now } from '../env'
import { listenAtTarget } from './atTarget'
import type { Detector } from './detector'
import { eventTime } from './eventTime'
import { asElement, describeTarget, isIgnored, isTextLike } from './target'

interface PendingClick {
  el: Element
  /** When the click happened: the time the signal carries. */
  t: number
  /** When it was handled: the page's own handlers run then too, so its windows start there. */
  at: number
}

/**
 * `dead-click`: a click that the page visibly ignores. It stays pending until the end of its
 * windows and is dropped by any DOM mutation within `deadClickMutationMs` (2500), any scroll or
 * selection change within `deadClickScrollMs` (100), or any navigation (`pagehide`,
 * `beforeunload`, `popstate`, `hashchange`), visibility or focus change (`focusin`, `focusout`,
 * window `blur`, which a file picker or a new window causes) within `deadClickNavigationMs` (1000). A control's own `input`/`change` counts like a selection
 * change. Windows are inclusive and start when the click is handled (a busy page answers a
 * late click late, which is no dead click). The signal is emitted when the longest window ends
 * (the mutation window, with the defaults) and carries the time of the click.
 *
 * Text fields and steppers are skipped (clicks there move the caret), as are ignored elements.
 * The MutationObserver on the document is attached only while a click is pending. Where there
 * is no MutationObserver nothing can be said about mutations, so nothing is emitted.
 */
export const deadClick: Detector = (ctx) => {
  const { opts } = ctx
  const MO = ctx.win.MutationObserver
  if (typeof MO !== 'function') return
  /** In click order, so the first is the one whose windows end first. */
  const pending = new Set<PendingClick>()
  /** Made at the first click and kept; observing only while a click is pending. */
  let observer: MutationObserver | undefined
  let observing = false
  /** The one timer, set for the end of the first pending click's windows. */
  let timerSet = false

  // The timer is left to run out when the last pending click is dropped: on a page clicked every
  // few seconds, setting and clearing one per click cost more than the one call it saves.
  const drop = (p: PendingClick): void => {
    pending.delete(p)
    if (!pending.size && observing) {
      observer!.disconnect()
      observing = false
    }
  }

  // Drops every pending click that is at most `windowMs` old.
  const cancelWithin = (windowMs: number): void => {
    if (!pending.size) return
    const t = now()
    for (const p of [...pending]) if (t - p.at <= windowMs) drop(p)
  }

  // Records are delivered in a microtask; collecting them synchronously before deciding keeps a
  // mutation that landed just before a timer or a new click from being missed or misattributed.
  const flushMutations = (): void => {
    if (observing && isResponse(observer!.takeRecords())) cancelWithin(opts.deadClickMutationMs)
  }

  const observe = (): void => {
    if (observing) return
    observer ??= new MO((records) => {
      try {
        if (isResponse(records)) cancelWithin(opts.deadClickMutationMs)
      } catch (error) {
        ctx.onError(error)
      }
    })
    observer.observe(ctx.doc, { subtree: true, childList: true, attributes: true, characterData: true })
    observing = true
  }
  ctx.disposer.add(() => {
    observer?.disconnect()
    observing = false
    pending.clear()
  })

  const waitMs = Math.max(opts.deadClickMutationMs, opts.deadClickScrollMs, opts.deadClickNavigationMs)

  // One timer for all pending clicks rather than one each (a timer costs some 4 µs in Chromium):
  // it is set for the first click's end, and when it fires, every click whose windows have ended
  // is decided, and it is set again for the next.
  const arm = (): void => {
    const first = pending.values().next().value
    if (!first || timerSet) return
    timerSet = true
    ctx.timeout(expire, first.at + waitMs - now())
  }
  const expire = (): void => {
    timerSet = false
    flushMutations()
    const t = now()
    for (const p of [...pending]) {
      if (t - p.at < waitMs) break
      drop(p)
      ctx.emit({ type: 'dead-click', t: p.t, ...describeTarget(p.el) })
    }
    arm()
  }

  ctx.listen(ctx.doc, 'click', (e: MouseEvent) => {
    const el = asElement(e.target)
    if (!el || isIgnored(el) || isTextLike(el)) return
    flushMutations()
    const at = now()
    pending.add({ el, t: eventTime(e), at })
    arm()
    observe()
  })

  // A checkbox or radio toggles without any DOM mutation; its `input`/`change` is the reaction.
  const onReaction = (): void => cancelWithin(opts.deadClickScrollMs)
  for (const type of ['scroll', 'selectionchange', 'input', 'change']) ctx.listen(ctx.doc, type, onReaction)

  const onNavigation = (): void => cancelWithin(opts.deadClickNavigationMs)
  for (const type of ['pagehide', 'beforeunload', 'popstate', 'hashchange']) ctx.listen(ctx.win, type, onNavigation)
  // The window's own blur only: in the capture phase every element's blur would pass through, one
  // more call into script per focus change, and `focusout` already sees those.
  listenAtTarget(ctx, ctx.win, 'blur', onNavigation)
  for (const type of ['visibilitychange', 'focusin', 'focusout']) ctx.listen(ctx.doc, type, onNavigation)
}

/** Tacit's own nodes (the scroll-depth sentinels, `data-tacit-own`) changing is no response to a click. */
const isResponse = (records: MutationRecord[]): boolean => {
  for (const r of records) {
    const node = r.target as Element
    const el = node.nodeType === 1 ? node : node.parentElement
    if (!el || !el.closest('[data-tacit-sentinels],[data-tacit-own]')) return true
  }
  return false
}
