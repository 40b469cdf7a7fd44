/**
 * A one-line progress bar for long command-line runs, on stderr so stdout stays clean for the
 * figures. On a terminal it redraws in place (at most every `intervalMs`); elsewhere (a pipe, CI
 * logs) it prints a plain line at every 10% instead of flooding the log.
 */

/** Where the bar is drawn: `process.stderr` or anything with `write` (tests). */
export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

export interface ProgressOptions {
  total: number
  label?: string
  stream?: ProgressStream
  /** Milliseconds clock (injectable for tests). */
  clock?: () => number
  /** Minimum time between redraws on a terminal. Default 100 ms. */
  intervalMs?: number
  width?: number
}

export interface Progress {
  /** Advances by `n` (default 1); `note` is shown after the bar, e.g. the current fold. */
  tick(n?: number, note?: string): void
  /** Draws 100% and ends the line. */
  done(note?: string): void
}

const formatSeconds = (s: number): string => (s < 60 ? `${s.toFixed(0)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`)

/** Renders the bar text for `current` of `total` (exported for tests). */
export const renderBar = (current: number, total: number, width: number, label: string, elapsedMs: number, note = ''): string => {
  const ratio = total > 0 ? Math.min(1, current / total) : 1
  const filled = Math.round(ratio * width)
  const eta = ratio > 0 && ratio < 1 ? ` eta ${formatSeconds(((elapsedMs / ratio) * (1 - ratio)) / 1000)}` : ''
  const percent = `${Math.floor(ratio * 100)}`.padStart(3)
  return `${label ? label + ' ' : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${current}/${total}${eta}${note ? ' ' + note : ''}`
}

/** Creates a progress bar; see the module comment. */
export const createProgress = (options: ProgressOptions): Progress => {
  const { total, label = '', clock = () => Date.now(), intervalMs = 100, width = 30 } = options
  const stream: ProgressStream = options.stream ?? (process.stderr as ProgressStream)
  const tty = stream.isTTY === true
  const start = clock()
  let current = 0
  let lastDraw = -Infinity
  let lastDecile = -1
  let finished = false
  const draw = (note?: string, final = false) => {
    const text = renderBar(current, total, width, label, clock() - start, note)
    if (tty) stream.write(`\r${text}\x1b[K${final ? '\n' : ''}`)
    else stream.write(`${text}\n`)
  }
  return {
    tick(n = 1, note) {
      if (finished) return
      current = Math.min(total, current + n)
      if (tty) {
        const t = clock()
        if (t - lastDraw >= intervalMs) {
          lastDraw = t
          draw(note)
        }
      } else {
        const decile = Math.floor((current / Math.max(1, total)) * 10)
        if (decile > lastDecile && current < total) {
          lastDecile = decile
          draw(note)
        }
      }
    },
    done(note) {
      if (finished) return
      finished = true
      current = total
      draw(note, true)
    },
  }
}
