import type { HesitationSignal } from '@tacit/core'
import type { StepId } from './flow'

/** A hesitation the app acts on: where it puts a hint, and the sentence that explains it. */
export interface Noticed {
  step: StepId
  /** A field's target (`input#name`) when the field has its own hint, else `step:<id>`. */
  anchor: string
  target: string
  ms: number
  outcome: HesitationSignal['outcome']
  /** "Why am I seeing this?", answered from the signal itself. */
  why: string
}

/** Hints placed right under one field. Keys are Tacit's target descriptions. */
export const FIELD_HINTS: Record<string, string> = {
  'input#name': 'This is the name teammates see next to your comments. A first name is enough, and you can change it any time.',
}

/** One hint per step, shown above its buttons. */
export const STEP_HINTS: Record<StepId, string> = {
  welcome: 'Setup takes about a minute. Every answer can be changed later in Settings, and nothing you do here leaves your browser.',
  profile: 'Your role only changes which examples we show first. Pick the closest one: there is no wrong answer.',
  preferences: 'Not sure? “System” follows your device’s light or dark mode. Topics only order your home feed; you can change them whenever you like.',
  notifications: 'Most people keep only Mentions on. Every email has a one-click way to turn it off.',
  setup: 'These are the defaults most people keep. Change anything now or later in Settings.',
  done: '',
}

/** Plain names for the elements a person can pause on. */
const LABELS: Record<string, string> = {
  'button#start': '“Get started”',
  'button#next': '“Continue”',
  'button#back': '“Back”',
  'input#name': 'the Display name field',
  label: 'one of the options',
}

/** Elements outside the onboarding card: pausing there says nothing about the flow. */
const OUTSIDE_FLOW = new Set(['button#erase', 'button#restart'])

/**
 * Pointer pauses that start this soon after a step appears are the new step landing under a
 * pointer that had not moved: reading, not hesitating.
 */
export const SETTLE_MS = 400

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

const labelOf = (target: string): string => LABELS[target] ?? LABELS[target.replace(/#.*/, '')] ?? 'an element of this step'

/** The sentence shown under "Why am I seeing this?". */
export const explainHesitation = (s: Pick<HesitationSignal, 'target' | 'ms' | 'outcome'>): string => {
  const label = labelOf(s.target)
  if (s.outcome === 'field') return `You focused ${label} and did not type for ${seconds(s.ms)}.`
  if (s.outcome === 'clicked') return `Your pointer rested on ${label} for ${seconds(s.ms)} before clicking.`
  return `Your pointer rested on ${label} for ${seconds(s.ms)}, then moved away without clicking.`
}

/**
 * Turns one of Tacit's hesitation signals into a hint, or null when it says nothing about the
 * flow: a pause outside the card, a pointer resting on a text field (people leave it there
 * while typing; the field rule covers fields), or a step that appeared under a still pointer.
 */
export const noticeHesitation = (s: HesitationSignal, step: StepId, stepShownAt: number): Noticed | null => {
  if (step === 'done' || OUTSIDE_FLOW.has(s.target)) return null
  const pointer = s.outcome !== 'field'
  if (pointer && /^(input|textarea)\b/.test(s.target)) return null
  if (pointer && s.t - s.ms < stepShownAt + SETTLE_MS) return null
  const anchor = s.outcome === 'field' && FIELD_HINTS[s.target] ? s.target : `step:${step}`
  return { step, anchor, target: s.target, ms: s.ms, outcome: s.outcome, why: explainHesitation(s) }
}

/** After this many hesitations on earlier steps, every step opens with its hint. */
export const GUIDED_AFTER = 2
