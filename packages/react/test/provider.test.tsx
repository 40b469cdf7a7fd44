import { createTacit, type Tacit } from '@tacit/core'
import { act, cleanup, render } from '@testing-library/react'
import { Component, StrictMode, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TacitProvider, useDecision, usePrediction, useRank, useSignal, useTacit } from '../src/index'
import { FakeTacit, flush, trackListeners } from './helpers'

vi.mock('@tacit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@tacit/core')>()
  return { ...core, createTacit: vi.fn(core.createTacit) }
})
const created = vi.mocked(createTacit)

let n = 0
let errors: unknown[] = []
const options = () => ({ dbName: `tacit-react-provider-${++n}`, onError: (e: unknown) => void errors.push(e) })

let listeners: ReturnType<typeof trackListeners>
beforeEach(async () => {
  created.mockClear()
  errors = []
  // React adds a document listener once, on its first root: let that happen before counting.
  render(<div />)
  cleanup()
  listeners = trackListeners()
})
afterEach(async () => {
  cleanup()
  await flush()
  listeners.restore()
  expect(errors).toEqual([])
})

/** Every kind of hook, so each one's subscriptions are counted too. */
function Everything() {
  useDecision('hero', ['a', 'b'])
  usePrediction()
  useRank([{ id: 'x' }, { id: 'y' }])
  useSignal('rage-click', () => {})
  useTacit()
  return null
}

describe('TacitProvider', () => {
  it('creates exactly one instance under StrictMode and destroys it on the real unmount, leaving no listener', async () => {
    const view = render(
      <StrictMode>
        <TacitProvider options={options()}>
          <Everything />
        </TacitProvider>
      </StrictMode>,
    )
    await act(flush)
    expect(created).toHaveBeenCalledTimes(1)
    const tacit = created.mock.results[0].value as Tacit
    await act(async () => {
      await tacit.ready // capture starts a task after createTacit
    })
    const destroy = vi.spyOn(tacit, 'destroy')
    const attached = listeners.count()
    expect(attached).toBeGreaterThan(5) // Tacit's detectors listen on document and window
    expect(listeners.types()).toContain('document pointerover')

    view.unmount()
    expect(destroy).not.toHaveBeenCalled() // deferred by a microtask, in case StrictMode remounts
    await flush()
    expect(destroy).toHaveBeenCalledTimes(1)
    expect(listeners.count()).toBe(0)
  })

  it('mount and unmount cycles under StrictMode: one instance per mount, no listener left after each', async () => {
    for (let i = 1; i <= 3; i++) {
      const view = render(
        <StrictMode>
          <TacitProvider options={options()}>
            <Everything />
          </TacitProvider>
        </StrictMode>,
      )
      await act(async () => {
        await (created.mock.results[i - 1].value as Tacit).ready
      })
      expect(created).toHaveBeenCalledTimes(i)
      expect(listeners.count()).toBeGreaterThan(0)
      view.unmount()
      await flush()
      expect(listeners.types()).toEqual([])
    }
  })

  it('re-rendering the provider with a new options object keeps the same instance', async () => {
    const view = render(<TacitProvider options={options()}><Everything /></TacitProvider>)
    await act(flush)
    view.rerender(<TacitProvider options={options()}><Everything /></TacitProvider>)
    view.rerender(<TacitProvider options={options()}><Everything /></TacitProvider>)
    await act(flush)
    expect(created).toHaveBeenCalledTimes(1)
  })

  it('useTacit() is null on the first render, then the instance created after mount', async () => {
    const seen: (Tacit | null)[] = []
    function Probe() {
      seen.push(useTacit())
      return null
    }
    render(<TacitProvider options={options()}><Probe /></TacitProvider>)
    await act(flush)
    expect(seen[0]).toBeNull()
    expect(seen.at(-1)).toBe(created.mock.results[0].value)
    expect(seen).toHaveLength(2) // the instance arriving is one render; ready is not a change for useTacit
  })

  it('uses an instance passed in, never creates one, never destroys it, and unsubscribes on unmount', async () => {
    const fake = new FakeTacit()
    const seen: (Tacit | null)[] = []
    function Probe() {
      seen.push(useTacit())
      return <Everything />
    }
    const view = render(
      <StrictMode>
        <TacitProvider tacit={fake}>
          <Probe />
        </TacitProvider>
      </StrictMode>,
    )
    await act(flush)
    expect(seen.every((t) => t === fake)).toBe(true)
    expect(created).not.toHaveBeenCalled()
    expect(fake.changeListeners).toBe(1) // one subscription shared by every hook
    expect(fake.signalListeners).toBe(1)
    view.unmount()
    await flush()
    expect(fake.destroy).not.toHaveBeenCalled()
    expect(fake.changeListeners).toBe(0)
    expect(fake.signalListeners).toBe(0)
  })

  it('a real instance is shared by nested hooks: decisions made through a hook are in its profile', async () => {
    let tacit: Tacit | null = null
    function Probe() {
      tacit = useTacit()
      const [hero] = useDecision('hero', ['a', 'b'], { fallback: 'b' })
      return <p>{hero}</p>
    }
    const view = render(<TacitProvider options={{ ...options(), consent: 'granted' }}><Probe /></TacitProvider>)
    await act(async () => {
      await (created.mock.results[0].value as Tacit).ready
      await flush()
    })
    expect(view.container.textContent).toBe('b')
    const profile = await tacit!.profile()
    expect(profile.decisions).toEqual([expect.objectContaining({ slot: 'hero', variant: 'b', policy: 'fallback' })])
  })

  it('a bad option reaches the nearest error boundary as TacitConfigError, naming the field', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    class Boundary extends Component<{ children: ReactNode }, { error: Error | null }> {
      override state = { error: null as Error | null }
      static getDerivedStateFromError(error: Error) {
        return { error }
      }
      override render() {
        return this.state.error ? <p>{`${this.state.error.name}: ${this.state.error.message}`}</p> : this.props.children
      }
    }
    const view = render(
      <Boundary>
        <TacitProvider options={{ hesitationMs: 'fast' as unknown as number }}>
          <Everything />
        </TacitProvider>
      </Boundary>,
    )
    await act(flush)
    expect(view.container.textContent).toMatch(/^TacitConfigError: .*hesitationMs/)
    expect(listeners.count()).toBe(0)
    vi.restoreAllMocks()
  })
})
