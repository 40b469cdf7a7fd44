// Rollup plugin that keeps TensorFlow.js down to what Tacit's models use (see
// packages/core/src/model/tf.ts and intent.ts), for the browser bundle:
//
//   import { tfjsSlim } from './scripts/lib/tfSlim.mjs'
//   plugins: [tfjsSlim(), resolve({ browser: true }), commonjs(), esbuild(), terser()]
//
// Why it is needed: even when only a few kernels are registered, `@tensorflow/tfjs-core`'s index
// (imported by every cpu kernel) registers all optimizers at load, its io modules are flagged as
// side-effectful, commonjs helpers it pulls (long, seedrandom) cannot be tree-shaken, and class
// methods are never tree-shaken: the engine alone carries autodiff, profiling and backend
// switching. The plugin
// - resolves '@tensorflow/tfjs-core' to a slim entry: `dist/base.js` plus the side effects tfjs
//   needs to run (engine, flags), without registerOptimizers();
// - marks every other tfjs, long and seedrandom module as free of side effects, so only what is
//   reached from the used exports stays. That drops tfjs's browser platform, which would register
//   IndexedDB and localStorage model stores: setupTf() in model/tf.ts installs a small platform of
//   its own when none is set;
// - replaces two modules (STUBS) and cuts, in about twenty others (EDITS), what Tacit's models
//   never reach at run time: autodiff and custom gradients, profiling, debug mode and its checks,
//   async backends and backend switching, string, complex, int32 and bool tensors, async and GPU
//   reads, buffers, casts, clones and printing. A cut path throws "Not in Tacit's TensorFlow.js
//   build (scripts/lib/tfSlim.mjs): ..." if it is ever reached, rather than computing something
//   else;
// - keeps this copy of tfjs to itself: tfjs normally shares its engine, kernel registry and
//   Tensor class through `window._tfengine` / `window._tfGlobals`, so on a page that loads its own
//   TensorFlow.js one copy would run on the other's engine (the page on Tacit's cut-down one, or
//   Tacit on the page's, switching the page's backend to cpu). It also ignores `?tfjsflags=` in
//   the page's URL.
//
// The edits are keyed on the exact source of the pinned tfjs version (package-lock.json): a text
// or method that is no longer found, or a rewritten method whose original changed (hash), fails
// the build, so a tfjs upgrade cannot silently skip or misapply one.
//
// Proof that nothing computes differently: `node scripts/lib/tfSlim.mjs --check` (or `check()`)
// runs every model path bundled with and without the plugin and compares all results bit for bit;
// the Chromium tests (packages/browser/test/learning and modelTabs) train the models inside the
// built tacit.min.js.
//
// Measured (rollup + terser, gzip -9, zod external, when Tacit still used zod): the model layer (scripts/lib/tfSizeEntry.ts)
// 38.4 KB gzip without the plugin, 21.0 KB with the slim entry, side-effect marking and the old
// stand-ins for tape/profiler/tensor_format only, 14.4 KB with the cuts; tf.ts alone (tfjs-core,
// cpu backend, 8 kernels) 32.5, 14.5 and 7.3 KB. tacit.min.js: 53.9 -> 47.3 KB gzip with the cuts.
// `node scripts/lib/tfSlim.mjs [entry.ts]` prints the figures for an entry (default: tf.ts and
// the model layer).
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const SLIM = '\0tfjs-core-slim'
const UNUSED_ID = '\0tfjs-slim-unused'
const KEEP_SIDE_EFFECTS = /@tensorflow\/tfjs-core\/dist\/(engine|tensor|base_side_effects|flags)\.js$/
const TFJS_OR_HELPERS = /node_modules\/(@tensorflow\/|long\/|seedrandom\/)/

/** What every cut path calls: one shared function, so a cut method costs a few bytes. */
const UNUSED_MODULE = `export function unused(what = 'the method below in the stack trace') { throw new Error('Not in Tacit\\'s TensorFlow.js build (scripts/lib/tfSlim.mjs): ' + what) }\n`
const USE = `import { unused } from '${UNUSED_ID}';\n`

/**
 * tfjs-core modules replaced as a whole.
 * - global_util.js: tfjs's page-wide singletons (`window._tfengine`, `window._tfGlobals`: the
 *   engine, kernel registry and Tensor class) become this bundle's own (see the header).
 * - flags.js: only the flags still read at run time (by tfjs's warnings), fixed to false. tfjs
 *   also reads flag overrides from the page's URL (`?tfjsflags=DEBUG:true`); a host page's URL
 *   must not switch Tacit's models into debug mode (Environment.populateURLFlags is cut too).
 * tape.js (autodiff), profiler.js and tensor_format.js (printing) need no stand-in any more: the
 * engine and Tensor methods that used them are cut (EDITS), so they are not bundled at all.
 */
const STUBS = [
  ['/@tensorflow/tfjs-core/dist/global_util.js', `const own = {}\nexport function getGlobalNamespace() { return own }\nexport function getGlobal(key, init) { return key in own ? own[key] : (own[key] = init()) }\n`],
  ['/@tensorflow/tfjs-core/dist/flags.js', `import './engine';\nimport { env } from './environment';\nfor (const flag of ['IS_TEST', 'PROD']) env().registerFlag(flag, () => false);\n`],
]

/**
 * Edits of tfjs modules, by path under node_modules/@tensorflow/, applied in this order:
 * - `rewrite(code, fail)`: a function of the whole source;
 * - `replace`: [exact text, replacement] pairs, each text found exactly once;
 * - `stub`: class name -> methods that become `() { unused() }` (the method stays, so duck-typed
 *   checks such as Tensor's `instanceof`, which looks for `data`, still hold, and a call throws);
 * - `remove`: class name -> methods deleted outright;
 * - `bodies`: 'Class.method' or function name -> [hash, body]: a shorter body that does what the
 *   original does on Tacit's paths; the hash of the original body guards against upgrades;
 * - `setBodies`: 'Class.method' -> body, whatever the original (deliberate behaviour).
 */
const EDITS = {
  'tfjs-core/dist/engine.js': {
    stub: {
      EngineState: ['dispose'],
      Engine: [
        // async backends, backend switching and moving data between backends
        'ready', 'backendNames', 'findBackend', 'removeBackend', 'getSortedBackends', 'initializeBackendsAndReturnBest', 'moveData', 'disposeRegisteredKernels',
        // autodiff, custom gradients, profiling, leak checks of tfjs's own tests
        'clone', 'checkKernelForMemLeak', 'saveTensorsForBackwardMode', 'getTensorsForGradient', 'addTapeNode', 'startTape', 'endTape', 'gradients', 'customGrad', 'profile', 'time',
        // async and GPU reads, memory report, reset
        'read', 'readToGPU', 'memory', 'makeTensorFromDataId', 'disposeVariables', 'registeredVariables', 'reset',
        // only read by the paths above or the original runKernelFunc (see bodies)
        'shouldCheckForMemLeaks', 'isTapeOn',
        // variables (model/intent.ts replaces plain tensors instead)
        'makeVariable', 'disposeVariable', 'incRef',
      ],
    },
    replace: [
      // Profiling (tf.profile) and the profiler are cut.
      [`this.activeProfile = {
            newBytes: 0,
            newTensors: 0,
            peakBytes: 0,
            kernels: [],
            result: null,
            get kernelNames() {
                return Array.from(new Set(this.kernels.map(k => k.name)));
            }
        };`, ``],
      [`this.profiler = new Profiler(this.backendInstance);`, ``],
      // Backend auto-selection: setupTf() selects the cpu backend before any op runs.
      [`if (this.pendingBackendInit != null) {
            throw new Error(\`Backend '\${this.backendName}' has not yet been initialized. Make \` +
                \`sure to await tf.ready() or await tf.setBackend() before calling \` +
                \`other methods\`);
        }
        if (this.backendInstance == null) {
            const { name, asyncInit } = this.initializeBackendsAndReturnBest();
            if (asyncInit) {
                throw new Error(\`The highest priority backend '\${name}' has not yet been \` +
                    \`initialized. Make sure to await tf.ready() or \` +
                    \`await tf.setBackend() before calling other methods\`);
            }
            this.setBackend(name);
        }`, `if (this.backendInstance == null) unused('backend auto-selection');`],
      // tidy(name, fn): Tacit calls tidy(fn) only.
      [`else {
            // Called with 2 arguments.
            if (typeof nameOrFn !== 'string' && !(nameOrFn instanceof String)) {
                throw new Error('When calling with two arguments, the first argument ' +
                    'to tidy() must be a string');
            }
            if (typeof fn !== 'function') {
                throw new Error('When calling with two arguments, the 2nd argument ' +
                    'to tidy() must be a function');
            }
            name = nameOrFn;
            // TODO(nsthorat,smilkov): Do operation logging and performance
            // profiling.
        }`, `else unused('tidy(name, fn)')`],
      // String tensors
      [`if (dtype === 'string' && util.isString(values[0])) {
            backendVals = values.map(d => util.encodeString(d));
        }`, `if (dtype === 'string') unused('string tensors');`],
      [`// Count bytes for string tensors.
        if (dtype === 'string') {
            const info = this.state.tensorInfo.get(dataId);
            const newBytes = bytesFromStringArray(backendVals);
            this.state.numBytes += newBytes - info.bytes;
            info.bytes = newBytes;
        }`, ``],
    ],
    bodies: {
      // No kernel Tacit registers has a setup function (packages/core/test/model/kernels.test.ts).
      // setupTf() registers the cpu backend only where it is not registered yet.
      'Engine.registerBackend': ['fe6455ccd364', `{
        this.registryFactory[backendName] = { factory, priority };
        return true;
    }`],
      'Engine.setupRegisteredKernels': ['5fca5c9d51f2', `{}`],
      // Without the branch for promise-returning backend factories (webgl, wasm).
      'Engine.initializeBackend': ['dbfe0d027045', `{
        const registryFactoryEntry = this.registryFactory[backendName];
        if (registryFactoryEntry == null) {
            throw new Error(\`Cannot initialize backend \${backendName}, no registration found.\`);
        }
        let backend;
        try {
            backend = registryFactoryEntry.factory();
        }
        catch (err) {
            log.warn(\`Initialization of backend \${backendName} failed\`);
            log.warn(err.stack || err.message);
            return { success: false, asyncInit: false };
        }
        if (backend && !(backend instanceof KernelBackend) && typeof backend.then === 'function') unused('async backends');
        this.registry[backendName] = backend;
        return { success: true, asyncInit: false };
    }`],
      // Kernel runs without the tape (no autodiff), profiler, DEBUG mode or tfjs's leak checks, and
      // without forwardFunc (customGrad) invocations: what the original does when those are off.
      'Engine.runKernelFunc': ['c44d01855f90', `{
        if (!isRegisteredKernelInvocation(kernelParams)) unused('custom gradients');
        const { kernelName, inputs, attrs } = kernelParams;
        const kernel = getKernel(kernelName, this.backendName);
        util.assert(kernel != null, () => \`Cannot find registered kernel '\${kernelName}' for backend '\${this.backendName}'\`);
        const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend });
        const outInfos = Array.isArray(out) ? out : [out];
        const outputs = outInfos.map((outInfo) => outInfo.rank != null ? outInfo : this.makeTensorFromTensorInfo(outInfo));
        return Array.isArray(out) ? outputs : outputs[0];
    }`],
    },
  },
  'tfjs-core/dist/environment.js': {
    stub: { Environment: ['getAsync', 'getNumber', 'getString', 'getFlags', 'features', 'set', 'setFlags', 'reset'] },
    // setupTf() sets a platform only where none is set: no warning about overwriting one.
    bodies: { 'Environment.setPlatform': ['9da2c3f4ff4d', `{
        this.platformName = platformName;
        this.platform = platform;
    }`] },
    replace: [
      // No flag overrides from the page's URL (see flags.js in STUBS).
      [`this.getQueryParams = getQueryParams;
        this.populateURLFlags();`, ``],
      [`// Override the flag value from the URL. This has to happen here because
        // the environment is initialized before flags get registered.
        if (this.urlFlags[flagName] != null) {
            const flagValue = this.urlFlags[flagName];
            if (!(env().getBool('IS_TEST') || env().getBool('PROD'))) {
                console.warn(\`Setting feature override from URL \${flagName}: \${flagValue}.\`);
            }
            this.set(flagName, flagValue);
        }`, ``],
    ],
    setBodies: { 'Environment.populateURLFlags': '{}' },
  },
  'tfjs-core/dist/tensor.js': {
    stub: {
      TensorBuffer: ['set', 'get', 'locToIndex', 'indexToLoc', 'toTensor'],
      // Tacit reads tensors with dataSync() only, and never casts, clones or prints them.
      Tensor: ['buffer', 'bufferSync', 'array', 'arraySync', 'data', 'dataToGPU', 'bytes', 'print', 'clone', 'cast', 'variable'],
      Variable: ['assign', 'dispose'],
    },
    replace: [
      [`if (this.dtype === 'string') {
            try {
                return data.map(b => util.decodeString(b));
            }
            catch (_a) {
                throw new Error('Failed to decode the string bytes into utf-8. ' +
                    'To get the original bytes, call tensor.bytes().');
            }
        }
        return data;`, `if (this.dtype === 'string') unused('string tensors');
        return data;`],
    ],
    // A placeholder rather than the values, as tensor_format.js would print.
    setBodies: { 'Tensor.toString': `{ return 'Tensor ' + this.dtype + ' [' + this.shape + ']' }` },
  },
  'tfjs-core/dist/base_side_effects.js': {
    // The op handler serves the Tensor methods cut above (buffer, cast, clone, print).
    replace: [[`const opHandler = {
    buffer,
    cast,
    clone,
    print
};
setOpHandler(opHandler);`, ``]],
  },
  'tfjs-core/dist/types.js': {
    // TypeScript's enum pattern, `var E; (function (E) { E["a"] = "b"; ... })(E || (E = {}));`, which
    // no minifier drops, as plain objects (the same keys and values).
    rewrite: (code, fail) => {
      const ENUM = /var (\w+);\n\(function \(\1\) \{\n((?:    \1\["\w+"\] = "\w+";\n)+)\}\)\(\1 \|\| \(\1 = \{\}\)\);/g
      let count = 0
      const out = code.replace(ENUM, (_, name, body) => {
        count++
        return `var ${name} = {${body.replace(/ +\w+\["(\w+)"\] = ("\w+");\n/g, ' $1: $2,')} };`
      })
      if (count !== 5) fail(`the 5 enums (Rank, Upcast*AndMap); found ${count}`)
      return out
    },
    // Only makeTypesMatch calls it, for tensors of two dtypes, which it then casts (cut above):
    // Tacit's tensors are all float32. The upcast tables go with it.
    bodies: { upcastType: ['80571b2af96d', `{ unused('tensors of mixed dtypes') }`] },
  },
  'tfjs-core/dist/globals.js': { replace: [[`setDeprecationWarningFn(deprecationWarn);`, ``]] },
  'tfjs-core/dist/util.js': {
    replace: [
      // The DEBUG flag is off (flags.js).
      [`if (env().getBool('DEBUG')) {
        base.checkConversionForErrors(a, dtype);
    }`, ``],
      // Tacit's tensors are all float32 (made from Float32Arrays, number arrays and numbers).
      [`else if (dtype === 'int32') {
        return new Int32Array(a);
    }
    else if (dtype === 'bool') {
        const bool = new Uint8Array(a.length);
        for (let i = 0; i < bool.length; ++i) {
            if (Math.round(a[i]) !== 0) {
                bool[i] = 1;
            }
        }
        return bool;
    }
    else {
        throw new Error(\`Unknown data type \${dtype}\`);
    }`, `else unused(dtype + ' tensors');`],
      // Array-like objects that are not arrays
      [`else {
        let maxIndex = -1;
        for (const key of Object.keys(arr)) {
            // 0 or positive integer.
            if (/^([1-9]+[0-9]*|0)$/.test(key)) {
                maxIndex = Math.max(maxIndex, Number(key));
            }
        }
        for (let i = 0; i <= maxIndex; i++) {
            // tslint:disable-next-line: no-unnecessary-type-assertion
            flatten(arr[i], result, skipTypedArray);
        }
    }`, `else unused('tensors from array-like objects');`],
    ],
  },
  'tfjs-core/dist/util_base.js': {
    // Float32 only (see util.js above); shapes without -1 (the kernels' reshapes give every size).
    bodies: {
      inferFromImplicitShape: ['a422d8a5f304', `{
    let shapeProd = 1;
    for (let i = 0; i < shape.length; ++i) {
        if (shape[i] >= 0) shapeProd *= shape[i];
        else if (shape[i] === -1) unused('shapes with -1');
        else if (shape[i] < 0) throw Error(\`Shapes can not be < 0. Found \${shape[i]} at dim \${i}\`);
    }
    if (size > 0 && size !== shapeProd) throw Error(\`Size(\${size}) must match the product of shape \${shape}\`);
    return shape;
}`],
      getArrayFromDType: ['dc0eb40cf1d4', `{
    if (dtype == null || dtype === 'float32') return new Float32Array(size);
    unused(dtype + ' tensors');
}`],
      makeZerosTypedArray: ['75a13f86924d', `{
    if (dtype == null || dtype === 'float32' || dtype === 'complex64') return new Float32Array(size);
    unused(dtype + ' tensors');
}`],
      convertBackendValuesAndArrayBuffer: ['5d6b8dd03405', `{
    if (dtype === 'float32' && !Array.isArray(data)) return data instanceof Float32Array ? data : new Float32Array(data);
    unused(dtype + ' tensors');
}`],
      bytesPerElement: ['18a8fc55f575', `{
    if (dtype === 'float32') return 4;
    unused(dtype + ' tensors');
}`],
    },
  },
  'tfjs-core/dist/tensor_util_env.js': {
    // An op's operands in Tacit are float32 tensors or numbers (a number becomes a float32 scalar,
    // its values Float32Array([x]), as the original makes it); arrays are never passed to an op.
    bodies: {
      convertToTensor: ['7304fe6e237a', `{
    if (x instanceof getGlobalTensorClass()) {
        if (x.dtype !== 'float32') unused(x.dtype + ' tensors');
        return x;
    }
    if (typeof x !== 'number') unused('ops on arrays or other values than tensors and numbers');
    return ENGINE.makeTensor(new Float32Array([x]), [], 'float32');
}`],
    },
    replace: [
      [`if (isWebGLData(val)) {
        const usedChannels = val.channels || 'RGBA';
        return [val.height, val.width * usedChannels.length];
    }
    else if (isWebGPUData(val)) {
        return [val.buffer.size / (dtype == null ? 4 : bytesPerElement(dtype))];
    }`, ``],
      // TENSORLIKE_CHECK_SHAPE_CONSISTENCY is off (flags.js).
      [`if (Array.isArray(val) &&
        env().getBool('TENSORLIKE_CHECK_SHAPE_CONSISTENCY')) {
        deepAssertShapeConsistency(val, shape, []);
    }`, ``],
      [`const values = inferredDtype !== 'string' ?
        toTypedArray(x, inferredDtype) :
        flatten(x, [], skipTypedArray);`, `const values = inferredDtype !== 'string' ? toTypedArray(x, inferredDtype) : unused('string tensors');`],
    ],
  },
  'tfjs-core/dist/ops/operation.js': {
    // op(): each of Tacit's ops is declared with one name and returns a tensor, never a promise;
    // the checks for those and the wrapper's display name (read by tf.profile, cut) go. Its scope
    // keeps the original's name.
    bodies: {
      op: ['366d93e2a7d0', `{
    const opName = Object.keys(f)[0];
    const fn = f[opName];
    const scope = (opName.endsWith('_') ? opName.slice(0, -1) : opName) + OP_SCOPE_SUFFIX;
    return (...args) => {
        ENGINE.startScope(scope);
        try {
            const result = fn(...args);
            ENGINE.endScope(result);
            return result;
        }
        catch (ex) {
            ENGINE.endScope(null);
            throw ex;
        }
    };
}`],
    },
  },
  // tensor1d and tensor2d of what makeTensor takes (below): a flat array or Float32Array, and for
  // tensor2d its shape, always given.
  'tfjs-core/dist/ops/tensor1d.js': {
    bodies: { tensor1d: ['ea1c15c7eff4', `{ return makeTensor(values, null, [values.length], dtype) }`] },
  },
  'tfjs-core/dist/ops/tensor2d.js': {
    bodies: {
      tensor2d: ['1fbc98c4f0fa', `{
    if (shape == null || shape.length !== 2) unused('tensor2d() without a shape of two numbers');
    return makeTensor(values, shape, [values.length], dtype);
}`],
    },
  },
  'tfjs-core/dist/ops/tensor_ops_util.js': {
    // Tacit makes tensors (tensor1d, tensor2d) of a Float32Array, kept as it is, or of a flat
    // array of numbers, copied into one, as the original does; nested arrays and other dtypes throw.
    bodies: {
      makeTensor: ['a80ab63d299b', `{
    if (dtype != null && dtype !== 'float32') unused(dtype + ' tensors');
    if (!(values instanceof Float32Array) && !(Array.isArray(values) && values.every((v) => typeof v === 'number'))) unused('tensors of other values than a Float32Array or a flat array of numbers');
    shape = shape || inferredShape;
    if (sizeFromShape(shape) !== values.length) throw new Error(\`Based on the provided shape, [\${shape}], the tensor should have \${sizeFromShape(shape)} values but has \${values.length}\`);
    return ENGINE.makeTensor(values instanceof Float32Array ? values : new Float32Array(values), shape, 'float32');
}`],
    },
    replace: [
      [`if (isWebGPUData(values) || isWebGLData(values)) {
        if (dtype !== 'float32' && dtype !== 'int32') {
            throw new Error(\`Creating tensor from GPU data only supports \` +
                \`'float32'|'int32' dtype, while the dtype is \${dtype}.\`);
        }
        return ENGINE.backend.createTensorFromGPUData(values, shape || inferredShape, dtype);
    }`, ``],
      [`values = dtype !== 'string' ?
        toTypedArray(values, dtype) :
        flatten(values, [], true);`, `values = dtype !== 'string' ? toTypedArray(values, dtype) : unused('string tensors');`],
    ],
  },
  'tfjs-core/dist/backends/backend.js': {
    // The abstract backend's methods, which only throw "not yet implemented": the cpu backend has
    // its own, and the rest (readToGPU, createTensorFromGPUData, timerAvailable) are called only
    // from paths cut in the engine and ops.
    remove: { KernelBackend: ['refCount', 'incRef', 'timerAvailable', 'time', 'read', 'readSync', 'readToGPU', 'numDataIds', 'disposeData', 'write', 'move', 'createTensorFromGPUData', 'memory', 'floatPrecision', 'epsilon', 'dispose'] },
  },
  'tfjs-backend-cpu/dist/backend_cpu.js': {
    stub: { MathBackendCPU: ['refCount', 'decRef', 'move', 'read', 'bufferSync', 'makeOutput', 'time', 'memory', 'where', 'floatPrecision', 'epsilon'] },
    replace: [
      [`const whereImpl = kernel_impls.whereImpl;`, ``],
      // createCpuBackend() in model/tf.ts clears firstUse: this only warns "install tfjs-node".
      [`if (this.firstUse) {
            this.firstUse = false;
            if (env().get('IS_NODE')) {
                backend_util.warn('\\n============================\\n' +
                    'Hi, looks like you are running TensorFlow.js in ' +
                    'Node.js. To speed things up dramatically, install our node ' +
                    'backend, visit https://github.com/tensorflow/tfjs-node for more details. ' +
                    '\\n============================');
            }
        }`, ``],
      [`if (dtype === 'string' && values != null && values.length > 0 &&
            util.isString(values[0])) {
            const encodedValues = values.map(d => util.encodeString(d));
            outId = this.write(encodedValues, shape, dtype);
        }
        else {
            outId = this.write(values, shape, dtype);
        }`, `if (dtype === 'string') unused('string tensors');
        outId = this.write(values, shape, dtype);`],
      [`if (dtype === 'complex64') {
            const realValues = this.readSync(complexTensorInfos.real.dataId);
            const imagValues = this.readSync(complexTensorInfos.imag.dataId);
            return backend_util.mergeRealAndImagArrays(realValues, imagValues);
        }`, `if (dtype === 'complex64') unused('complex numbers');`],
      [`if (complexTensorInfos != null) {
                this.disposeData(complexTensorInfos.real.dataId, true);
                this.disposeData(complexTensorInfos.imag.dataId, true);
            }`, `if (complexTensorInfos != null) unused('complex numbers');`],
    ],
  },
  'tfjs-backend-cpu/dist/utils/binary_utils.js': {
    // Float32 inputs take the same path as in the original; complex and string inputs throw.
    bodies: {
      binaryKernelFunc: ['b40cf14c5512', `{
    return ({ inputs, backend }) => {
        const { a, b } = inputs;
        assertNotComplex([a, b], name);
        if (a.dtype === 'string') unused('string tensors');
        const $dtype = dtype || a.dtype;
        const [resultData, resultShape] = simpleImpl(a.shape, b.shape, backend.data.get(a.dataId).values, backend.data.get(b.dataId).values, $dtype);
        return backend.makeTensorInfo(resultShape, $dtype, resultData);
    };
}`],
    },
  },
  'tfjs-backend-cpu/dist/cpu_util.js': {
    // A complex64 tensor cannot be made in this build (makeTensor and convertToTensor take float32 only).
    bodies: { assertNotComplex: ['e8a5a6f42cf6', `{}`] },
  },
  'tfjs-backend-cpu/dist/kernels/BatchMatMul.js': {
    // Tacit's matMuls are of two matrices (rank 2, float32): the batched, broadcasting rank-3 path
    // (and the reshape kernel and buffer op it brings) goes. The loops are the original's with a
    // batch of one, blocks included, so every sum is added in the same order: the same floats.
    bodies: {
      batchMatMul: ['f7ec369dee56', `{
    const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
    if (a.shape.length !== 2 || b.shape.length !== 2 || a.dtype !== 'float32' || b.dtype !== 'float32') unused('matMul of other than two float32 matrices');
    const sharedDim = a.shape[transposeA ? 0 : 1];
    const leftDim = a.shape[transposeA ? 1 : 0];
    const rightDim = b.shape[transposeB ? 0 : 1];
    if (sharedDim !== b.shape[transposeB ? 1 : 0]) throw new Error(\`Error in matMul: inner shapes of \${a.shape} and \${b.shape} (transposeA=\${transposeA}, transposeB=\${transposeB}) must match.\`);
    const aValues = backend.data.get(a.dataId).values;
    const bValues = backend.data.get(b.dataId).values;
    const [aOuterStep, aInnerStep] = transposeA ? [1, leftDim] : [sharedDim, 1];
    const [bInnerStep, bOuterStep] = transposeB ? [1, sharedDim] : [rightDim, 1];
    const resVals = new Float32Array(leftDim * rightDim);
    const blockSize = backend.blockSize;
    for (let i0 = 0; i0 < leftDim; i0 += blockSize) {
        const iBlock = Math.min(i0 + blockSize, leftDim);
        for (let j0 = 0; j0 < rightDim; j0 += blockSize) {
            const jBlock = Math.min(j0 + blockSize, rightDim);
            for (let k0 = 0; k0 < sharedDim; k0 += blockSize) {
                const kBlock = Math.min(k0 + blockSize, sharedDim);
                for (let i = i0; i < iBlock; i++) {
                    for (let j = j0; j < jBlock; j++) {
                        let sum = 0.0;
                        for (let k = k0; k < kBlock; k++) sum += aValues[i * aOuterStep + k * aInnerStep] * bValues[k * bInnerStep + j * bOuterStep];
                        resVals[i * rightDim + j] += sum;
                    }
                }
            }
        }
    }
    return backend.makeTensorInfo([leftDim, rightDim], 'float32', resVals);
}`],
    },
  },
  'tfjs-backend-cpu/dist/utils/binary_impl.js': {
    // Add, Sub and Multiply: Tacit's operands have the same shape, or one is a number or a row
    // added to every row of a matrix (a bias). Each such result element is op(a[i mod a's size],
    // b[i mod b's size]), the original's own loop; other broadcasts throw.
    bodies: {
      createSimpleBinaryKernelImpl: ['7b497ca23b2e', `{
    return (aShape, bShape, aVals, bVals, dtype) => {
        const [big, small] = aShape.length >= bShape.length ? [aShape, bShape] : [bShape, aShape];
        const trailing = small.every((d, i) => d === big[big.length - small.length + i]);
        if (!trailing && small.some((d) => d !== 1)) unused('broadcasting other than of a number or a trailing row');
        const result = util.getTypedArrayFromDType(dtype, util.sizeFromShape(big));
        for (let i = 0; i < result.length; ++i) result[i] = op(aVals[i % aVals.length], bVals[i % bVals.length]);
        return [result, big.slice()];
    };
}`],
    },
  },
  'tfjs-backend-cpu/dist/kernels/Add.js': { replace: [[`binaryKernelFunc(Add, addImpl, addComplexImpl)`, `binaryKernelFunc(Add, addImpl)`], [`= createComplexBinaryKernelImpl(`, `= /*#__PURE__*/ createComplexBinaryKernelImpl(`]] },
  'tfjs-backend-cpu/dist/kernels/Sub.js': { replace: [[`binaryKernelFunc(Sub, subImpl, subComplexImpl)`, `binaryKernelFunc(Sub, subImpl)`], [`= createComplexBinaryKernelImpl(`, `= /*#__PURE__*/ createComplexBinaryKernelImpl(`]] },
  'tfjs-backend-cpu/dist/kernels/Multiply.js': { replace: [[`binaryKernelFunc(Multiply, multiplyImpl, multiplyComplexImpl)`, `binaryKernelFunc(Multiply, multiplyImpl)`], [`= createComplexBinaryKernelImpl(`, `= /*#__PURE__*/ createComplexBinaryKernelImpl(`]] },
  'tfjs-backend-cpu/dist/utils/unary_utils.js': {
    replace: [[`if (x.dtype === 'string') {
            if (!Array.isArray(values)) {
                throw new Error('String tensor\\'s value was not an instance of Array');
            }
            decoded = backend_util.fromUint8ToStringArray(values);
        }`, `if (x.dtype === 'string') unused('string tensors');`]],
  },
  'tfjs-backend-cpu/dist/kernels/Reshape.js': {
    replace: [[`if (xData.complexTensorInfos != null) {
        const real = xData.complexTensorInfos.real;
        const imag = xData.complexTensorInfos.imag;
        real.shape = $shape;
        imag.shape = $shape;
    }`, `if (xData.complexTensorInfos != null) unused('complex numbers');`]],
  },
}

const hashOf = (text) => createHash('sha256').update(text).digest('hex').slice(0, 12)

/** Calls `visit` on every node of an ESTree AST. */
const walk = (node, visit) => {
  visit(node)
  for (const key in node) {
    const value = node[key]
    if (Array.isArray(value)) for (const child of value) child && typeof child.type === 'string' && walk(child, visit)
    else if (value && typeof value.type === 'string') walk(value, visit)
  }
}

/** Applies one module's EDITS to `code` (parsed by rollup's `parse`); throws when a target is missing. */
export const applyEdits = (code, edits, parse, file) => {
  const fail = (what) => {
    throw new Error(`tfjs-slim: ${what} not found in ${file}; was TensorFlow.js upgraded? Review scripts/lib/tfSlim.mjs`)
  }
  if (edits.rewrite) code = edits.rewrite(code, fail)
  for (const [from, to] of edits.replace ?? []) {
    const at = code.indexOf(from)
    if (at < 0 || code.indexOf(from, at + 1) >= 0) fail(`the text ${JSON.stringify(from.slice(0, 60))}...`)
    code = code.slice(0, at) + to + code.slice(at + from.length)
  }
  const cuts = [] // [start, end, text, name]
  const wanted = new Map() // 'Class.method' or 'function' -> [replacement body, hash of the original body]
  // A stub drops the parameters too (terser keeps unused ones): `(a, b) { ... }` becomes
  // `() { unused() }`. No message of its own: the stack trace names the method, and 45 messages
  // would cost 0.4 KB gzip.
  for (const [cls, methods] of Object.entries(edits.stub ?? {})) for (const m of methods) wanted.set(`${cls}.${m}`, ['() { unused() }', undefined, true])
  for (const [cls, methods] of Object.entries(edits.remove ?? {})) for (const m of methods) wanted.set(`${cls}.${m}`, ['', undefined, 'method'])
  for (const [name, [hash, body]] of Object.entries(edits.bodies ?? {})) wanted.set(name, [body, hash])
  for (const [name, body] of Object.entries(edits.setBodies ?? {})) wanted.set(name, [body])
  const cut = (fn, name) => {
    const [text, hash, withParams] = wanted.get(name)
    const original = code.slice(fn.body.start, fn.body.end)
    // A rewritten body must replace exactly the code it was written against.
    if (hash && hashOf(original) !== hash) fail(`${name} as written (hash ${hashOf(original)})`)
    const start = withParams ? code.indexOf('(', fn.params.length ? code.lastIndexOf('(', fn.params[0].start) : fn.start) : fn.body.start
    cuts.push([start, fn.body.end, text, name])
  }
  const remove = (member, name) => cuts.push([member.start, member.end, '', name])
  if (wanted.size === 0) return code
  walk(parse(code), (node) => {
    if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.id) {
      for (const member of node.body.body) {
        if (member.type !== 'MethodDefinition' || member.computed || member.kind === 'constructor') continue
        const key = `${node.id.name}.${member.key.name}`
        if (wanted.has(key)) (wanted.get(key)[2] === 'method' ? remove(member, key) : cut(member.value, key))
      }
    }
    if (node.type === 'FunctionDeclaration' && node.id && wanted.has(node.id.name)) {
      cut(node, node.id.name)
    }
  })
  for (const name of wanted.keys()) if (!cuts.some((c) => c[3] === name)) fail(name)
  cuts.sort((a, b) => b[0] - a[0])
  for (const [start, end, text] of cuts) code = code.slice(0, start) + text + code.slice(end)
  return code
}

/** The rollup plugin described above. */
export const tfjsSlim = () => {
  const core = dirname(require.resolve('@tensorflow/tfjs-core/package.json'))
  return {
    name: 'tfjs-slim',
    async resolveId(source, importer, options) {
      if (source === '@tensorflow/tfjs-core') return { id: SLIM, moduleSideEffects: true }
      if (source === UNUSED_ID) return { id: UNUSED_ID, moduleSideEffects: false }
      if (source.startsWith('\0')) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      if (resolved && !resolved.external && TFJS_OR_HELPERS.test(resolved.id)) {
        return { ...resolved, moduleSideEffects: KEEP_SIDE_EFFECTS.test(resolved.id) }
      }
      return resolved
    },
    load(id) {
      if (id === UNUSED_ID) return UNUSED_MODULE
      const stub = STUBS.find(([path]) => id.endsWith(path))
      if (stub) return stub[1]
      if (id !== SLIM) return null
      const base = JSON.stringify(join(core, 'dist/base.js'))
      const effects = JSON.stringify(join(core, 'dist/base_side_effects.js'))
      return `import ${effects};\nexport * from ${base};\n`
    },
    transform(code, id) {
      const file = Object.keys(EDITS).find((f) => id.endsWith(`/@tensorflow/${f}`))
      if (!file) return null
      const edited = applyEdits(code, EDITS[file], (c) => this.parse(c), file)
      return { code: USE + edited, map: null }
    },
  }
}

/** Bundles `input` (ESM, for the browser) with or without the plugin; `minify` as in rollup.config.mjs. */
const bundle = async (input, { slim = true, external = [], minify = true, plugins = [] } = {}) => {
  const { rollup } = await import('rollup')
  const { nodeResolve } = await import('@rollup/plugin-node-resolve')
  const commonjs = (await import('@rollup/plugin-commonjs')).default
  const terser = (await import('@rollup/plugin-terser')).default
  const esbuild = (await import('rollup-plugin-esbuild')).default
  const built = await rollup({
    input,
    external,
    onwarn: () => {},
    plugins: [
      ...plugins,
      ...(slim ? [tfjsSlim()] : []),
      nodeResolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] }),
      commonjs(),
      esbuild({ target: 'es2020', define: { 'process.env.NODE_ENV': '"production"' } }),
    ],
  })
  const output = minify ? [terser({ format: { comments: false }, compress: { passes: 2 } })] : []
  const { output: chunks } = await built.generate({ format: 'es', inlineDynamicImports: true, plugins: output })
  await built.close()
  return chunks[0].code
}

/** Bundles `input` for the browser (ESM, minified) and returns its sizes, with or without the plugin. */
export const measure = async (input, { slim = true, external = [] } = {}) => {
  const { gzipSync } = await import('node:zlib')
  const code = await bundle(input, { slim, external })
  return { code, min: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

/**
 * What `check()` runs: every tfjs path of the model layer (logistic and hidden-layer models, with
 * and without normalisation, batches of 1 to 64, SGD steps, idle-time slices, full training,
 * anchors, JSON round trips, weights that blow up, bad inputs), printing every number computed
 * bit for bit, and tfjs's tensor count at the end (a leak shows there).
 */
const CHECK_DRIVER = (root) => `
import { add, engine, matMul, mul, sub, tensor1d, tensor2d, tidy } from '@tensorflow/tfjs-core'
import { IntentModel } from ${JSON.stringify(join(root, 'packages/core/src/model/intent.ts'))}
import { fitIntent } from ${JSON.stringify(join(root, 'packages/core/src/model/fit.ts'))}
import { createRandom } from ${JSON.stringify(join(root, 'packages/core/src/model/random.ts'))}
import { KERNEL_NAMES, setupTf } from ${JSON.stringify(join(root, 'packages/core/src/model/tf.ts'))}
const out = []
const bits = (v) => new Uint32Array(new Float32Array([v]).buffer)[0].toString(16)
const log = (...a) => out.push(a.map((v) => (typeof v === 'number' ? bits(v) : ArrayBuffer.isView(v) ? Array.from(v, bits).join(',') : JSON.stringify(v))).join(' '))
setupTf()
setupTf()
log(KERNEL_NAMES)
const rng = createRandom(42)
const vec = (n) => Float32Array.from({ length: n }, () => rng.normal() * 2)
for (const [d, hidden, withNorm, batch] of [[1, 0, false, 1], [3, 0, true, 2], [5, 4, false, 3], [7, 6, true, 8], [2, 1, true, 5], [12, 16, false, 64]]) {
  const normalisation = withNorm ? { mean: Array.from(vec(d)), std: Array.from(vec(d), (v) => Math.abs(v) + 0.1) } : undefined
  const inputs = Array.from({ length: d }, (_, i) => 'f' + i)
  const m = IntentModel.neutral(inputs, { hidden, normalisation, seed: d + hidden, baseRate: 0.3, output: 'o' })
  const x = vec(d)
  log(m.predict(x))
  const n = 20
  const xs = vec(n * d)
  const ys = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0))
  for (let s = 0; s < 5; s++) log(m.trainStep(xs.subarray(0, batch * d), ys.slice(0, batch), { lr: 0.1, momentum: 0.8, l2: 0.01 }))
  log(m.predictBatch(xs, n))
  let t = 0
  const r = m.trainSlice(Array.from({ length: 11 }, (_, i) => ({ x: xs.subarray(i * d, i * d + d), y: ys[i] })), 1000, { batchSize: 3, clock: () => (t += 1) })
  log(r.used, r.steps)
  fitIntent(m, xs, ys, { epochs: 3, batchSize: 7, rng: createRandom(3), schedule: (e, E) => 1 - e / E })
  log(m.predictBatch(xs, n))
  m.anchorHere()
  m.trainStep(xs.subarray(0, d), ys.slice(0, 1))
  log(m.toJSON())
  const again = IntentModel.fromJSON(m.toJSON(), m.toJSON())
  log(again.predict(x), again.trainStep(xs, ys), again.predict(x))
  m.assertFinite()
  again.dispose()
  m.dispose()
  const big = IntentModel.neutral(inputs, { hidden })
  try {
    for (let i = 0; i < 200; i++) big.trainStep(Float32Array.from(xs.subarray(0, d), (v) => v * 1e30), [1], { lr: 1e30 })
    big.assertFinite()
    log('still finite')
  } catch (e) { log(e.name, e.message) }
  big.dispose()
}
// matMul alone, across the cpu kernel's blocks of 48, every transpose (its edit is rank 2 only).
for (const [m, k, n] of [[1, 1, 1], [3, 49, 2], [50, 100, 60], [97, 5, 49]]) {
  for (const ta of [false, true]) for (const tb of [false, true]) {
    log(tidy(() => matMul(tensor2d(vec(m * k), ta ? [k, m] : [m, k]), tensor2d(vec(k * n), tb ? [n, k] : [k, n]), ta, tb).dataSync()))
  }
}
try { tidy(() => matMul(tensor2d(vec(6), [2, 3]), tensor2d(vec(6), [2, 3]))); log('no error') } catch (e) { log(e.name) }
// Add, Sub and Multiply: same shapes, a number, a row over every row of a matrix, in either order.
tidy(() => {
  const m = tensor2d(vec(12), [3, 4]), row = tensor1d(vec(4)), same = tensor2d(vec(12), [3, 4])
  for (const [x, y] of [[m, same], [m, row], [row, m], [m, 0.37], [0.37, m], [row, row]]) log(add(x, y).dataSync(), sub(x, y).dataSync(), mul(x, y).dataSync())
})
for (const bad of [new Float32Array([NaN]), new Float32Array(2)]) {
  const m = IntentModel.neutral(['a'])
  try { m.predict(bad); log('no error') } catch (e) { log(e.name) }
  m.dispose()
}
const { numTensors, numDataBuffers, numBytes, registeredVariables } = engine().state
log('tensors', numTensors, numDataBuffers, numBytes, Object.keys(registeredVariables).length)
console.log(out.join('\\n'))
`

/**
 * Runs the model layer (CHECK_DRIVER) bundled with the plugin and with the whole of tfjs, each in
 * a Node process of its own, and compares everything they computed: the plugin must not change a
 * single bit. Returns `{ same, lines, diff }` (diff: the first differing line of each).
 */
export const check = async (root = join(dirname(new URL(import.meta.url).pathname), '../..')) => {
  const { execFileSync } = await import('node:child_process')
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const DRIVER = '\0tfjs-slim-check'
  const driver = { name: 'tfjs-slim-check', resolveId: (id) => (id === DRIVER ? id : null), load: (id) => (id === DRIVER ? CHECK_DRIVER(root) : null) }
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-slim-check-'))
  try {
    const run = async (slim) => {
      const code = await bundle(DRIVER, { slim, plugins: [driver] })
      const file = join(dir, `${slim ? 'slim' : 'full'}.mjs`)
      // The whole of tfjs registers its Node platform, which calls require().
      writeFileSync(file, `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${code}`)
      return execFileSync(process.execPath, [file], { encoding: 'utf8', maxBuffer: 1 << 26 })
    }
    const [slim, full] = [await run(true), await run(false)]
    const a = slim.split('\n')
    const b = full.split('\n')
    const at = a.findIndex((line, i) => line !== b[i])
    return { same: slim === full, lines: a.length, diff: at < 0 ? null : { slim: a[at], full: b[at] } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(dirname(new URL(import.meta.url).pathname), '../..')
  if (process.argv[2] === '--check') {
    const { same, lines, diff } = await check(root)
    console.log(same ? `The model layer computes the same ${lines} lines with and without the plugin.` : `The plugin changes what the models compute:\n  slim: ${diff.slim}\n  full: ${diff.full}`)
    process.exit(same ? 0 : 1)
  }
  const entries = process.argv[2] ? [process.argv[2]] : [join(root, 'packages/core/src/model/tf.ts'), join(root, 'scripts/lib/tfSizeEntry.ts')]
  for (const entry of entries) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`
    const full = await measure(entry, { slim: false })
    const slim = await measure(entry, { slim: true })
    console.log(`${entry.replace(root + '/', '')}`)
    console.log(`  without the plugin: ${kb(full.min)} min, ${kb(full.gzip)} gzip`)
    console.log(`  with tfjsSlim():    ${kb(slim.min)} min, ${kb(slim.gzip)} gzip`)
  }
}
