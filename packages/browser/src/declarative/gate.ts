/**
 * Where the page is in deciding: `waiting` (Tacit is loading the profile; slots and ranked
 * containers are hidden), `timed-out` (the anti-flicker deadline passed first: fallbacks are
 * shown and kept) or `ready` (decisions are model decisions).
 */
export type Phase = 'waiting' | 'timed-out' | 'ready'

export interface Gate {
  readonly phase: Phase
  /** Calls `cb` on each change of phase, in the order the callbacks were added. */
  onChange(cb: (phase: Phase) => void): void
  /** Stops the timer and every later change. */
  close(): void
}

/** Moves from `waiting` to `ready` when `ready` resolves, or to `timed-out` after `ms` first. */
export const createGate = (ready: Promise<unknown>, ms: number, report: (error: unknown) => void): Gate => {
  let phase: Phase = 'waiting'
  let closed = false
  const listeners: ((phase: Phase) => void)[] = []
  const move = (next: Phase): void => {
    if (closed || phase === 'ready' || phase === next) return
    phase = next
    for (const cb of listeners) {
      try {
        cb(next)
      } catch (error) {
        report(error)
      }
    }
  }
  const timer = setTimeout(() => move('timed-out'), ms)
  ready.then(
    () => {
      clearTimeout(timer)
      move('ready')
    },
    () => {},
  )
  return {
    get phase() {
      return phase
    },
    onChange: (cb) => void listeners.push(cb),
    close() {
      closed = true
      clearTimeout(timer)
    },
  }
}
