import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain-JS build script without type declarations
import { check } from '../../../../scripts/lib/tfSlim.mjs'

// tacit.min.js runs the models on a TensorFlow.js cut down at build time (scripts/lib/tfSlim.mjs:
// unused engine, tensor and backend paths replaced by stand-ins that throw). The unit tests run
// the whole of tfjs; this one runs every model path bundled both ways, each in a Node process of
// its own, and compares everything computed, bit for bit, down to the tensor count at the end.
describe('the TensorFlow.js build of tacit.min.js', () => {
  it('computes exactly what the whole of TensorFlow.js computes, on every model path', { timeout: 180_000 }, async () => {
    const { same, lines, diff } = await check()
    expect(diff).toBeNull()
    expect(same).toBe(true)
    expect(lines).toBeGreaterThan(50)
  })
})
