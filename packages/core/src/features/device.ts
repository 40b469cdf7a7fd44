import { getNavigator, getWindow } from '../env'

export type DeviceClass = 'mobile' | 'tablet' | 'desktop'

/** Phone, tablet or desktop, from the viewport width and touch support (read once, at start). */
export const deviceClass = (): DeviceClass => {
  const w = getWindow()
  const nav = getNavigator()
  if (!w) return 'desktop'
  const touch = (nav?.maxTouchPoints ?? 0) > 0
  const width = Math.min(w.screen?.width || w.innerWidth || 1024, w.screen?.height || w.innerHeight || 1024)
  if (touch && width < 600) return 'mobile'
  if (touch && width < 1100) return 'tablet'
  return 'desktop'
}
