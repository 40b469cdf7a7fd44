import { useState } from 'react'
import { Chips, THEMES, Toggle } from '../fields'
import { Hint } from '../Hint'
import type { PaceVerdict } from '../pace'
import { Actions } from './Actions'
import { onSubmit, type StepProps } from './props'

/** Preferences and notifications in one step, prefilled, for a person who moves confidently. */
export function QuickSetup({ answers, next, back, hint, verdict, showAll }: StepProps & { verdict: PaceVerdict | null; showAll: () => void }) {
  const [theme, setTheme] = useState(answers.theme)
  const [mentions, setMentions] = useState(answers.mentions)
  const [digest, setDigest] = useState(answers.digest)
  return (
    <form onSubmit={onSubmit(() => next({ theme, mentions, digest }))}>
      <div className="adapted" role="status">
        <p>
          <strong>A shorter setup for you.</strong> Preferences and notifications are one step, with the usual defaults.
        </p>
        {verdict && (
          <p className="why">
            <strong>Why am I seeing this?</strong> {verdict.why}
          </p>
        )}
        <button type="button" id="show-all" className="link" onClick={showAll}>
          Show every step instead
        </button>
      </div>
      <h1 id="step-title">Quick setup</h1>
      <Chips legend="Appearance" name="theme" options={THEMES} value={theme} onChange={setTheme} />
      <div className="toggles compact">
        <Toggle id="mentions" title="Mentions" detail="Email me when someone mentions me." checked={mentions} onChange={setMentions} />
        <Toggle id="digest" title="Weekly digest" detail="One email on Monday." checked={digest} onChange={setDigest} />
      </div>
      <Hint hint={hint('step:setup')} anchor="step:setup" />
      <Actions back={back}>
        <button type="submit" id="next" className="primary">
          Finish
        </button>
      </Actions>
    </form>
  )
}
