import { TacitError } from '../errors'
import { clearTimer, now, setTimer, whenIdle, type TimerId } from '../env'
import type { ResolvedOptions } from '../options'
import { memoryStore } from './memoryStore'
import type { Profile } from './profile'
import type { LoadResult, ProfileStore } from './types'

type Opener = (opts: ResolvedOptions) => Promise<ProfileStore>

const openIdb: Opener = async (opts) => {
  // Imported here so that a page that never persists (consent pending) never loads idb code paths.
  const { openIdbStore } = await import('./idbStore')
  return openIdbStore({ dbName: opts.dbName, retentionDays: opts.retentionDays, recentSignals: opts.recentSignals })
}

/**
 * Moves the profile's pending changes to the store in batches: at most one transaction every
 * `flushIntervalMs`, and one right away when the page hides. A failed write puts its delta back,
 * so nothing is lost; the fault is reported once.
 */
export class Persistence {
  store: ProfileStore = memoryStore()
  /** Records dropped at load because they failed their schema, and expired by retention. */
  dropped = 0
  expired = 0
  private _timer: TimerId | undefined
  private _lastFlush = 0
  private _writes = new Set<Promise<void>>()
  private _active = false
  private _reported = new Set<string>()

  constructor(
    private _profile: Profile,
    private _opts: ResolvedOptions,
    private _onError: (error: unknown) => void,
    private _opener: Opener = openIdb,
  ) {}

  get kind(): 'indexeddb' | 'memory' {
    return this.store.kind
  }

  /** Opens IndexedDB and loads the stored profile; on any failure keeps working in memory. */
  async open(): Promise<LoadResult | undefined> {
    try {
      this.store = await this._opener(this._opts)
    } catch (error) {
      this.store = memoryStore()
      this._report('open', new TacitError('IndexedDB is unavailable; Tacit keeps the profile in memory for this page', error))
      return undefined
    }
    try {
      const loaded = await this.store.load()
      this.dropped += loaded.dropped
      this.expired += loaded.expired
      if (loaded.dropped) this._report('dropped', new TacitError(`${loaded.dropped} stored record(s) failed validation and were dropped`))
      return loaded
    } catch (error) {
      this._report('load', new TacitError('Reading the stored profile failed; starting from an empty profile', error))
      return undefined
    }
  }

  /** Starts writing (consent granted and the store open). */
  start(): void {
    this._active = true
    this.schedule()
    // Deltas journalled when earlier pages hid are already in memory; folding them into the
    // stores is a read-write transaction that need not delay start-up.
    const store = this.store
    whenIdle(() => {
      if (this._active && this.store === store) store.compact().catch((error) => this._report('compact', new TacitError('Folding the journal failed; it is kept and retried at the next start-up', error)))
    })
  }

  /** Stops writing; pending changes stay in memory. */
  stop(): void {
    this._active = false
    clearTimer(this._timer)
    this._timer = undefined
  }

  /** Called on every profile change: makes sure a flush is due within the interval. */
  schedule(): void {
    if (!this._active || this._timer !== undefined || !this._profile.hasPending) return
    const wait = Math.max(0, this._lastFlush + this._opts.flushIntervalMs - now())
    this._timer = setTimer(() => {
      this._timer = undefined
      void this.flush()
    }, wait)
  }

  /**
   * Writes what is pending now, in one transaction. Never rejects. It does not wait for a write
   * already under way: on `pagehide` there is no later, and each write adds its own delta inside
   * its own transaction, so two in flight cannot overwrite each other. When the page is hiding,
   * the delta is appended to the journal without any read, so the write commits even if the page
   * is going away.
   */
  async flush(pageHiding = false): Promise<void> {
    if (!this._active || this.store.kind === 'memory') return
    clearTimer(this._timer)
    this._timer = undefined
    if (!this._profile.hasPending) return
    const delta = this._profile.takeDelta()
    this._lastFlush = now()
    const writing = (pageHiding ? this.store.append(delta) : this.store.write(delta)).then(
      () => {
        this._reported.delete('write')
      },
      (error) => {
        this._profile.restoreDelta(delta)
        this._report('write', new TacitError('Writing the profile failed; the changes are kept and retried', error))
      },
    )
    this._writes.add(writing)
    await writing
    this._writes.delete(writing)
    this.schedule()
  }

  /** Resolves when every write under way has finished. */
  async settled(): Promise<void> {
    while (this._writes.size) await Promise.all([...this._writes])
  }

  /** Deletes the database (if any) and switches to memory. */
  async erase(): Promise<void> {
    this.stop()
    await this.settled()
    const store = this.store
    this.store = memoryStore()
    await store.erase()
  }

  close(): void {
    this.stop()
    this.store.close()
  }

  /** Reports each kind of fault once until it recovers, so a broken disk does not flood onError. */
  private _report(kind: string, error: TacitError): void {
    if (this._reported.has(kind)) return
    this._reported.add(kind)
    this._onError(error)
  }
}
