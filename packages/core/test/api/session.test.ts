import { describe, expect, it, vi } from 'vitest'
import { Session } from '../../src/api/session'
import { resolveOptions } from '../../src/options'
import { Profile } from '../../src/profile/profile'
import { emptyData, type ProfileData } from '../../src/profile/types'
import type { Activity } from '../../src/signals/activity'
import type { Signal } from '../../src/signals/types'

const T = Date.UTC(2026, 11, 1, 12)

const stored = (page: { path: string; stay: number; interacted?: boolean }): ProfileData => {
  const data = emptyData()
  data.visitor = {
    key: 'visitor',
    firstSeen: T - 60_000,
    lastSeen: T - 1000,
    visits: 1,
    sessionId: 's1',
    lastPage: { path: page.path, arrivedAt: T - 1000 - page.stay, leftAt: T - 1000, interacted: page.interacted ?? false },
    updatedAt: T - 1000,
  }
  data.sessions.s1 = { id: 's1', start: T - 60_000, lastActive: T - 1000, pages: 2, engagedMs: 0, maxScroll: 0, counts: {}, updatedAt: T - 1000 }
  return data
}

const run = (data: ProfileData, navigation: string, path = '/a') => {
  vi.useFakeTimers({ now: T })
  const signals: Signal[] = []
  const profile = new Profile(500)
  profile.load(data)
  const session = new Session(profile, resolveOptions({}), { interacted: false } as Activity, (s) => signals.push(s), path, () => navigation)
  session.resolve(data)
  return { signals, session, profile }
}

describe('quick-back', () => {
  it('fires when the back button returns here from a page left under 5 s after arriving, untouched', () => {
    const { signals, session } = run(stored({ path: '/b', stay: 4999 }), 'back_forward')
    expect(signals).toEqual([expect.objectContaining({ type: 'quick-back', target: '/b', ms: 4999 })])
    expect(session.id).toBe('s1') // the same session continues
  })

  it('does not fire at exactly 5 s, after interaction, on a normal navigation, or for the same page', () => {
    expect(run(stored({ path: '/b', stay: 5000 }), 'back_forward').signals).toEqual([])
    expect(run(stored({ path: '/b', stay: 1000, interacted: true }), 'back_forward').signals).toEqual([])
    expect(run(stored({ path: '/b', stay: 1000 }), 'navigate').signals).toEqual([])
    expect(run(stored({ path: '/a', stay: 1000 }), 'back_forward', '/a').signals).toEqual([])
  })

  it('the page being left records its path and stay for the next page, without query or text', () => {
    const { session, profile } = run(emptyData(), 'navigate', '/shop')
    vi.advanceTimersByTime(2000)
    session.hidden()
    expect(profile.data.visitor?.lastPage).toEqual({ path: '/shop', arrivedAt: T, leftAt: T + 2000, interacted: false })
    session.destroy()
  })
})

describe('sessions', () => {
  it('a page within the timeout continues the session; after it, a new one starts and counts a visit', () => {
    const data = stored({ path: '/b', stay: 10_000 })
    const cont = run(data, 'navigate')
    expect(cont.session.id).toBe('s1')
    expect(cont.profile.data.visitor?.visits).toBe(1)
    expect(cont.profile.data.sessions.s1.pages).toBe(3)
    data.sessions.s1.lastActive = T - 30 * 60_000
    const fresh = run(data, 'navigate')
    expect(fresh.session.id).not.toBe('s1')
    expect(fresh.profile.data.visitor?.visits).toBe(2)
  })
})
