import 'fake-indexeddb/auto'
import { afterEach, vi } from 'vitest'

afterEach(() => {
  vi.useRealTimers()
  // Tests hide the page with defineProperty; the next test starts visible again.
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
  Object.defineProperty(document, 'hidden', { value: false, configurable: true })
  document.body.innerHTML = ''
})
