/**
 * What `Persistence` imports lazily of `idbStore.ts`. Through this module, not `idbStore.ts` itself:
 * `encryptedStore.ts` imports every other export of it, and a dynamic import of `idbStore.ts` would
 * keep in the script-tag bundle a namespace object listing all of them. The `_` names are what
 * terser shortens there (the keys of a lazy import's namespace object stay, see privateNames.mjs).
 */
export { eraseDatabase as _eraseDatabase, loadStartupCopy as _loadStartupCopy, openIdbStore as _openIdbStore } from './idbStore'
