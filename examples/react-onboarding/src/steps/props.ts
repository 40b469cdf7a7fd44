import type { FormEvent } from 'react'
import type { Answers } from '../flow'
import type { HintContent } from '../Hint'

/** What every step screen gets from the app. */
export interface StepProps {
  answers: Answers
  next(patch?: Partial<Answers>): void
  back(): void
  /** The hint for a field (`input#name`) or for the step (`step:<id>`), if one is due. */
  hint(anchor: string): HintContent | null
}

/** A submit handler that stays in the page. */
export const onSubmit = (then: () => void) => (e: FormEvent) => {
  e.preventDefault()
  then()
}
