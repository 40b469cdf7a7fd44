// @vitest-environment node
// In the node project: no window, no document, and `@tacit/core` is the built package.
import { createTacit } from '@tacit/core'
import { renderToString } from 'react-dom/server'
import { expect, it, vi } from 'vitest'
import { App, SERVER_HTML } from './app'

vi.mock('@tacit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@tacit/core')>()
  return { ...core, createTacit: vi.fn(core.createTacit) }
})

it('renderToString with no window renders every fallback and creates no Tacit', () => {
  expect(typeof window).toBe('undefined')
  expect(typeof document).toBe('undefined')
  const errors = vi.spyOn(console, 'error')
  expect(renderToString(<App options={{ consent: 'granted' }} />)).toBe(SERVER_HTML)
  expect(renderToString(<App hero="value" />)).toContain('<h1>value</h1>')
  expect(createTacit).not.toHaveBeenCalled()
  expect(errors).not.toHaveBeenCalled()
})
