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
 * Tacit's start-up work allowed between two rendered frames, in ms of its own tasks. Past it,
 * {@link nextTask} waits for the next frame to be rendered before going on.
 */
export const FRAME_BUDGET_MS = 15

/** Start-up work since the last rendered frame, ms, and when the last task resumed (see `nextTask`). */
let spent = 0
let resumedAt: number | undefined
let frameAsked = false

type PostTask = (cb: () => void, options: { priority: string }) => Promise<void>

/**
 * Counts the work of the current task towards the frame budget from now: `createTacit` calls it,
 * so that the start-up work in the script's first task counts too.
 */
export const countWork = (): void => {
  if (resumedAt === undefined && typeof performance !== 'undefined') resumedAt = performance.now()
}

/**
 * Resolves in a later task, so that the browser can handle input and paint in between: start-up
 * work is split this way to keep every task of Tacit's well under 50 ms (a long task).
 *
 * `scheduler.postTask` at 'user-blocking' priority where the browser has it, so that the page's
 * own rendering does not come first (measured in Chromium, bench:ready: ready 28 to 42 ms p50
 * without storage, 72 to 80 ms with a plain task). Such tasks run ahead of rendering, though:
 * on a first visit, the script's first task and four of these made one animation frame of 70 to
 * 120 ms, 45 to 95 ms of it Tacit's (bench:session). So each task's time is counted, from its
 * start to the next call, and once {@link FRAME_BUDGET_MS} is spent without a frame rendered
 * (seen by an animation frame callback), the next task waits for one. Not in a hidden page,
 * which renders no frames.
 *
 * Elsewhere, a message to a channel of its own, not a timer, which tests with fake timers would
 * hold.
 */
export const nextTask = (): Promise<void> => {
  const { scheduler } = globalThis as { scheduler?: { postTask?: PostTask } }
  if (!scheduler?.postTask) {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel()
      port1.onmessage = () => {
        port1.close() // an open port keeps Node's event loop alive
        resolve()
      }
      port2.postMessage(0)
    })
  }
  const post = (): Promise<void> =>
    scheduler.postTask!(() => void (resumedAt = performance.now()), { priority: 'user-blocking' })
  if (resumedAt !== undefined) spent += performance.now() - resumedAt
  resumedAt = undefined
  const w = getWindow()
  if (w?.document.visibilityState !== 'visible') return post()
  if (!frameAsked) {
    frameAsked = true
    w.requestAnimationFrame(() => {
      frameAsked = false
      spent = 0
      resumedAt = undefined // that task has ended: a task that calls no further is not counted on
    })
  }
  // Over budget: after the frame (a task posted from an animation frame callback runs once it is
  // rendered), or after a timer, for a page hidden meanwhile, which renders none.
  return spent < FRAME_BUDGET_MS
    ? post()
    : Promise.race([new Promise((r) => w.requestAnimationFrame(r)), new Promise<void>((r) => setTimer(r, 100))]).then(post)
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
