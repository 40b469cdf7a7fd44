import { emptyData, type ProfileStore } from './types'

/**
 * The store used without consent, without IndexedDB, or when opening it failed: it persists
 * nothing, so the in-memory profile of the page is all there is.
 */
export const memoryStore = (): ProfileStore => ({
  kind: 'memory',
  load: () => Promise.resolve({ data: emptyData(), dropped: 0, expired: 0 }),
  pruneRing: () => Promise.resolve({ dropped: 0, expired: 0 }),
  write: () => Promise.resolve(),
  append: () => Promise.resolve(),
  readModels: () => Promise.resolve([]),
  compact: () => Promise.resolve(),
  erase: () => Promise.resolve(),
  close: () => {},
})
