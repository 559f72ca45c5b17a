/**
 * Which kernels run: `setBackend('wasm' | 'js')` and `getBackend()`. The ops and the autograd read
 * the current backend on every call (a module variable read), so switching takes effect at the next
 * op. The default is `js`; in Node, the environment variable `LMP_BACKEND=wasm|js` overrides it at
 * start-up (how the `unit-wasm` test project runs the whole suite on WebAssembly).
 *
 * Mixing: a tensor does not belong to a backend. Both backends read and write the same JavaScript
 * typed arrays (`Tensor.storage`), so a tensor made under one backend is a valid operand under the
 * other; each op's result is whatever the backend current at that op computes (bit-identical to
 * `js` where the wasm kernel keeps js's order of operations, within float32 rounding where it
 * reorders sums). Switching in the middle of a graph is therefore defined, never wrong numbers.
 */
import { type Backend, jsBackend } from './kernels/backend.js';
import { loadWasmBackend, wasmFeatures } from './kernels/wasm/index.js';
import { usePool } from './memory.js';

export type BackendName = 'js' | 'wasm';

const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

let current: Backend = jsBackend;
let wasm: Backend | null = null;
let wasmError: string | null = null;
let warned = false;
/** `wasm` is the relaxed-SIMD build (see enableRelaxedSimd). */
let relaxedWasm = false;
/** `enableRelaxedSimd(false)` asked for the plain build (null: the runtime's default). */
let plainAsked = false;

/**
 * The kernels every op runs right now.
 *
 * @example
 * ```ts
 * ['js', 'wasm'].includes(getBackend().name); // true
 * ```
 */
export function getBackend(): Backend {
  return current;
}

/**
 * Installs `backend` as the current one without the name checks (captureStep swaps in a recording
 * proxy of the current backend and back). Internal.
 */
export function installBackend(backend: Backend): void {
  current = backend;
}

/** Loads the wasm backend once; afterwards returns the same object (or the same failure). */
function wasmBackend(): Backend | null {
  if (wasm === null && wasmError === null) {
    try {
      const relaxedSimd = wasmFeatures().relaxedSimd && !plainAsked;
      const loaded = loadWasmBackend({ relaxedSimd });
      if ('error' in loaded) wasmError = loaded.error;
      else {
        wasm = loaded;
        relaxedWasm = relaxedSimd;
      }
    } catch (error) {
      wasmError = error instanceof Error ? error.message : String(error);
    }
  }
  return wasm;
}

/**
 * Chooses the kernels: `'js'` (plain TypeScript loops) or `'wasm'` (WebAssembly SIMD, with js for
 * the families it does not accelerate). Returns the backend now in use. When the wasm backend cannot
 * load (no WebAssembly, no SIMD), stays on js and warns once with the reason; it never throws for
 * that. An unknown name is an error.
 *
 * @example
 * ```ts
 * const previous = getBackend().name;
 * setBackend('js').name; // 'js'
 * setBackend(previous).name === previous; // true
 * setBackend('cuda'); // throws TypeError
 * ```
 */
export function setBackend(name: BackendName): Backend {
  if (!BACKEND_NAMES.includes(name)) {
    throw new TypeError(
      `setBackend(): unknown backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  if (name === 'js') {
    current = jsBackend;
    usePool(false);
    return current;
  }
  const loaded = wasmBackend();
  if (loaded) {
    current = loaded;
    // New tensors live in the kernel memory (shared memories only; see memory.ts).
    usePool(true);
  } else {
    current = jsBackend;
    if (!warned) {
      warned = true;
      console.warn(
        `@llm-playground/tensor: the wasm backend is unavailable (${wasmError}); using js`,
      );
    }
  }
  return current;
}

/**
 * Switches the wasm kernels to their relaxed-SIMD build (`enabled` false: back to the plain-SIMD build,
 * for numbers identical to the js kernel's products where relaxed SIMD is on by default or was
 * turned on earlier in the process) (`f32x4.relaxed_madd`, a fused multiply-add:
 * matmul ~46 GFLOPS on one core here instead of ~37; a makemore transformer step ~10% faster). Chromium
 * has relaxed SIMD on and the wasm backend already uses it there; Node 20 has it behind V8's
 * `--experimental-wasm-relaxed-simd`, which this function turns on for the process
 * (`v8.setFlagsFromString`, found through `process.getBuiltinModule`, so browser bundles import no Node
 * module). Returns true when the relaxed kernels are in use (the current backend is replaced when it is
 * wasm; a later `setBackend('wasm')` picks them), false when the runtime has no relaxed SIMD (then the
 * plain kernels stay, nothing else changes). Call it before `startWasmThreads`: a running pool keeps
 * the build it started with.
 *
 * NOTE: opt-in in Node, not automatic: a fused multiply-add rounds once where plain SIMD rounds twice,
 * so float32 products differ from the js kernel (and from plain SIMD) in the last bits — within float32
 * tolerance, not bit-identical (see the README's "Relaxed SIMD"). The `lmp` CLI and makemore's Trainer
 * decide whether to call it; a script that needs js-identical numbers does not.
 *
 * @example
 * ```ts
 * // A trainer that prefers speed to js-identical numbers, opting in at start-up:
 * if (process.env.LMP_RELAXED_SIMD === '1') enableRelaxedSimd(); // then true on Node ≥ 20, Chromium
 * enableRelaxedSimd(false); // false
 * relaxedSimdInUse(); // false
 * ```
 */
export function enableRelaxedSimd(enabled = true): boolean {
  if (!enabled) {
    plainAsked = true;
    if (!relaxedWasm || wasm === null) return false;
    const plain = loadWasmBackend({ relaxedSimd: false });
    if ('error' in plain) return relaxedWasm;
    const wasCurrent = current === wasm;
    wasm = plain;
    relaxedWasm = false;
    if (wasCurrent) current = plain;
    return false;
  }
  plainAsked = false;
  if (!wasmFeatures().relaxedSimd) {
    type V8 = { setFlagsFromString?: (flags: string) => void };
    const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const v8 = node?.getBuiltinModule?.('node:v8') as V8 | undefined;
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
    if (!wasmFeatures().relaxedSimd) return false;
  }
  if (relaxedWasm) return true;
  const loaded = loadWasmBackend({ relaxedSimd: true });
  if ('error' in loaded) return false;
  const wasCurrent = wasm !== null && current === wasm;
  wasm = loaded;
  wasmError = null;
  relaxedWasm = true;
  if (wasCurrent) current = loaded;
  return true;
}

/**
 * Whether the wasm backend runs (or, once chosen, will run) its relaxed-SIMD build: the runtime has
 * relaxed SIMD and `enableRelaxedSimd(false)` did not ask for the plain build.
 *
 * @example
 * ```ts
 * enableRelaxedSimd(false);
 * relaxedSimdInUse(); // false
 * ```
 */
export function relaxedSimdInUse(): boolean {
  return wasm !== null ? relaxedWasm : wasmFeatures().relaxedSimd && !plainAsked;
}

/** `LMP_BACKEND` from the environment, where there is one (Node; not browsers). */
function environmentBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.LMP_BACKEND;
  return value === undefined || value === '' ? undefined : value;
}

const requested = environmentBackend();
if (requested !== undefined) {
  if ((BACKEND_NAMES as readonly string[]).includes(requested))
    setBackend(requested as BackendName);
  else {
    console.warn(
      `@llm-playground/tensor: LMP_BACKEND=${requested} is not a backend (expected js or wasm); using js`,
    );
  }
}
