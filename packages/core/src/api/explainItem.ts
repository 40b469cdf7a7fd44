import { affinity, type RankItem } from '../model/interests'
import type { ProfileData } from '../profile/types'

/**
 * Why `rank` puts `item` where it does, in plain words: the tag (or the item itself) that earned
 * it a place, or that nothing the person looked at relates to it.
 */
export const explainItem = (item: RankItem, data: ProfileData, now: number, halfLifeMs: number): string => {
  const own = affinity(data.items[item.id]?.interest, now, halfLifeMs)
  let top = ''
  let best = 0
  for (const raw of item.tags ?? []) {
    const tag = String(raw).toLowerCase()
    const a = affinity(data.tags[tag]?.interest, now, halfLifeMs)
    if (a > best) [top, best] = [tag, a]
  }
  if (best <= 0 && own <= 0) return "In the site's usual order: nothing you have looked at relates to it yet."
  if (own >= best) return 'Shown early because you have looked at it before.'
  return `Shown early because you often look at ${top} items.`
}
