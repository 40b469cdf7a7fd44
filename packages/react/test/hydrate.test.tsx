import { createTacit, type Tacit } from '@tacit/core'
import { act } from '@testing-library/react'
import type { ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, expect, it, vi } from 'vitest'
import { App, SERVER_HTML } from './app'
import { flush } from './helpers'

vi.mock('@tacit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@tacit/core')>()
  return { ...core, createTacit: vi.fn(core.createTacit) }
})

let root: Root | undefined
afterEach(async () => {
  await act(async () => root?.unmount())
  root = undefined
  vi.restoreAllMocks()
  vi.mocked(createTacit).mockClear()
})

/** Hydrates `ui` over `html`; returns everything React reported (console.error and recoverable errors). */
const hydrate = async (html: string, ui: ReactNode) => {
  const reported: unknown[] = []
  vi.spyOn(console, 'error').mockImplementation((...args) => void reported.push(args))
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  await act(async () => {
    root = hydrateRoot(container, ui, {
      onRecoverableError: (error) => reported.push(error),
      onCaughtError: (error) => reported.push(error),
      onUncaughtError: (error) => reported.push(error),
    })
  })
  return { container, reported }
}

it('the server HTML, rendered here too, is what a server with no window renders', () => {
  expect(renderToString(<App options={{ consent: 'granted' }} />)).toBe(SERVER_HTML)
})

it('hydrating the server HTML gives no mismatch, creates one instance, and keeps the fallback after ready', async () => {
  const { container, reported } = await hydrate(SERVER_HTML, <App options={{ dbName: 'tacit-react-hydrate', consent: 'granted', onError: (e) => reported.push(e) }} />)
  expect(container.querySelector('main')!.dataset.instance).toBe('yes')
  expect(createTacit).toHaveBeenCalledTimes(1)
  await act(async () => {
    await (vi.mocked(createTacit).mock.results[0].value as Tacit).ready
    await flush()
  })
  expect(container.querySelector('h1')!.textContent).toBe('luxury')
  expect(container.querySelector('p')!.textContent).toBe('ready')
  expect(container.querySelector('b')!.textContent).toBe('Buy')
  expect(reported).toEqual([])
})

it('control: the same harness does report a mismatch', async () => {
  const { reported } = await hydrate(SERVER_HTML, <App hero="value" options={{ dbName: 'tacit-react-hydrate-2', onError: () => {} }} />)
  expect(reported.length).toBeGreaterThan(0)
  expect(String(reported[0])).toMatch(/hydrat/i)
})
