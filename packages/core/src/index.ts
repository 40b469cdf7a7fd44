export { createTacit } from './api/createTacit'
export type { ExplainTarget, Tacit, TacitExport, TacitProfile } from './api/types'
export type { DecideOptions, Decision, Variant } from './api/decisions'
export type { RankItem } from './model/interests'
export { TacitArgumentError, TacitConfigError, TacitError } from './errors'
export { resolveOptions } from './options'
export type { Consent, ResolvedOptions, TacitOptions } from './options'
export type { SignalListener } from './signals/bus'
export { SIGNAL_TYPES } from './signals/types'
export { describeTarget, interactiveAncestor } from './signals/target'
export type { TargetInfo } from './signals/target'
export type {
  DeadClickSignal,
  DropOffSignal,
  DwellSignal,
  EngagedTimeSignal,
  FormAbandonSignal,
  HesitationSignal,
  IdleSignal,
  QuickBackSignal,
  RageClickSignal,
  ScrollDepthSignal,
  Signal,
  SignalBase,
  SignalOf,
  SignalType,
} from './signals/types'
export type {
  DecisionRecord,
  FunnelRecord,
  ItemRecord,
  ModelRecord,
  OutcomeRecord,
  PageRecord,
  SessionRecord,
  SignalRecord,
  TagRecord,
  VisitorRecord,
} from './profile/schemas'
