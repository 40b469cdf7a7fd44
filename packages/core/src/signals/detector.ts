import type { ResolvedOptions } from '../options'
import type { Activity } from './activity'
import type { Disposer } from './listen'
import type { Signal } from './types'

/** What a detector gets: the page, options, the activity clock and where to send signals. */
export interface DetectorContext {
  doc: Document
  win: Window & typeof globalThis
  opts: ResolvedOptions
  activity: Activity
  emit(signal: Signal): void
  /** Faults inside handlers go here, never into the host page. */
  onError(error: unknown): void
  /** Everything attached registers its removal here; `destroy()` runs it. */
  disposer: Disposer
  /** A passive, capture-phase listener whose errors go to `onError`; removed on destroy. */
  listen(target: EventTarget, type: string, handler: (event: any) => void): () => void
  /** A timer whose callback errors go to `onError`; cleared on destroy. Returns its cancel. */
  timeout(cb: () => void, ms: number): () => void
}

/** A detector attaches its listeners when called. Its clean-up goes to `ctx.disposer`. */
export type Detector = (ctx: DetectorContext) => void
