import { useState } from 'react'
import { Chips, ROLES } from '../fields'
import { Hint } from '../Hint'
import { Actions } from './Actions'
import { onSubmit, type StepProps } from './props'

export function Profile({ answers, next, back, hint }: StepProps) {
  const [name, setName] = useState(answers.name)
  const [role, setRole] = useState(answers.role)
  return (
    <form onSubmit={onSubmit(() => next({ name: name.trim(), role }))}>
      <h1 id="step-title">About you</h1>
      <Chips legend="Your role" name="role" options={ROLES} value={role} onChange={setRole} />
      {/* Last before the step's hint and buttons: its hint appears after a pause and pushes nothing. */}
      <div className="field">
        <label htmlFor="name">Display name</label>
        <input id="name" name="name" autoComplete="given-name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Hint hint={hint('input#name')} anchor="input#name" />
      </div>
      <Hint hint={hint('step:profile')} anchor="step:profile" />
      <Actions back={back}>
        <button type="submit" id="next" className="primary">
          Continue
        </button>
      </Actions>
    </form>
  )
}
