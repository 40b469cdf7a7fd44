import { STEP_TITLES, type StepId } from './flow'
import type { Noticed } from './guidance'

/** A step counts as quick when it took at most this long, welcome included. */
export const QUICK_STEP_MS = 15_000

/** How long each finished step took. */
export type StepTimes = Partial<Record<StepId, number>>

export interface PaceVerdict {
  /** Shorten the flow: no hesitation and every step so far quick. */
  confident: boolean
  /** The reason, in the words shown to the person. */
  why: string
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/** Decides, after the profile step, whether this person gets the short flow. */
export const assessPace = (noticed: readonly Noticed[], times: StepTimes): PaceVerdict => {
  const steps = Object.entries(times) as [StepId, number][]
  const list = steps.map(([id, ms]) => `${STEP_TITLES[id]} in ${seconds(ms)}`).join(' and ')
  if (noticed.length) {
    const n = noticed.length
    return { confident: false, why: `You paused ${n} time${n > 1 ? 's' : ''}, so you get every step, with tips where you paused.` }
  }
  const slow = steps.find(([, ms]) => ms > QUICK_STEP_MS)
  if (slow) return { confident: false, why: `You took your time on ${STEP_TITLES[slow[0]]} (${seconds(slow[1])}), so you get every step.` }
  return {
    confident: true,
    why: `You finished ${list} without pausing anywhere.`,
  }
}
