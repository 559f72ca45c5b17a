/**
 * `--backend js|wasm` (every command that computes with tensors): which kernels tensor runs, chosen
 * with tensor's `setBackend` before the command makes its first tensor. The flag, else
 * `LMP_BACKEND`, else `js` — the exact path (the lectures' numbers bit for bit); `wasm` is
 * WebAssembly SIMD, several times faster, its float32 sums reordered (losses within float32 drift
 * of js's).
 */
import { type BackendName, getBackend, setBackend, wasmFeatures } from '@llm-playground/tensor';
import type { OptionSpec, OptionValues } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';

const NAMES: readonly BackendName[] = ['js', 'wasm'];

/** `--backend NAME`, shared by `train`, `eval`, `sample`, `lr-find` and `bigram`. */
export const BACKEND_OPTION: OptionSpec = {
  name: 'backend',
  type: 'string',
  valueName: 'NAME',
  defaultText: 'js, or $LMP_BACKEND',
  description:
    "tensor kernels: js (exact: the lectures' numbers bit for bit) or wasm (WebAssembly SIMD, several times faster, losses within float32 drift)",
};

/**
 * The backend a command asked for: `--backend`, else `env.LMP_BACKEND` (when not empty), else
 * `'js'`. Anything else is a `UsageError` naming where the bad value came from.
 *
 * @example
 * readBackend({ backend: 'wasm' }, 'train', {}); // 'wasm'
 * readBackend({}, 'train', { LMP_BACKEND: 'wasm' }); // 'wasm'
 * readBackend({ backend: 'cuda' }, 'train', {}); // throws: --backend must be js or wasm, got 'cuda'
 */
export function readBackend(
  values: OptionValues,
  command: string,
  env: Record<string, string | undefined> = process.env,
): BackendName {
  const flag = values.backend;
  const fromEnv = env.LMP_BACKEND === '' ? undefined : env.LMP_BACKEND;
  const value = flag === undefined ? (fromEnv ?? 'js') : String(flag);
  if (NAMES.includes(value as BackendName)) return value as BackendName;
  const where = flag === undefined ? 'the environment variable LMP_BACKEND' : '--backend';
  const fix = flag === undefined ? '; set it to js or wasm, or unset it' : '';
  throw new UsageError(`${where} must be js or wasm, got '${value}'${fix}`, command);
}

/** Why the wasm backend could not load, as tensor's one warning said (it warns once a process). */
let wasmProblem: string | undefined;

/**
 * Selects `name` with `select` (tensor's `setBackend`; `undefined`: keeps the current backend) and
 * returns how the run names it (`describeBackend`). When wasm
 * cannot load, tensor stays on js and `console.warn`s once; that warning is caught here and becomes
 * one line `lmp: warning: …` on `io.stderr` (every time it happens, never a stack).
 *
 * @example
 * useBackend('wasm', io); // 'wasm (SIMD)' (Node 20), or 'js' and a warning where wasm cannot load
 */
export function useBackend(
  name: BackendName | undefined,
  io: CliIO,
  select: (name: BackendName) => { name: string } = setBackend,
): string {
  if (name === undefined) return describeBackend();
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(' ');
    const reason = /wasm backend is unavailable \(([\s\S]*)\); using js/.exec(text)?.[1];
    if (reason === undefined) warn(...args);
    else wasmProblem = reason.split('\n')[0].trim();
  };
  let chosen: string;
  try {
    chosen = select(name).name;
  } finally {
    console.warn = warn;
  }
  if (name === 'wasm' && chosen !== 'wasm') {
    io.stderr.write(
      `lmp: warning: the wasm backend cannot run here (${wasmProblem ?? 'no WebAssembly SIMD'}); using js (same numbers, slower)\n`,
    );
  }
  return describeBackend(chosen);
}

/**
 * The backend in a header line: `js`, `wasm (SIMD)` or `wasm (SIMD, relaxed FMA)` (the fused
 * multiply-add build tensor picks where the runtime validates relaxed SIMD: tensor's own probe,
 * `wasmFeatures()`, so the header names the build `loadWasmBackend` chose).
 *
 * @example
 * describeBackend(getBackend().name); // 'js'
 */
export function describeBackend(name: string = getBackend().name): string {
  if (name !== 'wasm') return name;
  return `wasm (SIMD${wasmFeatures().relaxedSimd ? ', relaxed FMA' : ''})`;
}

/**
 * `['backend wasm (SIMD)']` for a header's list of settings, `[]` on js (the default, not repeated
 * by `eval`, `sample` and `bigram`; `train` and `lr-find` always name it).
 */
export function backendIfNotJs(described: string): string[] {
  return described === 'js' ? [] : [`backend ${described}`];
}
