/**
 * TensorFlow.js set-up for Tacit's models: tfjs-core with the cpu backend and ONLY the kernels the
 * models use. Importing `@tensorflow/tfjs-backend-cpu` as a whole registers every kernel (about
 * 66 KB gzip); importing the backend class and a handful of kernel configs lets the bundler drop
 * the rest. A test runs every model path on a backend that has only {@link KERNEL_CONFIGS}, so a
 * kernel missing from this list fails a test rather than a user.
 */
import {
  env,
  findBackendFactory,
  getKernel,
  registerBackend,
  registerKernel,
  setBackend,
  type KernelConfig,
} from '@tensorflow/tfjs-core'
import type { Platform } from '@tensorflow/tfjs-core/dist/platforms/platform'
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu/dist/backend_cpu'
import { addConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Add'
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/BatchMatMul'
import { multiplyConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Multiply'
import { reluConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Relu'
import { sigmoidConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sigmoid'
import { stepConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Step'
import { subConfig } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Sub'

/** The cpu kernels Tacit's models need (forward pass and hand-written gradients). */
export const KERNEL_CONFIGS: readonly KernelConfig[] = [
  batchMatMulConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  sigmoidConfig,
  reluConfig,
  stepConfig,
]

/** Names of {@link KERNEL_CONFIGS}, for tests and the size report. */
export const KERNEL_NAMES: readonly string[] = KERNEL_CONFIGS.map((k) => k.kernelName)

const BACKEND = 'cpu'
let ready = false

/**
 * Registers the cpu backend and the kernels in {@link KERNEL_CONFIGS} (once), and selects the cpu
 * backend explicitly: in Chromium, tfjs would otherwise prefer webgl, which is several times
 * slower for single-row models. Safe to call many times.
 */
export const setupTf = (): void => {
  if (ready) return
  const environment = env() as { platform?: Platform }
  if (!environment.platform) env().setPlatform('tacit', platform)
  for (const config of KERNEL_CONFIGS) {
    if (!getKernel(config.kernelName, BACKEND)) registerKernel(config)
  }
  if (!findBackendFactory(BACKEND)) registerBackend(BACKEND, createCpuBackend, 1)
  // setBackend is declared async, but it completes synchronously for a backend without async init.
  void setBackend(BACKEND)
  ready = true
}

/**
 * What tfjs asks of its host. tfjs's own browser platform also registers its IndexedDB and
 * localStorage model stores (about 4 KB gzip Tacit never uses); the browser bundle drops it (see
 * scripts/lib/tfSlim.mjs) and this one stands in. `fetch` refuses: Tacit's models never download.
 */
const platform: Platform = {
  fetch: () => Promise.reject(new Error('Tacit models never fetch')),
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  encode: (text) => new TextEncoder().encode(text),
  decode: (bytes, encoding) => new TextDecoder(encoding).decode(bytes),
  isTypedArray: (a): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray =>
    a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray,
}

/** A cpu backend instance without tfjs's "install tfjs-node" banner on first use in Node. */
export const createCpuBackend = (): MathBackendCPU => {
  const backend = new MathBackendCPU()
  ;(backend as unknown as { firstUse: boolean }).firstUse = false
  return backend
}
