/**
 * Loads the detectors (`startDetectors`): for a bundler, a chunk of their own, off the entry that
 * loads up front (capture starts a task after `createTacit` anyway). The script-tag build, one file
 * where a lazy import only moves the modules to its end, replaces this module with a static import
 * (rollup.config.mjs).
 */
export const loadDetectors = () => import('./index')
