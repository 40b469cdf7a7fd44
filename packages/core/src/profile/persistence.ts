import { TacitError } from '../errors'
import { clearTimer, now, setTimer, whenIdle, type TimerId } from '../env'
import type { ResolvedOptions } from '../options'
import { RETRY_MAX_MS, RETRY_MS, toFault, type FaultKind } from './faults'
import { memoryStore } from './memoryStore'
import type { Profile } from './profile'
import type { ModelRecord } from './schemas'
import type { LoadResult, ProfileDelta, ProfileStore, WriteControl } from './types'

/** What a full read cancelled by a page hide rejects with (not a storage fault; never leaves this file). */
const CANCELLED = {}

type Opener = (opts: ResolvedOptions, onInvalid: (error: TacitError) => void) => Promise<ProfileStore>

/**
 * A periodic write journals the page's changes (`idbStore.ts`); after this many the journal is
 * folded into the stores, in idle time: about a minute of a busy page at the default interval.
 */
export const FOLD_EVERY = 12

const openIdb: Opener = async (opts, onInvalid) => {
  const o = { dbName: opts.dbName, retentionDays: opts.retentionDays, recentSignals: opts.recentSignals, onInvalid }
  // Imported lazily so that a page that never persists (consent pending) never loads idb code paths.
  if (opts.encrypt) {
    const { openEncryptedStore } = await import('./encryptedStore')
    return openEncryptedStore(o)
  }
  const { _openIdbStore } = await import('./idbEntry')
  return _openIdbStore(o)
}

/**
 * Moves the profile's pending changes to the store in batches: at most one transaction every
 * `flushIntervalMs`, and one right away when the page hides.
 *
 * Every storage fault (no IndexedDB, a failed or blocked open, a full quota, an aborted
 * transaction, a database closed or deleted by another tab) takes one path: the fault is
 * reported once per kind, the store is dropped for memory, pending changes stay in the profile,
 * and the database is opened again after `RETRY_MS`, doubling per failure up to `RETRY_MAX_MS`,
 * and at once when the page hides. A reopen loads what is stored (other tabs kept writing) and
 * then writes what was kept, so nothing captured is lost unless the page closes before storage
 * is back.
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
  /** Storage failed: the profile lives in memory until a retry has reopened and loaded it. */
  private _down = false
  private _retry: TimerId | undefined
  /** The journal fold under way (cancelled if the page hides), and whether one is still due. */
  private _folding: WriteControl | undefined
  private _foldDue = false
  /** Writes since the last fold began (see `FOLD_EVERY`). */
  private _unfolded = 0
  /** Start-up read the start-up copy: the stores are still to be read (see `_maintain`). */
  private _fullDue = false
  /** The ring has not been checked since the store was opened (see `_maintain`). */
  private _ringDue = false
  private _maintaining: Promise<void> | undefined
  /** The profile changed since the start-up copy was last written (on page hide). */
  private _copyDue = false
  /**
   * While a load that replaces memory is under way: the deltas taken for writing since it began.
   * Their transactions come after the load's, so it cannot see them; they are applied on top.
   */
  private _unread: ProfileDelta[] | undefined
  /** Regular writes under way, by delta, with the means to cancel one that has not committed. */
  private _inflight = new Map<ProfileDelta, WriteControl>()
  /** The full read under way (`_loadFresh`), which a page hide cancels. */
  private _reading: WriteControl | undefined
  private _backoff = 0
  private _recovering = false
  /** The database opening (after a start from the start-up copy, `ready` did not wait for it; `reload` does). */
  private _opening: Promise<unknown> | undefined
  /** Bumped by `stop()`, so that an open finishing after it is closed, not used. */
  private _epoch = 0

  /** This page wrote model changes: other tabs should adopt the stored models (BroadcastChannel). */
  onModelsWritten: () => void = () => {}
  /** Other tabs say when they write models (`othersWroteModels`); without that, assume they may have. */
  hearsOtherTabs = false
  /** Another tab wrote models since this page last read them back after a write of its own. */
  private _othersWrote = false
  /** The stored model records, after this page wrote model changes or another tab said it did. */
  onModels: (records: ModelRecord[]) => void = () => {}
  /** The profile was replaced by what the stores hold (after a start from the start-up copy). */
  onLoaded: () => void = () => {}

  constructor(
    private _profile: Profile,
    private _opts: ResolvedOptions,
    private _onError: (error: unknown) => void,
    private _opener: Opener = openIdb,
  ) {}

  get kind(): 'indexeddb' | 'memory' {
    // While the database opens (after a start from the start-up copy), the profile is the stored
    // one; not while a retry reopens it after a fault (memory holds the profile until it succeeds).
    return this._opening && !this._down ? 'indexeddb' : this.store.kind
  }

  /**
   * Opens IndexedDB and loads the stored profile; on failure works in memory (`start()` retries).
   * With a start-up copy (startupCopy.ts) and `quick` (not on a retry: memory is newer than any
   * copy then), resolves with it at once and opens the database meanwhile: writing starts, and the
   * stores are read in idle time, once it is open.
   */
  async open(quick = true): Promise<LoadResult | undefined> {
    const epoch = this._epoch
    const opened = this._opener(this._opts, (error) => this._report('invalid', error))
    // A chunk that fails to load is the open's failure too (reported below, then retried).
    const copying = import('./idbEntry').then((m) => quick && m._loadStartupCopy(this._opts), () => undefined)
    // Takes the store once open; without a copy, reads it on the way to `ready`.
    let attached!: Promise<LoadResult | undefined>
    attached = this._opening = (async () => {
      let store: ProfileStore | undefined
      try {
        store = await opened
        if (epoch !== this._epoch) return void store.close()
        // The store is ours from here (close() and erase() reach it); writes wait for `_down`.
        this.store = store
        // Every store but the ring of recent signals: no decision needs the ring, and it is the
        // largest store. It is read in idle time right after (`_maintain`).
        const loaded = (await copying) ? undefined : await store.load({ ring: false })
        if (epoch !== this._epoch) return
        this._down = false
        if (loaded) this._count(loaded)
        // Started from the copy: the stores are to be read.
        this._fullDue = !loaded
        this._ringDue = true
        this._copyDue = true // one fresh copy per page, written when it hides
        // `start()` came before the database was open: what it left for the store begins now.
        if (!loaded && this._active) this.start()
        return loaded
      } catch (error) {
        if (epoch === this._epoch) this._fail(store ?? this.store, error, store ? 'read' : 'open')
      } finally {
        if (this._opening === attached) this._opening = undefined
      }
    })()
    return (await copying) || attached
  }

  /** Counts and reports (once) the records a load dropped or expired. */
  private _count({ dropped, expired }: Omit<LoadResult, 'data'>): void {
    this.dropped += dropped
    this.expired += expired
    if (dropped)
      this._report(
        'dropped',
        new TacitError(
          `${dropped} stored record(s) failed validation and were dropped from the database; ` +
            'the rest of the profile is kept (counted in profile().health).',
        ),
      )
  }

  /** Starts writing (consent granted); when opening failed, starts the retries instead. */
  start(): void {
    this._active = true
    if (this._down) return this._retryLater()
    // Started from the start-up copy, the database still opening: the open calls this again.
    if (this.store.kind === 'memory') return
    this.schedule()
    this._foldDue = true
    this._fold()
    this._maintain()
  }

  /**
   * What start-up left for idle time, in transactions that no write of this or another page
   * waits on (except a ring append): after a start from the start-up copy, the stores themselves
   * (validated, expired records deleted and counted; what other tabs changed since the copy comes
   * in, and their models are adopted); then retention and validation of the ring of recent signals.
   */
  private _maintain(): void {
    const store = this.store
    whenIdle(() => {
      if (!this._active || this.store !== store || (!this._fullDue && !this._ringDue)) return
      this._maintaining = (async () => {
        if (this._fullDue) {
          this._fullDue = false
          const loaded = await this._loadFresh(store, false)
          if (this.store !== store) return
          this._count(loaded)
          this._copyDue = true
          this.onModels(Object.values(loaded.data.models))
          this.onLoaded()
        }
        if (this._ringDue) {
          this._ringDue = false
          this._count(await store.pruneRing())
        }
        // A full read cancelled by a page hide is made again in idle time, should the page stay.
      })().catch((error: unknown) => (error === CANCELLED ? ((this._fullDue = true), this._maintain()) : this._fail(store, error, 'read')))
    })
  }

  /**
   * Deltas journalled when earlier pages hid are already in memory; folding them into the stores
   * is a read-write transaction over every store, journal included, that need not delay start-up:
   * it runs in idle time. A page that hides during the fold cancels it (the entries stay in the
   * journal), so that its own hide-time append is not queued behind it and lost; the fold is then
   * tried again after the next write.
   */
  private _fold(): void {
    if (this._folding || !this._foldDue) return
    const store = this.store
    const control: WriteControl = {}
    this._folding = control
    this._unfolded = 0
    whenIdle(() => {
      if (this._folding !== control) return
      if (!this._active || this.store !== store) return void (this._folding = undefined)
      store.compact(control).then(
        () => {
          if (this._folding === control) [this._folding, this._foldDue] = [undefined, false]
        },
        (error: unknown) => {
          if (this._folding !== control) return // cancelled by page hide: tried again later
          this._folding = undefined
          this._fail(store, error, 'abort')
        },
      )
    })
  }

  /** Stops writing and retrying; pending changes stay in memory. */
  stop(): void {
    this._active = false
    this._epoch++
    this._opening = undefined
    // A fold under way is abandoned (its entries stay journalled): the store may close under it.
    this._folding?.cancel?.()
    this._folding = undefined
    clearTimer(this._timer)
    clearTimer(this._retry)
    this._timer = this._retry = undefined
  }

  /** Called on every profile change: makes sure a flush is due within the interval. */
  schedule(): void {
    this._copyDue = true
    this._arm()
  }

  /**
   * Sets the flush timer if anything is pending and none is set. After a write, only this: the
   * start-up copy is due again when the profile changes, not because a write ended (a tab that
   * closes is hidden, then gets `pagehide`; the copy, some 100 KB of JSON written synchronously,
   * was written at both).
   */
  private _arm(): void {
    if (!this._active || this._down || this._timer !== undefined || this.store.kind === 'memory' || !this._profile.hasPending) return
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
   * is going away. A failed write puts its delta back, so nothing is lost.
   */
  async flush(pageHiding = false): Promise<void> {
    if (!this._active) return
    // Started from the start-up copy, the database still opening: a write waits for it (`destroy()`
    // right after `ready` would otherwise lose this page's changes). A hiding page cannot wait.
    if (!pageHiding) await this._opening
    // Storage is down (or being reopened): the page may be closing, so try it now rather than at
    // the next retry.
    if (this._down && pageHiding) this._retryNow()
    if (this._down || this.store.kind === 'memory') return
    clearTimer(this._timer)
    this._timer = undefined
    const store = this.store
    if (pageHiding) {
      const folding = this._folding
      this._folding = undefined
      folding?.cancel?.()
      // So is a full read: its transaction covers the journal, and the hide's journal write,
      // queued behind it, would be lost with it when the page closes (measured before this: about
      // 2 runs in 21 of closing 25 tabs in a row lost a change). Read again if the page stays.
      if (this._reading?.cancel?.()) this._reading = undefined
      // A write still reading would be aborted with the page, its changes lost: cancel it while
      // it cannot have committed, and journal its delta instead (measured: 1 page in 30 closed
      // right after a change lost it before this). One already committing is left to finish:
      // measured in Chromium, 8 of 8 such writes did, their tabs closed.
      for (const [delta, control] of this._inflight) {
        if (!control.cancel?.()) continue
        this._inflight.delete(delta)
        this._restore(delta) // journalled below, with what is pending, in one entry
      }
    }
    // On hide, the start-up copy is rewritten too when anything changed (even if already written).
    const copy = pageHiding && this._copyDue
    if (!this._profile.hasPending && !copy) return
    if (copy) this._copyDue = false
    const delta = this._profile.takeDelta()
    this._unread?.push(delta)
    this._lastFlush = now()
    const control: WriteControl = {}
    if (!pageHiding) this._inflight.set(delta, control)
    await this._track(
      (pageHiding ? store.append(delta, copy ? this._profile.data : undefined) : store.write(delta, control)).then(
        () => {
          this._inflight.delete(delta)
          this._backoff = 0
          if (!pageHiding && ++this._unfolded >= FOLD_EVERY) this._foldDue = true
          if (!pageHiding) this._fold()
          if (delta.models.length && !pageHiding) {
            this.onModelsWritten()
            // The write added this page's changes to the stored models (modelMerge.ts). When no
            // other tab wrote models meanwhile, the sum is what this page already has: reading it
            // back (a transaction, and parsing every model) is needed only after another tab's.
            if (this._othersWrote || !this.hearsOtherTabs) {
              this._othersWrote = false
              void this.readModels()
            }
          }
        },
        (error: unknown) => {
          // A cancelled write's delta went to the journal (above): nothing to restore.
          if (!pageHiding && !this._inflight.delete(delta)) return
          this._failed(store, delta, error)
        },
      ),
    )
    this._arm()
  }

  /** A write that failed: its delta goes back to pending, so nothing is lost, and the fault is handled. */
  private _failed(store: ProfileStore, delta: ProfileDelta, error: unknown): void {
    this._restore(delta)
    this._fail(store, error, 'abort')
  }

  /** Puts a delta taken for writing back into pending (it is then no longer "unread" either). */
  private _restore(delta: ProfileDelta): void {
    this._profile.restoreDelta(delta)
    const i = this._unread ? this._unread.indexOf(delta) : -1
    if (i >= 0) this._unread!.splice(i, 1)
  }

  /** Resolves when every write (and reopen) under way has finished. */
  async settled(): Promise<void> {
    while (this._writes.size) await Promise.all([...this._writes])
  }

  /**
   * Writes what is pending and reads the database back, since other tabs write too. Leaves the
   * profile as it is when storage is down (memory then holds everything this page knows).
   */
  async reload(): Promise<void> {
    await this._opening
    if (this.store.kind === 'memory') return
    await this.flush()
    await this.settled()
    const store = this.store
    if (this._down || store.kind === 'memory') return
    // This load reads every store, the ring included: what start-up left for later is not needed,
    // and what is under way is awaited (so a bad record is not counted twice).
    this._fullDue = this._ringDue = false
    await this._maintaining
    try {
      this._count(await this._loadFresh(store))
    } catch (error) {
      // Cancelled by a page hide: memory holds everything this page knows.
      if (error !== CANCELLED) this._fail(store, error, 'read')
    }
  }

  /**
   * Loads `store` (with the ring of signals unless `ring` is false) and replaces memory with it.
   * A write or hide-time append that starts while the load runs takes its delta out of pending,
   * and its transaction, created after the load's, is not seen by it: such deltas are applied on
   * top, so memory loses nothing (a decision made then stays sticky).
   */
  private async _loadFresh(store: ProfileStore, ring = true): Promise<LoadResult> {
    const unread: ProfileDelta[] = []
    const control: WriteControl = {}
    this._reading = control
    try {
      // A full read (`profile()`, `export()`) folds the journal first, so that the database holds
      // in its stores what they show; a hide cancels it like the read. (A fold under way in idle
      // time folds nothing twice: each folds in one transaction.)
      if (ring) await store.compact(control)
      // Only writes that start from here on have transactions the load cannot see.
      this._unread = unread
      const loaded = await store.load({ ring, control })
      if (this.store === store) this._profile.load(loaded.data, unread)
      return loaded
    } catch (error) {
      // Cancelled by a page hide (it left `_reading`): not a fault.
      throw this._reading === control ? error : CANCELLED
    } finally {
      if (this._unread === unread) this._unread = undefined
      if (this._reading === control) this._reading = undefined
    }
  }

  /** Another tab wrote models: adopt them now, and read them back after this page's next model write. */
  othersWroteModels(): void {
    this._othersWrote = true
    void this.readModels()
  }

  /** Reads the stored models and hands them to `onModels` (what this and other tabs learned). */
  async readModels(): Promise<void> {
    const store = this.store
    if (store.kind === 'memory' || this._down) return
    try {
      const records = await store.readModels()
      if (this.store === store) this.onModels(records)
    } catch (error) {
      this._fail(store, error, 'read')
    }
  }

  /** Deletes the database (even when storage is down, or this page never opened it) and switches to memory. */
  async erase(): Promise<void> {
    this.stop()
    await this.settled()
    const store = this.store
    this.store = memoryStore()
    this._down = false
    if (store.kind !== 'memory') return store.erase()
    const { _eraseDatabase } = await import('./idbEntry')
    await _eraseDatabase(this._opts.dbName)
  }

  close(): void {
    this.stop()
    this.store.close()
    this.store = memoryStore()
  }

  /**
   * The one path of every storage fault: report it (once per kind), drop the store for memory
   * (pending changes stay in the profile) and retry later. A fault of a store already replaced
   * (a write in flight when an earlier fault hit) is only reported.
   */
  private _fail(store: ProfileStore, error: unknown, kind: FaultKind): void {
    const fault = toFault(error, kind)
    this._report(fault.kind, fault)
    if (store !== this.store) return
    store.close()
    this.store = memoryStore()
    this._down = true
    this._retryLater()
  }

  private _retryLater(): void {
    if (!this._active || this._retry !== undefined) return
    this._backoff = Math.min(this._backoff * 2 || RETRY_MS, RETRY_MAX_MS)
    this._retry = setTimer(() => this._retryNow(), this._backoff)
  }

  /** Reopens the database, loads it (other tabs kept writing) and writes what was kept in memory. */
  private _retryNow(): void {
    clearTimer(this._retry)
    this._retry = undefined
    if (this._recovering || !this._active) return
    this._recovering = true
    void this._track(
      this.open(false)
        .then(async (loaded) => {
          if (!loaded || !this._active) return
          this._profile.load(loaded.data)
          this.onModels(Object.values(loaded.data.models))
          this.start()
          await this.flush()
        })
        .finally(() => {
          this._recovering = false
        }),
    )
  }

  private async _track(work: Promise<void>): Promise<void> {
    this._writes.add(work)
    await work
    this._writes.delete(work)
  }

  /** Reports each kind of fault once per page, so a broken disk does not flood onError. */
  private _report(kind: string, error: TacitError): void {
    if (this._reported.has(kind)) return
    this._reported.add(kind)
    this._onError(error)
  }
}
