import type { TacitOptions } from '@tacit/core'
import { StrictMode } from 'react'
import { Personalize, TacitProvider, useDecision, usePrediction, useRank, useTacit } from '../src/index'

const ITEMS = [{ id: 'x' }, { id: 'y' }, { id: 'z' }]

/** A page using every hook: rendered on the server by one test and hydrated by another. */
export function App({ options, hero = 'luxury' }: { options?: TacitOptions; hero?: string }) {
  return (
    <StrictMode>
      <TacitProvider options={options}>
        <Page hero={hero} />
      </TacitProvider>
    </StrictMode>
  )
}

function Page({ hero: fallback }: { hero: string }) {
  const tacit = useTacit()
  const [hero, { ready }] = useDecision('hero', ['value', 'luxury'], { fallback })
  const { dropOff } = usePrediction()
  const ranked = useRank(ITEMS)
  return (
    <main data-instance={tacit ? 'yes' : 'no'}>
      <h1>{hero}</h1>
      <p>{ready ? 'ready' : 'loading'}</p>
      <p>{dropOff}</p>
      <ul>{ranked.map((i) => <li key={i.id}>{i.id}</li>)}</ul>
      <Personalize slot="cta" variants={{ short: <b>Buy</b>, long: <b>Buy now, free returns</b> }} />
    </main>
  )
}

/** What the server sends: every fallback, no instance. */
export const SERVER_HTML =
  '<main data-instance="no"><h1>luxury</h1><p>loading</p><p>0.5</p><ul><li>x</li><li>y</li><li>z</li></ul><b>Buy</b></main>'
