import type { RageClickSignal, Signal } from '@tacit/core'
import { act, cleanup, render } from '@testing-library/react'
import { useState, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Personalize, TacitProvider, useDecision, usePrediction, useRank, useSignal, useTacit } from '../src/index'
import { FakeTacit, flush, signal } from './helpers'

afterEach(cleanup)

/** Renders `ui` under a provider with a fake instance; `counts` tallies each component's renders. */
const setup = (ui: ReactNode) => {
  const fake = new FakeTacit()
  const view = render(<TacitProvider tacit={fake}>{ui}</TacitProvider>)
  return { fake, view }
}
const counts: Record<string, number> = {}
const count = (name: string) => void (counts[name] = (counts[name] ?? 0) + 1)
afterEach(() => {
  for (const k of Object.keys(counts)) delete counts[k]
})

/** Notifies the hooks the way core's subscribe() does, inside act so React renders what it must. */
const change = async (fake: FakeTacit, mutate: () => void = () => {}) => {
  await act(async () => {
    mutate()
    fake.change()
  })
}

function Decision() {
  count('decision')
  const [variant, { ready, explanation }] = useDecision('hero', ['a', 'b', 'c'])
  return <p data-testid="decision">{`${variant}|${ready}|${explanation}`}</p>
}
function Prediction() {
  count('prediction')
  const { convert, dropOff, ready } = usePrediction()
  return <p data-testid="prediction">{`${convert}|${dropOff}|${ready}`}</p>
}
const ITEMS = [{ id: 'x' }, { id: 'y' }, { id: 'z' }]
function Ranked({ items = ITEMS }: { items?: { id: string; label?: string }[] }) {
  count('rank')
  const ranked = useRank(items)
  return <p data-testid="rank">{ranked.map((i) => i.label ?? i.id).join(',')}</p>
}
const text = (view: ReturnType<typeof render>, id: string) => view.getByTestId(id).textContent

describe('outside a provider', () => {
  const cases: [string, () => void][] = [
    ['useTacit', () => useTacit()],
    ['useDecision', () => useDecision('hero', ['a'])],
    ['usePrediction', () => usePrediction()],
    ['useRank', () => useRank([])],
    ['useSignal', () => useSignal('idle', () => {})],
  ]
  for (const [name, hook] of cases) {
    it(`${name} throws an error that names it and says to wrap the app in TacitProvider`, () => {
      vi.spyOn(console, 'error').mockImplementation(() => {})
      function Bare() {
        hook()
        return null
      }
      expect(() => render(<Bare />)).toThrow(
        `${name} must be used inside <TacitProvider>: wrap your app in <TacitProvider options={…}>`,
      )
      vi.restoreAllMocks()
    })
  }
  it('<Personalize> names itself', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<Personalize slot="hero" variants={{ a: 'A' }} />)).toThrow('<Personalize> must be used inside <TacitProvider>')
    vi.restoreAllMocks()
  })
})

describe('each hook re-renders only when its own value changes', () => {
  it('a change that alters nothing re-renders no hook', async () => {
    const { fake } = setup(<><Decision /><Prediction /><Ranked /></>)
    const before = { ...counts }
    for (let i = 0; i < 5; i++) await change(fake)
    expect(counts).toEqual(before)
    expect(before).toEqual({ decision: 1, prediction: 1, rank: 1 })
  })

  it('useDecision: a new variant or explanation re-renders the decision, and nothing else', async () => {
    const { fake, view } = setup(<><Decision /><Prediction /><Ranked /></>)
    await change(fake, () => (fake.decision = { variant: 'b', probability: 0.7, explanation: 'Because.' }))
    expect(text(view, 'decision')).toBe('b|false|Because.')
    expect(counts).toEqual({ decision: 2, prediction: 1, rank: 1 })
    await change(fake, () => (fake.decision = { variant: 'b', probability: 0.6, explanation: 'Because.' }))
    expect(counts.decision).toBe(2) // the probability is not part of the hook's value
    await change(fake, () => (fake.decision = { variant: 'b', probability: 0.6, explanation: 'Now because.' }))
    expect(counts).toEqual({ decision: 3, prediction: 1, rank: 1 })
  })

  it('ready re-renders the hooks whose value carries it (decision, prediction), not useRank', async () => {
    const { fake, view } = setup(<><Decision /><Prediction /><Ranked /></>)
    expect(text(view, 'decision')).toContain('|false|')
    await act(async () => {
      fake.makeReady()
      await flush()
    })
    expect(text(view, 'decision')).toContain('|true|')
    expect(text(view, 'prediction')).toBe('0.5|0.5|true')
    expect(counts).toEqual({ decision: 2, prediction: 2, rank: 1 })
  })

  it('usePrediction rounds to hundredths and re-renders only when a rounded value moves', async () => {
    const { fake, view } = setup(<><Decision /><Prediction /></>)
    await change(fake, () => (fake.prediction = { convert: 0.3012, dropOff: 0.7 }))
    expect(text(view, 'prediction')).toBe('0.3|0.7|false')
    expect(counts.prediction).toBe(2)
    await change(fake, () => (fake.prediction = { convert: 0.3034, dropOff: 0.7021 }))
    expect(counts.prediction).toBe(2)
    await change(fake, () => (fake.prediction = { convert: 0.3051, dropOff: 0.7021 }))
    expect(text(view, 'prediction')).toBe('0.31|0.7|false')
    expect(counts).toEqual({ decision: 1, prediction: 3 })
  })

  it('useRank re-renders when the order changes, not when a new array has the same order', async () => {
    const { fake, view } = setup(<><Decision /><Ranked /></>)
    expect(text(view, 'rank')).toBe('x,y,z')
    await change(fake, () => (fake.order = (ids) => [...ids])) // new array, same order
    expect(counts.rank).toBe(1)
    await change(fake, () => (fake.order = (ids) => [...ids].reverse()))
    expect(text(view, 'rank')).toBe('z,y,x')
    expect(counts).toEqual({ decision: 1, rank: 2 })
  })

  it('useRank returns the current items, not stale ones with the same ids', async () => {
    const fake = new FakeTacit()
    const view = render(<TacitProvider tacit={fake}><Ranked items={[{ id: 'x', label: 'X1' }, { id: 'y', label: 'Y1' }]} /></TacitProvider>)
    view.rerender(<TacitProvider tacit={fake}><Ranked items={[{ id: 'x', label: 'X2' }, { id: 'y', label: 'Y2' }]} /></TacitProvider>)
    expect(text(view, 'rank')).toBe('X2,Y2')
    await change(fake)
    expect(text(view, 'rank')).toBe('X2,Y2')
  })

  it('a parent re-render with the same decision does not change the value', async () => {
    const seen: unknown[] = []
    function Probe() {
      const [, setN] = useState(0)
      const value = useDecision('hero', ['a', 'b'])
      seen.push(value)
      return <button onClick={() => setN((n) => n + 1)}>re-render</button>
    }
    const { view } = setup(<Probe />)
    await act(async () => view.getByText('re-render').click())
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0]) // the same tuple: memoised children and effects keyed on it stay put
  })

  it('hooks of one provider share one subscription to Tacit', () => {
    const { fake } = setup(<><Decision /><Decision /><Prediction /><Ranked /></>)
    expect(fake.changeListeners).toBe(1)
  })
})

describe('useSignal', () => {
  it('calls the latest callback for its type only, subscribes once, and unsubscribes on unmount', async () => {
    const calls: string[] = []
    function Listener({ tag }: { tag: string }) {
      useSignal('rage-click', (s: RageClickSignal) => calls.push(`${tag}:${s.target}:${s.clicks}`))
      count('listener')
      return null
    }
    const { fake, view } = setup(<Listener tag="first" />)
    fake.emit(signal('rage-click'))
    fake.emit(signal('idle'))
    view.rerender(<TacitProvider tacit={fake}><Listener tag="second" /></TacitProvider>)
    fake.emit(signal('rage-click', 'a#cart'))
    expect(calls).toEqual(['first:button#buy:3', 'second:a#cart:3'])
    expect(fake.on).toHaveBeenCalledTimes(1)
    expect(counts.listener).toBe(2) // the rerender only: signals render nothing by themselves
    view.unmount()
    fake.emit(signal('rage-click'))
    expect(calls).toHaveLength(2)
    expect(fake.signalListeners).toBe(0)
  })

  it("'signal' receives every type", () => {
    const types: Signal['type'][] = []
    function Listener() {
      useSignal('signal', (s) => types.push(s.type))
      return null
    }
    const { fake } = setup(<Listener />)
    fake.emit(signal('idle'))
    fake.emit(signal('rage-click'))
    expect(types).toEqual(['idle', 'rage-click'])
  })
})

describe('<Personalize>', () => {
  it('map form: renders the chosen variant and passes the tags to decide', async () => {
    const { fake, view } = setup(
      <Personalize slot="hero" variants={{ value: <b>Value</b>, luxury: <i>Luxury</i> }} tags={{ luxury: ['premium'] }} />,
    )
    const decide = vi.spyOn(fake, 'decide')
    fake.decision = { variant: 'value', probability: 1, explanation: '' }
    await change(fake)
    expect(view.container.innerHTML).toBe('<b>Value</b>')
    await change(fake, () => (fake.decision = { variant: 'luxury', probability: 0.9, explanation: 'You often look at premium items.' }))
    expect(view.container.innerHTML).toBe('<i>Luxury</i>')
    expect(decide).toHaveBeenLastCalledWith(
      'hero',
      [{ id: 'value', tags: undefined }, { id: 'luxury', tags: ['premium'] }],
      { fallback: undefined },
    )
  })

  it('render-prop form: receives the variant and { ready, explanation }', async () => {
    const { fake, view } = setup(
      <Personalize slot="cta" variants={['short', 'long']} fallback="long">
        {(variant, { ready, explanation }) => <span>{`${variant} ${ready} ${explanation}`}</span>}
      </Personalize>,
    )
    await change(fake, () => (fake.decision = { variant: 'short', probability: 0.5, explanation: 'Why not.' }))
    expect(view.container.textContent).toBe('short false Why not.')
  })
})
