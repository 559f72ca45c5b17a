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
import { loadWasmBackend } from './kernels/wasm/index.js';
import { usePool } from './memory.js';

export type BackendName = 'js' | 'wasm';

const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

let current: Backend = jsBackend;
let wasm: Backend | null = null;
let wasmError: string | null = null;
let warned = false;

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
      const loaded = loadWasmBackend();
      if ('error' in loaded) wasmError = loaded.error;
      else wasm = loaded;
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
