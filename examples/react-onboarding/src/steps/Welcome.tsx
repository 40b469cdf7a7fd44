import { Hint } from '../Hint'
import { Actions } from './Actions'
import { onSubmit, type StepProps } from './props'

export function Welcome({ next, hint }: StepProps) {
  return (
    <form onSubmit={onSubmit(() => next())}>
      <h1 id="step-title">Welcome to Fieldnotes</h1>
      <p className="lead">A shared notebook for your team’s research. Let’s set up your workspace.</p>
      <ul className="perks">
        <li>Tell us your name and role</li>
        <li>Pick how Fieldnotes looks and what it shows first</li>
        <li>Choose what we may notify you about</li>
      </ul>
      <Hint hint={hint('step:welcome')} anchor="step:welcome" />
      <Actions>
        <button type="submit" id="start" className="primary">
          Get started
        </button>
      </Actions>
    </form>
  )
}
