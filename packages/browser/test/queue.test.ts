import type { Tacit } from '@tacit/core'
import { describe, expect, it, vi } from 'vitest'
import { replay, runCall } from '../src/queue'

/** A stand-in for the API that records every call, in order. */
const fakeTacit = () => {
  const calls: unknown[][] = []
  const api = {
    ready: Promise.resolve(),
    storage: 'memory',
    track: (...args: unknown[]) => void calls.push(['track', ...args]),
    step: (...args: unknown[]) => void calls.push(['step', ...args]),
    on: (...args: unknown[]) => {
      calls.push(['on', ...args])
      return () => {}
    },
    setConsent: () => {
      throw new Error('consent exploded')
    },
    erase: () => Promise.reject(new Error('erase failed')),
    export: async () => {
      calls.push(['export'])
      return '{}'
    },
    _flush: () => void calls.push(['_flush']),
  }
  return { api: api as unknown as Tacit, calls }
}

const message = (error: unknown): string => (error as Error).message

describe('runCall', () => {
  it('calls the named method with the arguments, on the API as `this`', () => {
    let self: unknown
    const api = { track(this: unknown, ...args: unknown[]) { self = this; seen.push(args) } }
    const seen: unknown[][] = []
    const onError = vi.fn()
    runCall(api as unknown as Tacit, ['track', 'purchase', 49], onError)
    expect(seen).toEqual([['purchase', 49]])
    expect(self).toBe(api)
    expect(onError).not.toHaveBeenCalled()
  })

  it('reports an unknown method through the callback', () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    runCall(api, ['trak', 'signup'], onError)
    expect(calls).toEqual([])
    expect(onError).toHaveBeenCalledTimes(1)
    expect(message(onError.mock.calls[0][0])).toBe('tacit.push(): "trak" is not a Tacit method')
  })

  it('refuses properties that are not functions (ready, storage)', () => {
    const { api } = fakeTacit()
    const onError = vi.fn()
    runCall(api, ['ready'], onError)
    runCall(api, ['storage'], onError)
    expect(onError.mock.calls.map(([e]) => message(e))).toEqual([
      'tacit.push(): "ready" is not a Tacit method',
      'tacit.push(): "storage" is not a Tacit method',
    ])
  })

  it('refuses methods inherited from Object (toString, constructor, hasOwnProperty)', () => {
    const { api } = fakeTacit()
    const onError = vi.fn()
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) runCall(api, [name], onError)
    expect(onError).toHaveBeenCalledTimes(4)
    expect(message(onError.mock.calls[1][0])).toBe('tacit.push(): "constructor" is not a Tacit method')
  })

  it('refuses _-prefixed names, even when the API has such a function', () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    runCall(api, ['_flush'], onError)
    runCall(api, ['__proto__'], onError)
    expect(calls).toEqual([])
    expect(onError.mock.calls.map(([e]) => message(e))).toEqual([
      'tacit.push(): "_flush" is not a Tacit method',
      'tacit.push(): "__proto__" is not a Tacit method',
    ])
  })

  it('reports an entry that is not an array, or has no method name, with an example of the right form', () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    runCall(api, 'track', onError)
    runCall(api, { method: 'track' }, onError)
    runCall(api, [], onError)
    runCall(api, [42, 'signup'], onError)
    expect(calls).toEqual([])
    expect(onError.mock.calls.map(([e]) => message(e))).toEqual([
      `tacit.push() takes an array like ['track', 'signup'], got "track"`,
      `tacit.push() takes an array like ['track', 'signup'], got {"method":"track"}`,
      `tacit.push() takes an array like ['track', 'signup'], got []`,
      `tacit.push() takes an array like ['track', 'signup'], got [42,"signup"]`,
    ])
  })

  it('describes an entry JSON cannot serialise (a cycle, a BigInt, a function) instead of failing on it', () => {
    const { api } = fakeTacit()
    const onError = vi.fn()
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    runCall(api, cyclic, onError)
    runCall(api, 10n, onError)
    runCall(api, () => {}, onError)
    expect(onError.mock.calls.map(([e]) => message(e))).toEqual([
      `tacit.push() takes an array like ['track', 'signup'], got object`,
      `tacit.push() takes an array like ['track', 'signup'], got bigint`,
      `tacit.push() takes an array like ['track', 'signup'], got function`,
    ])
  })

  it('reports a method that throws, and does not throw itself', () => {
    const { api } = fakeTacit()
    const onError = vi.fn()
    expect(() => runCall(api, ['setConsent', 'granted'], onError)).not.toThrow()
    expect(onError).toHaveBeenCalledTimes(1)
    expect(message(onError.mock.calls[0][0])).toBe('consent exploded')
  })

  it('reports a rejected promise from a method, so it is never an unhandled rejection', async () => {
    const { api } = fakeTacit()
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const onError = vi.fn()
      runCall(api, ['erase'], onError)
      expect(onError).not.toHaveBeenCalled() // reported when the promise settles, not before
      await new Promise((r) => setTimeout(r, 10))
      expect(onError).toHaveBeenCalledTimes(1)
      expect(message(onError.mock.calls[0][0])).toBe('erase failed')
      expect(unhandled).not.toHaveBeenCalled()
    } finally {
      process.off('unhandledRejection', unhandled)
    }
  })

  it('a resolved promise from a method is not reported', async () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    runCall(api, ['export'], onError)
    await new Promise((r) => setTimeout(r, 10))
    expect(calls).toEqual([['export']])
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('replay', () => {
  it('replays the queued calls in order', () => {
    const { api, calls } = fakeTacit()
    const cb = (): void => {}
    const onError = vi.fn()
    replay(api, [['on', 'hesitation', cb], ['track', 'signup'], ['step', 'checkout', 'cart'], ['track', 'purchase', 49]], onError)
    expect(calls).toEqual([
      ['on', 'hesitation', cb],
      ['track', 'signup'],
      ['step', 'checkout', 'cart'],
      ['track', 'purchase', 49],
    ])
    expect(onError).not.toHaveBeenCalled()
  })

  it('a bad entry is reported and the calls after it still run', async () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    replay(
      api,
      [
        ['track', 'first'],
        ['nope'],
        'track',
        ['setConsent', 'granted'],
        ['_flush'],
        ['erase'],
        ['track', 'last'],
      ],
      onError,
    )
    expect(calls).toEqual([
      ['track', 'first'],
      ['track', 'last'],
    ])
    await new Promise((r) => setTimeout(r, 10))
    expect(onError.mock.calls.map(([e]) => message(e))).toEqual([
      'tacit.push(): "nope" is not a Tacit method',
      `tacit.push() takes an array like ['track', 'signup'], got "track"`,
      'consent exploded',
      'tacit.push(): "_flush" is not a Tacit method',
      'erase failed',
    ])
  })

  it('does nothing when there was no queue (or it is not an array)', () => {
    const { api, calls } = fakeTacit()
    const onError = vi.fn()
    replay(api, undefined, onError)
    replay(api, { push: () => {} }, onError)
    expect(calls).toEqual([])
    expect(onError).not.toHaveBeenCalled()
  })
})
