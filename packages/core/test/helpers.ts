import { vi } from 'vitest'
import { resolveOptions, type TacitOptions } from '../src/options'
import { Activity } from '../src/signals/activity'
import { rereadClocks } from '../src/signals/eventTime'
import { createDetectorContext } from '../src/signals/context'
import type { Detector, DetectorContext } from '../src/signals/detector'
import type { Signal } from '../src/signals/types'

/** Runs one detector on the happy-dom page with fake timers; returns what it emitted. */
export const runDetector = (detector: Detector, options: TacitOptions = {}) => {
  const signals: Signal[] = []
  const errors: unknown[] = []
  const opts = resolveOptions(options)
  const activity = new Activity(document, opts)
  const ctx: DetectorContext = createDetectorContext({
    doc: document,
    win: window as Window & typeof globalThis,
    opts,
    activity,
    emit: (s) => signals.push(s),
    onError: (e) => errors.push(e),
  })
  activity.attach(ctx.disposer)
  detector(ctx)
  return { signals, errors, ctx, activity, destroy: () => ctx.disposer.run() }
}

export const useFakeClock = (start = Date.UTC(2026, 11, 1, 12)) => {
  vi.useFakeTimers({ now: start })
  // New clocks: event stamps are not placed by the difference of the clocks read before.
  rereadClocks()
}

/** Fake timers that leave setImmediate alone: fake-indexeddb schedules its work with it. */
export const useIdbFakeClock = (start = Date.UTC(2026, 11, 1, 12)) => {
  vi.useFakeTimers({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  rereadClocks()
}

/** Lets (fake) IndexedDB requests, scheduled with setImmediate, and the promises after them run. */
export const settle = async (rounds = 30): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r))
}

export const html = (markup: string): void => {
  document.body.innerHTML = markup
}

export const $ = <E extends Element = HTMLElement>(selector: string): E => {
  const el = document.querySelector<E>(selector)
  if (!el) throw new Error(`no element ${selector}`)
  return el
}

/** Dispatches a click at client coordinates, as a trusted click would arrive. */
export const clickAt = (el: Element, x: number, y: number): void => {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }))
}

export const setVisibility = (state: 'visible' | 'hidden'): void => {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}

/**
 * Keeps a readwrite transaction over `store` of database `dbName` busy from another connection
 * (a chain of reads) until the returned function is called, so that Tacit's transactions over
 * that store wait, uncommitted, for as long as a test needs.
 */
export const holdStore = (dbName: string, store: string) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const tx = req.result.transaction(store, 'readwrite')
      let held = true
      const spin = () => {
        if (held) tx.objectStore(store).count().onsuccess = spin
      }
      spin()
      const done = new Promise<void>((r) => (tx.oncomplete = () => r()))
      resolve(async () => {
        held = false
        await done
        req.result.close()
      })
    }
  })

/** Every record of `store` in database `dbName`, read through a connection of its own. */
export const readStore = (dbName: string, store: string) =>
  new Promise<unknown[]>((resolve, reject) => {
    const req = indexedDB.open(dbName)
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const db = req.result
      const get = db.transaction(store, 'readonly').objectStore(store).getAll()
      get.onsuccess = () => {
        db.close()
        resolve(get.result)
      }
      get.onerror = () => reject(get.error)
    }
  })
