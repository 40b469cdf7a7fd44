import { describe, expect, it, vi } from 'vitest'
import { listen } from '../../src/signals/listen'

describe('listen', () => {
  it('handlers of one type on one target share one real listener, run in order, and each removal removes only its own', () => {
    const add = vi.spyOn(document, 'addEventListener')
    const remove = vi.spyOn(document, 'removeEventListener')
    try {
      const calls: string[] = []
      const a = (): void => void calls.push('a')
      const offA = listen(document, 'pointerover', a)
      const offA2 = listen(document, 'pointerover', a) // the same function twice runs twice
      const offB = listen(document, 'pointerover', () => calls.push('b'))
      expect(add.mock.calls.filter(([type]) => type === 'pointerover')).toHaveLength(1)
      document.dispatchEvent(new Event('pointerover'))
      expect(calls).toEqual(['a', 'a', 'b'])

      offA2()
      offA2() // twice: no effect
      document.dispatchEvent(new Event('pointerover'))
      expect(calls).toEqual(['a', 'a', 'b', 'a', 'b'])
      offA()
      expect(remove).not.toHaveBeenCalled()
      offB()
      expect(remove.mock.calls.filter(([type]) => type === 'pointerover')).toHaveLength(1)
      document.dispatchEvent(new Event('pointerover'))
      expect(calls).toHaveLength(5)

      // Added again after the last removal: a new real listener.
      const offC = listen(document, 'pointerover', () => calls.push('c'))
      document.dispatchEvent(new Event('pointerover'))
      expect(calls.at(-1)).toBe('c')
      offC()
    } finally {
      add.mockRestore()
      remove.mockRestore()
    }
  })

  it('a handler that throws does not stop the others, and nothing reaches the page', () => {
    const calls: string[] = []
    const offs = [
      listen(document, 'keydown', () => {
        throw new Error('boom')
      }),
      listen(document, 'keydown', () => calls.push('after')),
    ]
    const pageErrors: unknown[] = []
    const onError = (e: ErrorEvent) => pageErrors.push(e.error)
    window.addEventListener('error', onError)
    document.dispatchEvent(new Event('keydown'))
    window.removeEventListener('error', onError)
    for (const off of offs) off()
    expect(calls).toEqual(['after'])
    expect(pageErrors).toEqual([])
  })

  it('registers passive capture-phase listeners', () => {
    const add = vi.spyOn(window, 'addEventListener')
    const off = listen(window, 'pagehide', () => {})
    expect(add).toHaveBeenCalledWith('pagehide', expect.any(Function), { capture: true, passive: true })
    off()
    add.mockRestore()
  })
})
