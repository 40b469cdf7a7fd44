/** The ten behaviour signals Tacit detects. See DESIGN.md for each rule. */
export type SignalType =
  | 'dwell'
  | 'engaged-time'
  | 'hesitation'
  | 'rage-click'
  | 'dead-click'
  | 'scroll-depth'
  | 'form-abandon'
  | 'drop-off'
  | 'quick-back'
  | 'idle'

export const SIGNAL_TYPES: readonly SignalType[] = [
  'dwell',
  'engaged-time',
  'hesitation',
  'rage-click',
  'dead-click',
  'scroll-depth',
  'form-abandon',
  'drop-off',
  'quick-back',
  'idle',
]

/** Fields every signal carries. */
export interface SignalBase {
  type: SignalType
  /** When it happened, epoch milliseconds. */
  t: number
  /**
   * A short stable description of the element: its `data-tacit-item` id, else tag plus id, role
   * or name (`button#buy`, `div[role=tab]`, `input[name=email]`). Never text or values.
   */
  target: string
  /** The `data-tacit-item` id of the element or its nearest tracked ancestor, if any. */
  item?: string
  /** The `data-tacit-tags` of that tracked element. */
  tags?: string[]
}

export interface DwellSignal extends SignalBase {
  type: 'dwell'
  /** Engaged milliseconds the element was at least half visible. */
  ms: number
}
export interface EngagedTimeSignal extends SignalBase {
  type: 'engaged-time'
  /** Engaged milliseconds since the previous engaged-time signal of this page. */
  ms: number
}
export interface HesitationSignal extends SignalBase {
  type: 'hesitation'
  /** How long the pointer rested, or the field stayed focused without input. */
  ms: number
  /**
   * `abandoned`: the pointer left without clicking; `clicked`: it clicked after the pause;
   * `field`: a form field stayed focused with no input.
   */
  outcome: 'abandoned' | 'clicked' | 'field'
}
export interface RageClickSignal extends SignalBase {
  type: 'rage-click'
  /** Clicks in the run when it fired (the threshold, 3 by default). */
  clicks: number
}
export interface DeadClickSignal extends SignalBase {
  type: 'dead-click'
}
export interface ScrollDepthSignal extends SignalBase {
  type: 'scroll-depth'
  /** The mark reached: 25, 50, 75, 90 or 100 by default. */
  percent: number
}
export interface FormAbandonSignal extends SignalBase {
  type: 'form-abandon'
  /** The `name` (else id) of the last field touched. Never its value. */
  field: string
  /** How many distinct fields were touched. */
  fields: number
}
export interface DropOffSignal extends SignalBase {
  type: 'drop-off'
  /** The declared funnel. `target` is the funnel name too. */
  funnel: string
  /** The furthest step reached, and its index in the funnel. */
  step: string
  index: number
}
export interface QuickBackSignal extends SignalBase {
  type: 'quick-back'
  /** Milliseconds spent on the page that was left. `target` is that page's path. */
  ms: number
}
export interface IdleSignal extends SignalBase {
  type: 'idle'
  /** Milliseconds without input when it fired (the idle threshold). */
  ms: number
}

export type Signal =
  | DwellSignal
  | EngagedTimeSignal
  | HesitationSignal
  | RageClickSignal
  | DeadClickSignal
  | ScrollDepthSignal
  | FormAbandonSignal
  | DropOffSignal
  | QuickBackSignal
  | IdleSignal

/** The signal object for one type. */
export type SignalOf<T extends SignalType> = Extract<Signal, { type: T }>
