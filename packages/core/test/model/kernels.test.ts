import { exp, getBackend, registerBackend, registerKernel, removeBackend, scalar, setBackend } from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LinearThompsonBandit } from '../../src/model/bandit'
import { fitIntent } from '../../src/model/fit'
import { IntentModel } from '../../src/model/intent'
import { createRandom } from '../../src/model/random'
import { KERNEL_CONFIGS, KERNEL_NAMES, createCpuBackend, setupTf } from '../../src/model/tf'

/**
 * Every model path on a backend that has ONLY the kernels of KERNEL_CONFIGS: a kernel the models
 * use but the list lacks throws "Kernel '...' not registered" here, not in a user's browser.
 */
const ONLY = 'tacit-listed-kernels'

describe('models with only the listed kernels registered', () => {
  beforeAll(async () => {
    setupTf()
    registerBackend(ONLY, createCpuBackend, 0)
    for (const config of KERNEL_CONFIGS) registerKernel({ ...config, backendName: ONLY })
    await setBackend(ONLY)
    expect(getBackend()).toBe(ONLY)
  })
  afterAll(async () => {
    await setBackend('cpu')
    removeBackend(ONLY)
  })

  it('no listed kernel has a setup function (the script tag skips kernel set-up, scripts/lib/tfSlim.mjs)', () => {
    expect(KERNEL_CONFIGS.filter((k) => k.setupFunc)).toEqual([])
  })

  it('the harness fails on a kernel that is not listed', () => {
    expect(KERNEL_NAMES).not.toContain('Exp')
    expect(() => exp(scalar(1))).toThrow(/not registered/)
  })

  it('runs every intent-model path, logistic and with a hidden layer', () => {
    for (const hidden of [0, 3]) {
      const inputs = ['a', 'b', 'c']
      const model = IntentModel.neutral(inputs, { hidden, normalisation: { mean: [0, 0, 1], std: [1, 2, 1] } })
      const x = new Float32Array([1, 0, 2])
      expect(model.predict(x)).toBeCloseTo(0.5, 6)
      expect(model.predictBatch(new Float32Array([1, 0, 2, 0, 1, 0]), 2)).toHaveLength(2)
      model.trainStep(new Float32Array([1, 0, 2, 0, 1, 0]), [1, 0], { lr: 0.1 })
      const samples = [{ x, y: 1 }, { x: new Float32Array([0, 1, 0]), y: 0 }]
      expect(model.trainSlice(samples, 10).used).toBe(2)
      fitIntent(model, new Float32Array([1, 0, 2, 0, 1, 0]), [1, 0], { epochs: 2, batchSize: 1, rng: createRandom(1) })
      model.anchorHere()
      model.assertFinite()
      const again = IntentModel.fromJSON(model.toJSON())
      expect(again.predict(x)).toBeCloseTo(model.predict(x), 6)
      again.dispose()
      model.dispose()
    }
  })

  it('runs the bandit, which needs no kernel at all', () => {
    const bandit = new LinearThompsonBandit({ dim: 2, arms: 2 })
    const { arm } = bandit.choose([1, 0], createRandom(1))
    bandit.update(arm, [1, 0], 1)
    expect(LinearThompsonBandit.fromJSON(bandit.toJSON()).pulls(arm)).toBe(1)
  })
})
