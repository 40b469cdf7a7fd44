import { createTacit, type Tacit } from '@tacit/core'
import { readConfig } from './config'
import { bindAdaptation } from './declarative/adapt'
import { followConsent } from './declarative/followConsent'
import { bindGoalsAndSteps } from './declarative/goals'
import { replay, runCall } from './queue'

/**
 * The script-tag build: `<script src="tacit.min.js" data-consent="granted" async>`. Reads its
 * options from its own tag and `window.tacitConfig`, replays `window.tacit` calls queued before
 * it loaded, then exposes the API as `window.tacit` (whose `push` keeps working).
 */
type ScriptApi = Tacit & { push(call: unknown): void; readonly version: string }

const boot = (): void => {
  const win = window as Window & { tacit?: unknown }
  const existing = win.tacit as { push?: unknown; version?: unknown } | undefined
  if (existing && typeof existing === 'object' && !Array.isArray(existing) && existing.version) return // loaded twice
  const report = (error: unknown): void => console.error('[tacit]', error instanceof Error ? error.message : error)
  const script = document.currentScript || document.querySelector('script[src*="tacit"]')
  let tacit: Tacit
  try {
    tacit = createTacit(readConfig(script, win, (m) => console.warn('[tacit]', m)))
  } catch (error) {
    // A bad data-* option: say which one, leave the queue in place, break nothing.
    report(error)
    return
  }
  const api = tacit as ScriptApi
  Object.defineProperty(api, 'version', { value: '0.1.0' })
  api.push = (call: unknown) => runCall(tacit, call, report)
  const queue = win.tacit
  win.tacit = api
  replay(tacit, queue, report)
  let unbind = (): void => {}
  const bind = (): void => {
    const unbindGoals = followConsent(tacit, () => bindGoalsAndSteps(tacit, document))
    const unbindAdaptation = bindAdaptation(tacit, document, report)
    unbind = () => {
      unbindGoals()
      unbindAdaptation()
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', bind, { once: true })
  else bind()
  const destroy = tacit.destroy
  api.destroy = () => {
    document.removeEventListener('DOMContentLoaded', bind)
    unbind()
    destroy()
  }
}

boot()
