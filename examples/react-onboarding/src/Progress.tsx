import { STEP_TITLES, type StepId } from './flow'

/** "Step 2 of 5" and the list of steps of the current flow. */
export function Progress({ flow, step }: { flow: readonly StepId[]; step: StepId }) {
  const at = flow.indexOf(step)
  return (
    <nav aria-label="Onboarding progress">
      <p className="count" id="step-count">
        Step {at + 1} of {flow.length}
      </p>
      <ol className="progress" id="progress">
        {flow.map((s, i) => (
          <li key={s} className={i < at ? 'past' : i === at ? 'current' : undefined} aria-current={i === at ? 'step' : undefined}>
            {STEP_TITLES[s]}
          </li>
        ))}
      </ol>
    </nav>
  )
}
