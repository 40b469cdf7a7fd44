import { usePrediction, useTacit } from '@tacit/react'
import { useState } from 'react'
import { STEP_TITLES } from './flow'
import type { FlowState } from './useFlow'

const paceOf = (state: FlowState): string => {
  const tips = state.noticed.length > 0
  if (state.plan === 'short') return 'Confident: the flow is shortened to 4 steps.'
  if (state.plan === 'undecided') return tips ? 'Taking it slowly: tips are on.' : 'Watching how the first two steps go…'
  if (tips) return 'Taking it slowly: every step, with tips.'
  return state.verdict?.confident ? 'You asked for every step.' : 'Every step.'
}

/**
 * What the page noticed and did about it, and Tacit's drop-off risk, so the adaptation is never
 * a mystery. `data-ready` turns true once Tacit has loaded the profile and models.
 */
export function Panel({ state }: { state: FlowState }) {
  const tacit = useTacit()
  const { dropOff, ready } = usePrediction()
  const [erased, setErased] = useState(false)
  const erase = () => {
    void tacit?.erase().then(() => setErased(true))
  }
  return (
    <aside className="panel" aria-label="What this page noticed" data-ready={ready ? 'true' : 'false'}>
      <h2>What this page noticed</h2>
      <p className="small">
        Tacit watches pauses, not content: it never reads what you type. Everything stays in this browser.
      </p>
      <button type="button" id="erase" className="quiet" onClick={erase} disabled={!tacit}>
        Erase what Tacit stored
      </button>
      {/* What changes on its own comes below everything else and keeps its size, so nothing moves (no layout shift). */}
      <dl>
        <dt>Risk of dropping off</dt>
        <dd className="risk">
          <meter min={0} max={1} low={0.4} high={0.7} optimum={0} value={dropOff} aria-label="Risk of dropping off" />
          <span id="risk">{ready ? `${Math.round(dropOff * 100)}%` : 'loading…'}</span>
          <small>Tacit’s intent model, on this device, from a hand-set demo prior: pauses raise it, progress lowers it.</small>
        </dd>
        <dt>Pace</dt>
        <dd id="pace">{paceOf(state)}</dd>
        <dt>Hesitations acted on</dt>
        <dd>
          {state.noticed.length ? (
            <ol id="noticed">
              {state.noticed.map((n, i) => (
                <li key={i}>
                  <b>{STEP_TITLES[n.step]}:</b> {n.why}
                </li>
              ))}
            </ol>
          ) : (
            'None so far.'
          )}
        </dd>
      </dl>
      {erased && (
        <p className="small" role="status">
          Erased: this browser holds nothing from Tacit now.
        </p>
      )}
    </aside>
  )
}
