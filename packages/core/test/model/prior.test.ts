import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createTacit } from '../../src/api/createTacit'
import { FEATURE_NAMES } from '../../src/features/names'
import { ModelEngine } from '../../src/model/engine'
import { createRandom } from '../../src/model/random'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../')

describe('a prior from the training tool', () => {
  it('trains from a CSV whose columns are Tacit feature names, and createTacit uses it', async () => {
    // Planted: people who reached goals before and read far down convert.
    const rng = createRandom(3)
    const rows = ['past_goals,scroll_depth,converted']
    for (let i = 0; i < 600; i++) {
      const goals = rng.uniform()
      const scroll = rng.uniform()
      const p = 1 / (1 + Math.exp(-(6 * goals + 2 * scroll - 4)))
      rows.push(`${goals.toFixed(3)},${scroll.toFixed(3)},${rng.uniform() < p ? 1 : 0}`)
    }
    const dir = mkdtempSync(join(tmpdir(), 'tacit-prior-'))
    writeFileSync(join(dir, 'data.csv'), rows.join('\n'))
    execFileSync(
      process.execPath,
      ['--import', './scripts/ts-register.mjs', 'scripts/train-intent.ts', '--data', join(dir, 'data.csv'), '--label', 'converted',
        '--features', 'past_goals,scroll_depth', '--hidden', '0', '--ensemble', '1', '--epochs', '40', '--out', join(dir, 'prior.json')],
      { cwd: root, stdio: 'pipe' },
    )
    const prior = JSON.parse(readFileSync(join(dir, 'prior.json'), 'utf8'))
    expect(prior).toMatchObject({ version: 1, inputs: ['past_goals', 'scroll_depth'] })

    const errors: unknown[] = []
    const tacit = createTacit({ model: { prior }, onError: (e) => errors.push(e) })
    await tacit.ready
    expect(errors).toEqual([])
    tacit.destroy()

    // The same prior in the engine: aligned onto the 24 features, it ranks the planted signal.
    const engine = new ModelEngine({ inputs: FEATURE_NAMES, priors: { convert: prior }, minExplore: 0, learningRate: 0.01, onError: (e) => errors.push(e) })
    const x = (goals: number) => {
      const v = new Float32Array(FEATURE_NAMES.length)
      v[FEATURE_NAMES.indexOf('past_goals')] = goals
      v[FEATURE_NAMES.indexOf('scroll_depth')] = 0.5
      return v
    }
    expect(engine.predict(x(0.9)).convert).toBeGreaterThan(engine.predict(x(0.1)).convert + 0.3)
    expect(engine.predict(x(0.5)).dropOff).toBeCloseTo(0.5, 5) // no prior for drop-off: neutral
    expect(errors).toEqual([])
    engine.dispose()
  }, 60_000)
})
