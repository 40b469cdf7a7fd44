/**
 * `@tacit/core/internal`: what Tacit's own packages share with core, not public API (it may change
 * in any release, without notice). The script tag (packages/browser) adds its declarative click
 * handlers through core's `listen`, so that a click of the page calls into script once for core's
 * detectors and the script tag's goals, steps and rewards together.
 */
export { listen } from './signals/listen'
