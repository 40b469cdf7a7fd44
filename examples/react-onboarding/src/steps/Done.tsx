import { STEP_TITLES, type Answers, type StepId } from '../flow'
import { ROLES, THEMES, TOPICS, type Option } from '../fields'

const labelOf = (options: readonly Option[], value: string): string => options.find((o) => o.value === value)?.label ?? '—'

/** The last screen: what was chosen, and the path the person took. */
/** `steps`: how many steps the flow had; `visited`: every screen shown, Back included. */
export function Done({ answers, steps, visited, ms, restart }: { answers: Answers; steps: number; visited: readonly StepId[]; ms: number; restart: () => void }) {
  const notify = [answers.mentions && 'Mentions', answers.digest && 'Weekly digest', answers.news && 'Product news'].filter(Boolean).join(', ')
  return (
    <div>
      <h1 id="step-title">You’re all set{answers.name ? `, ${answers.name}` : ''}.</h1>
      <p className="lead" id="summary">
        Finished in {steps} steps and {(ms / 1000).toFixed(0)} s.
      </p>
      <p className="trail" id="trail">
        Your path: {visited.map((s) => STEP_TITLES[s]).join(' → ')}
      </p>
      <dl className="choices">
        <dt>Role</dt>
        <dd>{labelOf(ROLES, answers.role)}</dd>
        <dt>Appearance</dt>
        <dd>{labelOf(THEMES, answers.theme)}</dd>
        <dt>First on your home page</dt>
        <dd>{answers.topics.map((t) => labelOf(TOPICS, t)).join(', ') || 'Everything, newest first'}</dd>
        <dt>Notifications</dt>
        <dd>{notify || 'None'}</dd>
      </dl>
      <div className="actions">
        <button type="button" id="restart" className="quiet" onClick={restart}>
          Start over
        </button>
      </div>
    </div>
  )
}
