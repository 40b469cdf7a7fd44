import type { HesitationSignal } from '@tacit/core'
import { useReducer } from 'react'
import { DECIDE_AFTER, DEFAULT_ANSWERS, FULL_FLOW, SHORT_FLOW, type Answers, type StepId } from './flow'
import { noticeHesitation, type Noticed } from './guidance'
import { assessPace, type PaceVerdict, type StepTimes } from './pace'

export interface FlowState {
  /** Undecided until the person leaves the profile step. */
  plan: 'undecided' | 'full' | 'short'
  step: StepId
  /** When the current step appeared (epoch ms). */
  shownAt: number
  startedAt: number
  times: StepTimes
  /** Every screen shown, in order. */
  visited: StepId[]
  /** The hesitations the app acted on. */
  noticed: Noticed[]
  verdict: PaceVerdict | null
  answers: Answers
}

type Action =
  | { type: 'next'; t: number; patch: Partial<Answers> }
  | { type: 'back'; t: number }
  | { type: 'hesitation'; signal: HesitationSignal }
  | { type: 'show-all'; t: number }
  | { type: 'restart'; t: number }

export const flowOf = (state: FlowState): readonly StepId[] => (state.plan === 'short' ? SHORT_FLOW : FULL_FLOW)

const start = (t: number): FlowState => ({
  plan: 'undecided',
  step: 'welcome',
  shownAt: t,
  startedAt: t,
  times: {},
  visited: ['welcome'],
  noticed: [],
  verdict: null,
  answers: DEFAULT_ANSWERS,
})

const go = (state: FlowState, step: StepId, t: number): FlowState => ({ ...state, step, shownAt: t, visited: [...state.visited, step] })

const reduce = (state: FlowState, action: Action): FlowState => {
  switch (action.type) {
    case 'next': {
      const times = { ...state.times, [state.step]: action.t - state.shownAt }
      let next: FlowState = { ...state, times, answers: { ...state.answers, ...action.patch } }
      if (state.step === DECIDE_AFTER && state.plan === 'undecided') {
        const verdict = assessPace(state.noticed, times)
        next = { ...next, verdict, plan: verdict.confident ? 'short' : 'full' }
      }
      const flow = flowOf(next)
      return go(next, flow[Math.min(flow.indexOf(state.step) + 1, flow.length - 1)], action.t)
    }
    case 'back': {
      const flow = flowOf(state)
      const i = flow.indexOf(state.step)
      return i > 0 ? go(state, flow[i - 1], action.t) : state
    }
    case 'hesitation': {
      const noticed = noticeHesitation(action.signal, state.step, state.shownAt)
      return noticed ? { ...state, noticed: [...state.noticed, noticed] } : state
    }
    case 'show-all':
      return state.step === 'setup' ? go({ ...state, plan: 'full' }, 'preferences', action.t) : state
    case 'restart':
      return start(action.t)
  }
}

/** The onboarding state machine: which flow, which step, what was noticed, what was chosen. */
export const useFlow = () => {
  const [state, dispatch] = useReducer(reduce, 0, () => start(Date.now()))
  return {
    state,
    next: (patch: Partial<Answers> = {}) => dispatch({ type: 'next', t: Date.now(), patch }),
    back: () => dispatch({ type: 'back', t: Date.now() }),
    hesitated: (signal: HesitationSignal) => dispatch({ type: 'hesitation', signal }),
    showAll: () => dispatch({ type: 'show-all', t: Date.now() }),
    restart: () => dispatch({ type: 'restart', t: Date.now() }),
  }
}
