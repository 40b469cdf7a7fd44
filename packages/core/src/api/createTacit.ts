import { TacitArgumentError, TacitError, describeValue } from '../errors'
import { SIGNAL_TYPES } from '../signals/types'
import { countWork, getDocument, getNavigator, getWindow, isDev, nextTask, now } from '../env'
import { resolveOptions, type Consent, type TacitOptions } from '../options'
import { Persistence } from '../profile/persistence'
import { Profile } from '../profile/profile'
import { Activity } from '../signals/activity'
import { SignalBus } from '../signals/bus'
import { createDetectorContext } from '../signals/context'
import { Disposer } from '../signals/listen'
import { loadDetectors } from '../signals/load'
import type { Signal } from '../signals/types'
import type { Adaptive } from './adaptive'
import { checkFallback, checkFinite, checkItems, checkName, checkVariants } from './arguments'
import { effectiveConsent } from './consent'
import { pagePath } from './pagePath'
import { Session } from './session'
import { DEFAULT_WHY, OFF_WHY } from './explanations'
import type { ExplainTarget, Tacit, TacitProfile } from './types'
import type { RankItem } from '../model/interests'

/**
 * Creates Tacit for this page: validates the options (a bad option throws `TacitConfigError`),
 * attaches the detectors the consent allows and loads the stored profile. After this call nothing
 * Tacit does throws into the page: faults go to `options.onError`.
 */
export function createTacit(options: TacitOptions = {}): Tacit {
  countWork()
  const opts = resolveOptions(options)
  const onError = (error: unknown): void => {
    try {
      if (opts.onError) opts.onError(error)
      else if (typeof console !== 'undefined') console.warn('[tacit]', error)
    } catch {
      // The site's own error handler failed; there is nowhere left to report to.
    }
  }
  /** Bad arguments: thrown in development, reported and ignored in production. */
  const guard = (fn: () => void): void => {
    try {
      fn()
    } catch (error) {
      if (error instanceof TacitArgumentError && isDev()) throw error
      onError(error)
    }
  }

  const doc = getDocument()
  const win = getWindow()
  const nav = getNavigator()
  const bus = new SignalBus(onError)
  const profile = new Profile(opts.recentSignals, opts.interestHalfLifeDays * 86_400_000)
  const persistence = new Persistence(profile, opts, onError)
  profile.onChange = () => persistence.schedule()

  let consent: Consent = effectiveConsent(opts.consent, nav, opts.respectGlobalPrivacyControl)
  let capture: Disposer | undefined
  let destroyed = false
  const activity = doc ? new Activity(doc, opts, onError) : undefined
  const navigationType = (): string | undefined => {
    try {
      const entry = win?.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined
      return entry?.type
    } catch {
      return undefined
    }
  }
  const session = new Session(
    profile,
    opts,
    activity as Activity,
    (s) => emit(s),
    pagePath(win?.location, opts.keepQueryParams),
    navigationType,
  )

  // Engaged time already counted in the session record, so features do not count it twice.
  let engagedReported = 0
  let loaded = false
  const halfLifeMs = opts.interestHalfLifeDays * 86_400_000
  /** Models, decisions and ranking: the lazy model chunk, undefined until it has loaded. */
  let adaptive: Adaptive | undefined
  /** Fallbacks `decide` returned before the model chunk loaded, per slot (kept: no flicker). */
  const shown = new Map<string, string>()
  const enabled = (): boolean => consent !== 'denied' && !destroyed

  async function loadAdaptive(): Promise<void> {
    try {
      const { createAdaptive } = await import('./adaptive')
      // In the script tag the chunk is part of the bundle and its import a microtask: building the
      // models would otherwise join the script's own first task.
      await nextTask()
      if (destroyed) return
      adaptive = createAdaptive({
        profile,
        opts,
        sessionId: () => session.id,
        pageEngagedMs: () => (activity ? Math.max(0, activity.engagedClock() - engagedReported) : 0),
        onError,
        enabled,
        loaded: () => loaded,
        shown,
        onTrained: () => changed(),
      })
    } catch (error) {
      onError(new TacitError('The model chunk could not load; decide, rank and predict return their defaults', error))
    }
  }

  session.onEnded = (id, at) => {
    // A session that ended without reaching a goal is a negative example for conversion.
    const s = profile.data.sessions[id]
    const models = adaptive?.models
    if (models && s && !(s.counts.goal > 0)) models.learn('convert', 0, models.features(id, at, 0))
  }

  // Change notifications for UI bindings (React's useSyncExternalStore): coalesced per microtask.
  // A promise reaction rather than queueMicrotask, which costs 2.1 µs a call in Chromium against
  // 0.26 µs (measured; changes come with every hover and click).
  const changeListeners = new Set<() => void>()
  let changeQueued = false
  const changed = (): void => {
    if (changeQueued || !changeListeners.size) return
    changeQueued = true
    void Promise.resolve().then(() => {
      changeQueued = false
      for (const cb of [...changeListeners]) {
        try {
          cb()
        } catch (error) {
          onError(error)
        }
      }
    })
  }

  const signalsOn = new Set(opts.signals)
  function emit(signal: Signal): void {
    if (consent === 'denied' || destroyed || !signalsOn.has(signal.type)) return
    profile.recordSignal(signal, session.id)
    if (signal.type === 'engaged-time') engagedReported += signal.ms
    if (signal.type === 'drop-off') adaptive?.models.learn('dropOff', 1)
    bus.emit(signal)
    changed()
  }

  /** Attaches capture; resolves once the detectors are attached (or capture was stopped first). */
  function startCapture(): Promise<void> {
    if (capture || !doc || !win || !activity) return Promise.resolve()
    const own = (capture = new Disposer())
    const ctx = createDetectorContext({ doc, win, opts, activity, emit, onError, disposer: own })
    activity.attach(own)
    return loadDetectors()
      .then(({ startDetectors }) => {
        if (capture !== own) return // stopped (consent denied) or destroyed meanwhile
        startDetectors(ctx, opts.signals, onError, (kind, info) => {
          profile.recordInteraction({ kind, ...info }, now())
          changed()
        })
        // Registered after every detector, so that signals emitted on hide are in the flush.
        // Closing a page fires visibilitychange, then pagehide: the session is marked hidden once,
        // and the second flush only writes what detectors emitted on pagehide itself (often nothing).
        let hidden = false
        const onHide = (): void => {
          if (!hidden) session.hidden()
          hidden = true
          adaptive?.models.settle() // never throws: the flush below always runs
          void persistence.flush(true)
        }
        const onShow = (): void => {
          hidden = false
          session.visible()
        }
        ctx.listen(doc, 'visibilitychange', () => (doc.visibilityState === 'hidden' ? onHide() : onShow()))
        ctx.listen(win, 'pagehide', onHide)
        // A page restored from the back/forward cache without a visibilitychange is visible again.
        ctx.listen(win, 'pageshow', (e) => {
          if ((e as PageTransitionEvent).persisted && doc.visibilityState !== 'hidden') onShow()
        })
      }, (error: unknown) => onError(new TacitError('The detector chunk could not load; this page is not captured', error)))
      .catch(onError)
  }

  function stopCapture(): void {
    capture?.run()
    capture = undefined
  }

  /** Consent became granted: open IndexedDB, merge what this page captured so far, start writing. */
  async function persist(): Promise<void> {
    const loaded = await persistence.open()
    if (consent !== 'granted' || destroyed) {
      persistence.close()
      return
    }
    if (loaded) profile.load(loaded.data)
    persistence.start()
  }

  const channel = openChannel(win, `tacit:${opts.dbName}`, {
    erased() {
      // Another tab erased the profile: drop this tab's copy and stop writing.
      profile.clear()
      persistence.close()
      adaptive?.models.reset()
      adaptive?.decisions.forget()
    },
    // Another tab wrote model changes: decide from the newest weights here too.
    models: () => persistence.othersWroteModels(),
  })
  persistence.hearsOtherTabs = !!channel
  // Model changes from every tab add up in storage (profile/modelMerge.ts); after a write, this
  // tab tells the others, which adopt the sum (and it adopts the sum itself when one of them
  // wrote meanwhile: Persistence.othersWroteModels).
  persistence.onModelsWritten = () => channel?.models()
  persistence.onModels = (records) => adaptive?.models.adopt(records)
  // Start-up decided from the start-up copy; the stores have now been read (other tabs' changes
  // included): settle what expired in them, and let UI bindings re-render.
  persistence.onLoaded = () => {
    adaptive?.decisions.settle()
    changed()
  }

  /** Loads the stored profile and the model chunk and starts capture, in parallel; `ready` waits for all three. */
  async function start(): Promise<void> {
    if (consent === 'denied') return
    // The database open is requested first: it is the longest wait on the way to ready, and the
    // browser does it off the main thread while the rest below runs. Server rendering has no page
    // to remember: it stays in memory without a warning.
    const opening = consent === 'granted' && win ? persistence.open() : undefined
    // A task later: attaching the detectors (an observer entry for every tracked item, the scroll
    // sentinels, the listeners) took 4 to 14 ms of the script's first task in the session bench.
    const capturing = nextTask().then(() => (consent === 'denied' || destroyed ? undefined : startCapture()))
    // Usually loaded before IndexedDB answers: the models are built and warmed up in that wait, in
    // tasks of their own (in the script's first task they made it a long one on a first visit).
    const modelsLoading = loadAdaptive().then(() => adaptive?.models.warmUp())
    if (opening) {
      const [stored] = await Promise.all([opening, modelsLoading, capturing])
      if (consent === 'granted' && !destroyed) {
        if (stored) profile.load(stored.data)
        adaptive?.models.restore()
        session.resolve(stored?.data)
        adaptive?.decisions.settle()
        loaded = true
        // Also when opening failed: start() then retries the database with backoff.
        persistence.start()
        return
      }
    }
    await Promise.all([modelsLoading, capturing])
    session.resolve(undefined)
    loaded = true
  }

  const ready = start()
    .catch(onError)
    .then(() => changed())

  const tacit: Tacit = {
    ready,
    get storage() {
      return persistence.kind
    },
    get consent() {
      return consent
    },
    on(type: any, cb: any) {
      let off = (): void => {}
      guard(() => {
        if (type !== 'signal' && !SIGNAL_TYPES.includes(type)) throw new TacitArgumentError(`on(): type must be 'signal' or a signal type (${SIGNAL_TYPES.join(', ')}), got ${describeValue(type)}`)
        if (typeof cb !== 'function') throw new TacitArgumentError(`on(): the listener must be a function, got ${describeValue(cb)}`)
        off = bus.on(type, cb)
      })
      return off
    },
    subscribe(cb: () => void) {
      changeListeners.add(cb)
      return () => {
        changeListeners.delete(cb)
      }
    },
    track(goal: string, value?: number) {
      guard(() => {
        checkName('track', 'goal', goal)
        const v = value === undefined ? 0 : checkFinite('track', 'value', value)
        if (consent === 'denied' || destroyed) return
        const t = now()
        profile.recordOutcome(goal, v, t)
        profile.recordSession({ id: session.id, start: t, lastActive: t, pages: 0, engagedMs: 0, maxScroll: 0, counts: { goal: 1 }, updatedAt: t })
        const goals = opts.model.convertGoals
        if (adaptive && (!goals || goals.includes(goal))) {
          const x = adaptive.models.features() // one vector for both heads (the engine copies it)
          adaptive.models.learn('convert', 1, x)
          adaptive.models.learn('dropOff', 0, x)
        }
        changed()
      })
    },
    step(funnel: string, step: string) {
      guard(() => {
        checkName('step', 'funnel', funnel)
        checkName('step', 'step', step)
        const steps = Object.prototype.hasOwnProperty.call(opts.funnels, funnel) ? opts.funnels[funnel] : undefined
        if (!steps) {
          const declared = Object.keys(opts.funnels)
          throw new TacitArgumentError(
            `step(): funnel "${funnel}" is not declared; declare it in createTacit({ funnels: { ${JSON.stringify(funnel)}: [...steps] } })` +
              (declared.length ? ` (declared: ${declared.join(', ')})` : ''),
          )
        }
        const index = steps.indexOf(step)
        if (index < 0) throw new TacitArgumentError(`step(): "${step}" is not a step of funnel "${funnel}" (steps: ${steps.join(', ')})`)
        if (consent === 'denied' || destroyed) return
        session.step(funnel, index)
        changed()
      })
    },
    decide(slot, variants, options) {
      try {
        if (adaptive) return adaptive.decisions.decide(slot, variants, options)
        // Before the model chunk has loaded: the fallback, kept for the session once shown.
        const fallback = checkFallback(checkVariants(slot, variants), options?.fallback)
        if (!enabled()) return { variant: fallback, probability: 1, explanation: OFF_WHY }
        if (!shown.has(slot)) shown.set(slot, fallback)
        return { variant: shown.get(slot)!, probability: 1, explanation: DEFAULT_WHY }
      } catch (error) {
        if (error instanceof TacitArgumentError && isDev()) throw error
        onError(error)
        // Something the page can render: the fallback if it is one of the valid names, else the first.
        const ids = (Array.isArray(variants) ? variants : [])
          .map((v: any) => (typeof v === 'string' ? v : v && typeof v === 'object' ? v.id : undefined))
          .filter((id: unknown): id is string => typeof id === 'string' && !!id.trim() && id.length <= 200)
        const wanted = options && typeof options === 'object' ? (options as { fallback?: unknown }).fallback : undefined
        const variant = ids.includes(wanted as string) ? (wanted as string) : (ids[0] ?? '')
        return { variant, probability: 1, explanation: 'Showing the default.' }
      }
    },
    reward(slot, value) {
      let applied = false
      guard(() => {
        checkName('reward', 'slot', slot)
        checkFinite('reward', 'value', value)
        if (enabled() && adaptive) applied = adaptive.decisions.reward(slot, value)
        if (applied) changed()
      })
      return applied
    },
    rank(items) {
      let out = Array.isArray(items) ? items.slice() : []
      guard(() => {
        checkItems(items)
        if (loaded && enabled() && adaptive) out = adaptive.rank(items, profile.data, now(), halfLifeMs)
      })
      return out
    },
    predict() {
      const engine = adaptive?.models.engine
      if (!engine || !loaded || !enabled()) return { convert: 0.5, dropOff: 0.5 }
      try {
        return engine.predict(adaptive!.models.features())
      } catch (error) {
        onError(error)
        return { convert: 0.5, dropOff: 0.5 }
      }
    },
    explain(what) {
      try {
        return explain(what)
      } catch (error) {
        if (error instanceof TacitArgumentError && isDev()) throw error
        onError(error)
        return ''
      }
    },
    async profile() {
      // Other tabs write too: read the database back so the answer is complete (a storage
      // fault is reported once and leaves the profile in memory as it is).
      await persistence.reload()
      return snapshot()
    },
    async export() {
      // profile() flushes this page's changes and reads the database back, journal included, so
      // what other tabs wrote is in the export too. The format code loads only when someone exports.
      const [{ exportJson }] = await Promise.all([import('./exportData'), tacit.profile()])
      return exportJson(profile.data, { consent, storage: persistence.kind, dbName: opts.dbName, now: now() })
    },
    async erase() {
      try {
        await persistence.erase()
      } catch (error) {
        onError(new TacitError('Deleting the database failed', error))
      }
      profile.clear()
      adaptive?.models.reset()
      adaptive?.decisions.forget()
      channel?.erased()
      changed()
    },
    setConsent(next: Consent) {
      guard(() => {
        if (next !== 'granted' && next !== 'pending' && next !== 'denied') {
          throw new TacitArgumentError(`setConsent(): consent must be 'granted', 'pending' or 'denied', got ${JSON.stringify(next)}`)
        }
        const previous = consent
        consent = effectiveConsent(next, nav, opts.respectGlobalPrivacyControl)
        if (consent === previous || destroyed) return
        changed()
        if (consent === 'denied') {
          stopCapture()
          profile.clear()
          adaptive?.models.reset()
          if (previous === 'granted') void tacit.erase()
          return
        }
        if (previous === 'denied') {
          void startCapture()
          session.resolve(undefined)
        }
        if (consent === 'granted') {
          void persist().catch(onError)
        } else {
          void persistence.flush().then(() => persistence.close())
        }
      })
    },
    destroy() {
      if (destroyed) return
      stopCapture()
      session.destroy()
      adaptive?.models.dispose()
      persistence.onModelsWritten = persistence.onModels = () => {}
      void persistence.flush().then(() => persistence.close())
      destroyed = true
      bus.clear()
      changeListeners.clear()
      channel?.close()
    },
  }

  /** `explain(slot)`, `explain({ item })`, `explain({ predict })`: see `Tacit.explain`. */
  function explain(what: ExplainTarget): string {
    if (typeof what === 'string') {
      checkName('explain', 'slot', what)
      if (adaptive) return adaptive.decisions.explain(what)
      return shown.has(what) ? DEFAULT_WHY : `No decision has been made for "${what}" yet.`
    }
    const item = what && typeof what === 'object' ? (what as { item?: unknown }).item : undefined
    const head = what && typeof what === 'object' ? (what as { predict?: unknown }).predict : undefined
    if (item !== undefined) {
      checkItems([item])
      if (!enabled()) return OFF_WHY
      if (!adaptive || !loaded) return "In the site's usual order while your preferences load."
      return adaptive.explainItem(item as RankItem, profile.data, now(), halfLifeMs)
    }
    if (head === 'convert' || head === 'dropOff') {
      if (!enabled()) return OFF_WHY
      const engine = adaptive?.models.engine
      if (!engine || !loaded) return 'Too early to tell: your preferences are still loading (50%).'
      return adaptive!.explainPrediction(engine, head, adaptive!.models.features())
    }
    throw new TacitArgumentError(
      `explain(): pass a decision slot name, { item: { id, tags? } } or { predict: 'convert' | 'dropOff' }, got ${describeValue(what)}`,
    )
  }

  function snapshot(): TacitProfile {
    const d = profile.data
    return {
      format: 'tacit-profile',
      version: 1,
      consent,
      storage: persistence.kind,
      visitor: d.visitor ?? null,
      session: d.sessions[session.id] ?? null,
      items: Object.values(d.items),
      tags: Object.values(d.tags),
      sessions: Object.values(d.sessions),
      funnels: Object.values(d.funnels),
      outcomes: Object.values(d.outcomes),
      signals: d.signals.slice(),
      models: Object.values(d.models),
      decisions: Object.values(d.decisions),
      health: { droppedRecords: persistence.dropped, expiredRecords: persistence.expired },
    }
  }

  return tacit
}

/** What one tab tells the others (BroadcastChannel, when available): the profile was erased, models were written. */
type ChannelMessage = 'erased' | 'models'

const openChannel = (win: Window | undefined, name: string, on: Record<ChannelMessage, () => void>) => {
  if (!win || typeof BroadcastChannel === 'undefined') return undefined
  try {
    const channel = new BroadcastChannel(name)
    channel.onmessage = (e) => {
      if (e.data === 'erased' || e.data === 'models') on[e.data as ChannelMessage]()
    }
    // Constant messages only: nothing about the person crosses to another tab. A write that ends
    // after destroy() may still announce itself: a closed channel then ignores it.
    const post = (send: () => void) => () => {
      try {
        send()
      } catch {
        // closed
      }
    }
    return {
      erased: post(() => channel.postMessage('erased')),
      models: post(() => channel.postMessage('models')),
      close: () => channel.close(),
    }
  } catch {
    return undefined
  }
}
