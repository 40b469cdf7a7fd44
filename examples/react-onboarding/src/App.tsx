import { useSignal, useTacit } from '@tacit/react'
import { useEffect } from 'react'
import { funnelSteps } from './flow'
import { FIELD_HINTS, GUIDED_AFTER, STEP_HINTS } from './guidance'
import type { HintContent } from './Hint'
import { Panel } from './Panel'
import { Progress } from './Progress'
import { Done } from './steps/Done'
import { Notifications } from './steps/Notifications'
import { Preferences } from './steps/Preferences'
import { Profile } from './steps/Profile'
import type { StepProps } from './steps/props'
import { QuickSetup } from './steps/QuickSetup'
import { Welcome } from './steps/Welcome'
import { flowOf, useFlow } from './useFlow'

/** The onboarding card and the "What this page noticed" panel. */
export function App() {
  const tacit = useTacit()
  const { state, next, back, hesitated, showAll, restart } = useFlow()
  const { step, noticed } = state

  useSignal('hesitation', hesitated)

  useEffect(() => {
    if (!tacit) return
    for (const s of funnelSteps(step)) tacit.step('onboarding', s)
    if (step === 'done') tacit.track('onboarding-complete')
  }, [tacit, step, state.shownAt])

  const hint = (anchor: string): HintContent | null => {
    const text = anchor.startsWith('step:') ? STEP_HINTS[step] : FIELD_HINTS[anchor]
    const last = [...noticed].reverse().find((n) => n.anchor === anchor && n.step === step)
    if (last) return { text, why: last.why }
    const earlier = noticed.filter((n) => n.step !== step).length
    if (anchor === `step:${step}` && earlier >= GUIDED_AFTER) {
      return { text, why: `You paused ${earlier} times on earlier steps, so every step now opens with a short tip.` }
    }
    return null
  }

  const props: StepProps = { answers: state.answers, next, back, hint }
  return (
    <div className="layout">
      <main className="card" data-step={step} aria-labelledby="step-title">
        <Progress flow={flowOf(state)} step={step} />
        {step === 'welcome' && <Welcome {...props} />}
        {step === 'profile' && <Profile {...props} />}
        {step === 'preferences' && <Preferences {...props} />}
        {step === 'notifications' && <Notifications {...props} />}
        {step === 'setup' && <QuickSetup {...props} verdict={state.verdict} showAll={showAll} />}
        {step === 'done' && <Done answers={state.answers} steps={flowOf(state).length} visited={state.visited} ms={state.shownAt - state.startedAt} restart={restart} />}
      </main>
      <Panel state={state} />
    </div>
  )
}
