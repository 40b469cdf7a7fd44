import { describe, expect, it } from 'vitest'
import type { Consent, Tacit } from '@tacit/core'
import { followConsent } from '../src/declarative/followConsent'

/** Just enough of Tacit: a consent that can change, and its change notifications. */
const fake = (initial: Consent) => {
  let consent = initial
  const listeners = new Set<() => void>()
  const tacit = {
    get consent() {
      return consent
    },
    subscribe(cb: () => void) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
  } as unknown as Tacit
  const set = (next: Consent) => {
    consent = next
    for (const cb of listeners) cb()
  }
  return { tacit, set, listeners }
}

describe('followConsent', () => {
  it('attaches nothing while consent is denied, attaches when it is given, detaches when it is withdrawn', () => {
    const { tacit, set } = fake('denied')
    let attached = 0
    const off = followConsent(tacit, () => {
      attached++
      return () => attached--
    })
    expect(attached).toBe(0)
    set('pending')
    expect(attached).toBe(1)
    set('granted')
    expect(attached).toBe(1) // not twice
    set('denied')
    expect(attached).toBe(0)
    set('granted')
    expect(attached).toBe(1)
    off()
    expect(attached).toBe(0)
  })

  it('stops listening for changes once removed', () => {
    const { tacit, listeners } = fake('granted')
    const off = followConsent(tacit, () => () => {})
    expect(listeners.size).toBe(1)
    off()
    expect(listeners.size).toBe(0)
  })
})
