import { TacitError } from '../errors'

/**
 * What went wrong with storage. `Persistence` handles every kind the same way (keep the profile
 * in memory, retry, then write what was kept) and reports each kind once per page.
 */
export type FaultKind = 'missing' | 'open' | 'blocked' | 'quota' | 'abort' | 'closed' | 'read'

/** First pause before storage is tried again after a fault; it doubles per failed try, up to the cap. */
export const RETRY_MS = 1000
export const RETRY_MAX_MS = 60_000

const WHAT: Record<FaultKind, string> = {
  missing: 'IndexedDB is not available (a private window, blocked storage, or no browser).',
  open: 'IndexedDB could not be opened.',
  blocked: 'Opening IndexedDB was blocked by another tab holding an older version (close or reload the other tabs).',
  quota: 'The storage quota of this site is full (free some site storage, or lower `recentSignals` or `retentionDays`).',
  abort: 'A write to IndexedDB was aborted.',
  closed: 'The profile database was closed or deleted (by another tab, or by the browser clearing site data).',
  read: 'Reading the stored profile from IndexedDB failed.',
}

/**
 * A storage fault, as reported to `onError`: what happened, then what Tacit does about it. It
 * is never thrown into the page.
 */
export class StorageFault extends TacitError {
  constructor(
    /** Faults of one kind are reported once per page. */
    readonly kind: FaultKind,
    cause?: unknown,
    what = WHAT[kind],
  ) {
    super(
      `${what} Tacit keeps working from memory, keeps the unsaved changes there and tries storage again ` +
        `(after ${RETRY_MS / 1000} s, then doubling up to ${RETRY_MAX_MS / 1000} s, and at once when the page hides), then saves them.`,
      cause,
    )
  }
}

/** `error` as a fault: a full quota is recognised by its DOMException name, anything else is `kind`. */
export const toFault = (error: unknown, kind: FaultKind): StorageFault =>
  error instanceof StorageFault
    ? error
    : new StorageFault((error as { name?: string } | null)?.name === 'QuotaExceededError' ? 'quota' : kind, error)
