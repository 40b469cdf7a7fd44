import type { RankItem } from '@tacit/core'
import { useSelected } from './useSelected'

const sameOrder = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((item, i) => item === b[i])

/**
 * The same items, those this person attends to most first (ties keep the given order). On the
 * server and before Tacit is ready it is the given order. The component re-renders only when the
 * order changes, not on every signal.
 *
 * @param items `{ id, tags? }` objects; mark the rendered elements with `data-tacit-item={id}`
 * (and `data-tacit-tags`) so Tacit learns from the attention they get.
 * @example
 * ```tsx
 * const ranked = useRank(products)
 * return ranked.map((p) => <Card key={p.id} data-tacit-item={p.id} data-tacit-tags={p.tags.join(',')} />)
 * ```
 */
export function useRank<T extends RankItem>(items: readonly T[]): readonly T[] {
  return useSelected('useRank', (tacit) => (tacit ? tacit.rank(items) : items), sameOrder)
}
