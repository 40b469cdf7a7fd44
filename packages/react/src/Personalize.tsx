import type { Variant } from '@tacit/core'
import type { ReactNode } from 'react'
import { decisionHook, type DecisionInfo } from './useDecision'

interface PersonalizeBase {
  /** The decision slot, as in `useDecision`. */
  slot: string
  /** The variant to show on the server and before Tacit is ready. Default: the first. */
  fallback?: string
}

/** Render-prop form: `variants` is a list and `children` renders the chosen one. */
export interface PersonalizeRenderProps extends PersonalizeBase {
  variants: readonly Variant[]
  children: (variant: string, info: DecisionInfo) => ReactNode
  tags?: never
}

/** Map form: `variants` maps each variant name to its content; `tags` optionally describes them. */
export interface PersonalizeMapProps extends PersonalizeBase {
  variants: Readonly<Record<string, ReactNode>>
  /** Tags per variant name, so the interest model can match them to this person. */
  tags?: Readonly<Record<string, readonly string[]>>
  children?: never
}

/** Props of {@link Personalize}. */
export type PersonalizeProps = PersonalizeRenderProps | PersonalizeMapProps

/**
 * Shows the variant `useDecision` picks for `slot`. Two forms:
 *
 * - a map from variant name to content (the first key is the default fallback):
 *   ```tsx
 *   <Personalize slot="hero" variants={{ value: <ValueHero />, luxury: <LuxuryHero /> }}
 *                tags={{ value: ['budget'], luxury: ['premium'] }} />
 *   ```
 * - a list of variants and a render prop, which also receives `{ ready, explanation }`:
 *   ```tsx
 *   <Personalize slot="hero" variants={['value', 'luxury']}>
 *     {(variant, { explanation }) => <Hero kind={variant} title={explanation} />}
 *   </Personalize>
 *   ```
 */
export function Personalize(props: PersonalizeProps) {
  const list = Array.isArray(props.variants)
  const variants: readonly Variant[] = list
    ? (props.variants as readonly Variant[])
    : Object.keys(props.variants).map((id) => ({ id, tags: props.tags?.[id] }))
  const [variant, info] = decisionHook('<Personalize>', props.slot, variants, props.fallback)
  if (list) return <>{(props as PersonalizeRenderProps).children(variant, info)}</>
  return <>{(props.variants as Record<string, ReactNode>)[variant]}</>
}
