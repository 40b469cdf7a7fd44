import { createTacit, type Tacit } from '@tacit/core'
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { StrictMode, useState } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TacitProvider, useDecision, usePrediction, useRank, useSignal, useTacit } from '../src/index'
import { flush } from './helpers'

// The real core, with createTacit observed so tests can wait for the instance the provider made.
vi.mock('@tacit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@tacit/core')>()
  return { ...core, createTacit: vi.fn(core.createTacit) }
})
const created = vi.mocked(createTacit)

let n = 0
let errors: unknown[] = []
const options = () => ({ dbName: `tacit-react-real-${++n}`, consent: 'granted' as const, onError: (e: unknown) => void errors.push(e) })
beforeEach(() => {
  created.mockClear()
  errors = []
})
afterEach(async () => {
  cleanup()
  await flush()
  expect(errors).toEqual([])
})

/** Waits, inside act, until the provider's instance is ready and React has rendered that. */
const whenReady = async () => {
  await act(async () => {
    await flush()
    await (created.mock.results[0].value as Tacit).ready
    await flush()
  })
}
const clickThrice = async (el: Element) => {
  await act(async () => {
    for (let i = 0; i < 3; i++) fireEvent.click(el)
    await flush()
  })
}

const SLOTS = Array.from({ length: 10 }, (_, i) => `slot-${i}`)
const VARIANTS = ['a', 'b', 'c', 'd', 'e']

describe('no flicker, with the real core', () => {
  it.each([
    ['StrictMode', true],
    ['plain', false],
  ])('a slot rendered before ready keeps its fallback after ready, through signals and goals (%s)', async (_, strict) => {
    const shown = new Map<string, string[]>()
    function Slot({ slot }: { slot: string }) {
      const [variant, { ready }] = useDecision(slot, VARIANTS, { fallback: 'e' })
      shown.set(slot, [...(shown.get(slot) ?? []), `${variant}${ready ? '+' : ''}`])
      return <button id={slot}>{variant}</button>
    }
    function Goal() {
      const tacit = useTacit()
      return <a id="goal" onClick={() => tacit?.track('purchase')}>buy</a>
    }
    const app = (
      <TacitProvider options={options()}>
        {SLOTS.map((s) => <Slot key={s} slot={s} />)}
        <Goal />
      </TacitProvider>
    )
    const view = render(strict ? <StrictMode>{app}</StrictMode> : app)
    await whenReady()
    await clickThrice(view.container.querySelector('#slot-3')!) // a rage-click: a change notification
    await act(async () => {
      fireEvent.click(view.container.querySelector('#goal')!)
      await flush()
    })
    // Ten slots of five variants: a fresh decision after ready would keep all ten by chance 1 in 5^10.
    for (const slot of SLOTS) {
      const seen = shown.get(slot)!
      expect(new Set(seen.map((v) => v.replace('+', '')))).toEqual(new Set(['e']))
      expect(seen.at(-1)).toBe('e+') // and the hook did learn that Tacit became ready
    }
    const profile = await (created.mock.results[0].value as Tacit).profile()
    expect(profile.decisions.map((d) => [d.slot, d.variant, d.policy])).toEqual(SLOTS.map((s) => [s, 'e', 'fallback']))
  })

  it('a slot first rendered after ready shows the model decision at once and keeps it', async () => {
    const shown: string[] = []
    function Late() {
      const [variant, { ready }] = useDecision('late', VARIANTS)
      shown.push(`${variant}${ready}`)
      return <button id="late">{variant}</button>
    }
    function App() {
      const [on, setOn] = useState(false)
      return (
        <>
          <button id="show" onClick={() => setOn(true)}>show</button>
          {on && <Late />}
        </>
      )
    }
    const view = render(<TacitProvider options={options()}><App /></TacitProvider>)
    await whenReady()
    await act(async () => fireEvent.click(view.container.querySelector('#show')!))
    await clickThrice(view.container.querySelector('#late')!)
    expect(new Set(shown).size).toBe(1)
    expect(shown[0].endsWith('true')).toBe(true)
    const [decision] = (await (created.mock.results[0].value as Tacit).profile()).decisions
    expect(decision).toMatchObject({ slot: 'late', variant: shown[0].replace('true', '') })
    expect(decision.policy).not.toBe('fallback')
  })
})

describe('hooks with the real core', () => {
  it('useSignal binds to the instance created after mount and hears a real rage-click', async () => {
    const heard: string[] = []
    function Help() {
      useSignal('rage-click', (s) => heard.push(s.target))
      return <button id="buy">Buy</button>
    }
    const view = render(<StrictMode><TacitProvider options={options()}><Help /></TacitProvider></StrictMode>)
    await whenReady()
    await clickThrice(view.container.querySelector('#buy')!)
    expect(heard).toEqual(['button#buy']) // once: StrictMode's remount left no second subscription
  })

  it('usePrediction: 0.5 each and not ready, then the model numbers', async () => {
    const seen: { convert: number; dropOff: number; ready: boolean }[] = []
    function Risk() {
      seen.push(usePrediction())
      return null
    }
    render(<TacitProvider options={options()}><Risk /></TacitProvider>)
    expect(seen[0]).toEqual({ convert: 0.5, dropOff: 0.5, ready: false })
    await whenReady()
    const last = seen.at(-1)!
    expect(last.ready).toBe(true)
    for (const p of [last.convert, last.dropOff]) {
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThanOrEqual(1)
      expect(Math.round(p * 100) / 100).toBe(p)
    }
  })

  it('useRank: page order before ready, then the items this person clicks on first', async () => {
    const items = [{ id: 'x', tags: ['budget'] }, { id: 'y', tags: ['premium'] }, { id: 'z' }]
    function Grid() {
      return (
        <ul>
          {useRank(items).map((i) => (
            <li key={i.id} id={i.id} data-tacit-item={i.id} data-tacit-tags={i.tags?.join(',')}>{i.id}</li>
          ))}
        </ul>
      )
    }
    const view = render(<TacitProvider options={options()}><Grid /></TacitProvider>)
    const order = () => [...view.container.querySelectorAll('li')].map((li) => li.id).join('')
    expect(order()).toBe('xyz')
    await whenReady()
    expect(order()).toBe('xyz')
    await clickThrice(view.container.querySelector('#z')!) // clicks add interest; the rage-click notifies
    expect(order()).toBe('zxy')
  })
})
