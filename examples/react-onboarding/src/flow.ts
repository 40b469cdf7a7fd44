import type { TacitOptions } from '@tacit/core'
import { DROP_OFF_PRIOR } from './dropOffPrior'

/** Every screen the app can show. `setup` is preferences and notifications in one, for the short flow. */
export type StepId = 'welcome' | 'profile' | 'preferences' | 'notifications' | 'setup' | 'done'

/** The funnel Tacit tracks: the full flow. The short flow records both settings steps at `setup`. */
export const FUNNEL = ['welcome', 'profile', 'preferences', 'notifications', 'done'] as const

export const FULL_FLOW: readonly StepId[] = FUNNEL
export const SHORT_FLOW: readonly StepId[] = ['welcome', 'profile', 'setup', 'done']

/** The steps after which the app decides between the full and the short flow. */
export const DECIDE_AFTER: StepId = 'profile'

export const STEP_TITLES: Record<StepId, string> = {
  welcome: 'Welcome',
  profile: 'Profile',
  preferences: 'Preferences',
  notifications: 'Notifications',
  setup: 'Quick setup',
  done: 'Done',
}

/** Funnel steps a screen stands for. */
export const funnelSteps = (step: StepId): readonly string[] => (step === 'setup' ? ['preferences', 'notifications'] : [step])

/** Read once by the provider on mount. The demo asks no consent question: it is granted up front. */
export const TACIT_OPTIONS: TacitOptions = {
  consent: 'granted',
  funnels: { onboarding: [...FUNNEL] },
  model: { prior: { dropOff: DROP_OFF_PRIOR } },
}

/** What the person chose. */
export interface Answers {
  name: string
  role: string
  theme: string
  topics: string[]
  mentions: boolean
  digest: boolean
  news: boolean
}

/** Defaults most people keep: what the short flow starts from. */
export const DEFAULT_ANSWERS: Answers = {
  name: '',
  role: '',
  theme: 'system',
  topics: [],
  mentions: true,
  digest: false,
  news: false,
}
