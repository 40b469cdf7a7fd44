/**
 * The few browser globals Tacit touches, reached lazily inside functions so that importing
 * `@tacit/core` where there is no DOM (Node, SSR) never throws. Timers and the clock call the
 * global at call time, so fake timers in tests apply.
 */

export const getWindow = (): (Window & typeof globalThis) | undefined =>
  typeof window === 'undefined' ? undefined : window

export const getDocument = (): Document | undefined =>
  typeof document === 'undefined' ? undefined : document

export const getIndexedDB = (): IDBFactory | undefined => {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB
  } catch {
    // Some browsers throw on access when storage is blocked (for example Firefox with cookies off).
    return undefined
  }
}

export const getNavigator = (): Navigator | undefined =>
  typeof navigator === 'undefined' ? undefined : navigator

/** Epoch milliseconds. Monotonic enough for durations, and fakeable in tests. */
export const now = (): number => Date.now()

export type TimerId = ReturnType<typeof setTimeout>

// Browsers run a timer longer than 2^31 - 1 ms (24.8 days) at once: longer ones wait that long and re-check.
export const setTimer = (cb: () => void, ms: number): TimerId => setTimeout(cb, Math.min(ms, 2_147_483_647))
export const clearTimer = (id: TimerId | undefined): void => {
  if (id !== undefined) clearTimeout(id)
}

/** Runs `cb` when the browser is idle, or soon after where requestIdleCallback is missing. */
export const whenIdle = (cb: () => void, timeout = 1000): (() => void) => {
  const w = getWindow()
  if (w && typeof w.requestIdleCallback === 'function') {
    const id = w.requestIdleCallback(() => cb(), { timeout })
    return () => w.cancelIdleCallback(id)
  }
  const id = setTimer(cb, 1)
  return () => clearTimer(id)
}

/**
 * Resolves in a later task, so that the browser can handle input and paint in between: start-up
 * work is split this way to keep every task of Tacit's well under 50 ms (a long task).
 * `scheduler.postTask` at 'user-blocking' priority where the browser has it, so that the page's
 * own rendering does not come first (measured in Chromium, bench:ready: ready 28 to 42 ms p50
 * without storage, 72 to 80 ms with a plain task); else a message to a channel of its own, not a timer, which tests
 * with fake timers would hold.
 */
type PostTask = (cb: () => void, options: { priority: string }) => Promise<void>
export const nextTask = (): Promise<void> => {
  const { scheduler } = globalThis as { scheduler?: { postTask?: PostTask } }
  return scheduler?.postTask
    ? scheduler.postTask(() => {}, { priority: 'user-blocking' })
    : new Promise((resolve) => {
        const { port1, port2 } = new MessageChannel()
        port1.onmessage = () => {
          port1.close() // an open port keeps Node's event loop alive
          resolve()
        }
        port2.postMessage(0)
      })
}

/** True when this code runs in a development build (bundlers replace process.env.NODE_ENV). */
export const isDev = (): boolean => {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return false
  }
}

declare const process: { env: { NODE_ENV?: string } }
