import { useState } from 'react'
import { Chips, MultiChips, THEMES, TOPICS } from '../fields'
import { Hint } from '../Hint'
import { Actions } from './Actions'
import { onSubmit, type StepProps } from './props'

export function Preferences({ answers, next, back, hint }: StepProps) {
  const [theme, setTheme] = useState(answers.theme)
  const [topics, setTopics] = useState(answers.topics)
  return (
    <form onSubmit={onSubmit(() => next({ theme, topics }))}>
      <h1 id="step-title">Make it yours</h1>
      <Chips legend="Appearance" name="theme" options={THEMES} value={theme} onChange={setTheme} />
      <MultiChips legend="Show these first on your home page" name="topics" options={TOPICS} values={topics} onChange={setTopics} />
      <Hint hint={hint('step:preferences')} anchor="step:preferences" />
      <Actions back={back}>
        <button type="submit" id="next" className="primary">
          Continue
        </button>
      </Actions>
    </form>
  )
}
