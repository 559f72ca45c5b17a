/**
 * `--backend js|wasm`, `--threads N` and `--no-fma` (every command that computes with tensors):
 * which kernels tensor runs, chosen with tensor's `setBackend` before the command makes its first
 * tensor. The flag, else `LMP_BACKEND`, else `js` — the exact path (the lectures' numbers bit for
 * bit); `wasm` is WebAssembly SIMD, several times faster, its float32 sums reordered (losses within
 * float32 drift of js's). On wasm, `withBackend` also turns on relaxed SIMD (a fused multiply-add,
 * ~20% faster matmuls; `--no-fma` keeps plain SIMD, the numbers of older runs) and runs tensor's
 * thread pool for the command (`--threads`, else `LMP_THREADS`, else the machine's cores, at most
 * 4; bit-identical results for every thread count), stopped when the command ends so the process
 * can exit.
 */
import { availableParallelism } from 'node:os';
import {
  type BackendName,
  enableRelaxedSimd,
  getBackend,
  relaxedSimdInUse,
  setBackend,
  startWasmThreads,
  stopWasmThreads,
  wasmThreadCount,
} from '@llm-playground/tensor';
import { type OptionSpec, type OptionValues, switchOption, valueOption } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';

const NAMES: readonly BackendName[] = ['js', 'wasm'];

/** `--backend NAME`, shared by `train`, `eval`, `sample`, `generate`, `lr-find` and `bigram`. */
export const BACKEND_OPTION: OptionSpec = {
  name: 'backend',
  type: 'string',
  valueName: 'NAME',
  defaultText: 'js, or $LMP_BACKEND',
  description:
    "tensor kernels: js (exact: the lectures' numbers bit for bit) or wasm (WebAssembly SIMD, several times faster, losses within float32 drift)",
};

/** The most threads `--threads` takes (each is a Node worker with its own kernel instance). */
export const MAX_THREADS = 64;

/**
 * The default thread count of the wasm backend: the machine's cores (`os.availableParallelism()`),
 * at most 4. NOTE: unlike PyTorch, which takes every core by default: past 4 threads the CPU-sized
 * models gain little (their products are small) and a shared machine loses more.
 *
 * @example
 * defaultThreads(2); // 2
 * defaultThreads(16); // 4
 */
export function defaultThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores));
}

/** `--threads N`: threads of the wasm backend. */
export const THREADS_OPTION: OptionSpec = valueOption(
  'threads',
  'N',
  'threads of the wasm backend for large products (the same numbers for every N; 1: no worker threads)',
  `$LMP_THREADS, else the cores up to 4: ${defaultThreads()} here`,
);

/** `--no-fma`: the plain SIMD kernels instead of relaxed SIMD's fused multiply-add. */
export const NO_FMA_OPTION: OptionSpec = switchOption(
  'no-fma',
  "wasm without relaxed SIMD's fused multiply-add (~20% slower products, the numbers of runs before it)",
);

/** The backend flags, in the order every tensor command lists them. */
export const BACKEND_OPTIONS: readonly OptionSpec[] = [
  BACKEND_OPTION,
  THREADS_OPTION,
  NO_FMA_OPTION,
];

/** The backend settings of a command's options (`readBackendOptions`; applied by `withBackend`). */
export interface BackendOptions {
  /** Tensor kernels, set before the first tensor (`undefined`: keep the current backend). */
  backend?: BackendName;
  /** Threads of the wasm backend (`undefined` or 1: no pool is started). */
  threads?: number;
  /** Relaxed SIMD's fused multiply-add on wasm where the runtime has it (`undefined`: yes). */
  fma?: boolean;
}

/**
 * `--backend`, `--threads` and `--no-fma` read together: on wasm the threads (`--threads`, else
 * `env.LMP_THREADS` when not empty, else `defaultThreads(cores)`) and `fma`; on js none of them
 * (`--threads` or `--no-fma` with js is a `UsageError`; `LMP_THREADS` is ignored there).
 *
 * @example
 * readBackendOptions({ backend: 'wasm' }, 'train', {}, 2); // { backend: 'wasm', threads: 2, fma: true }
 * readBackendOptions({ backend: 'wasm', threads: '1.5' }, 'train', {});
 * // throws: --threads must be a whole number from 1 to 64, got '1.5'
 */
export function readBackendOptions(
  values: OptionValues,
  command: string,
  env: Record<string, string | undefined> = process.env,
  cores?: number,
): BackendOptions {
  const backend = readBackend(values, command, env);
  const noFma = values['no-fma'] === true;
  if (backend !== 'wasm') {
    const given = values.threads !== undefined ? `--threads ${values.threads}` : '--no-fma';
    if (values.threads === undefined && !noFma) return { backend };
    throw new UsageError(
      `${given} needs the wasm backend: add --backend wasm (js runs on one thread, and has no fused multiply-add)`,
      command,
    );
  }
  const fromEnv = values.threads === undefined;
  const raw = fromEnv ? env.LMP_THREADS || undefined : String(values.threads);
  if (raw === undefined) return { backend, threads: defaultThreads(cores), fma: !noFma };
  const threads = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || threads < 1 || threads > MAX_THREADS) {
    const where = fromEnv ? 'the environment variable LMP_THREADS' : '--threads';
    const fix = fromEnv ? '; set it to a whole number or unset it' : '';
    throw new UsageError(
      `${where} must be a whole number from 1 to ${MAX_THREADS}, got '${raw}'${fix}`,
      command,
    );
  }
  return { backend, threads, fma: !noFma };
}

/**
 * Runs `body` on the backend `options` ask for and returns what it returns. On wasm: relaxed SIMD
 * first (tensor's `enableRelaxedSimd`, unless `fma` is false), then `useBackend`, then tensor's
 * thread pool (`startWasmThreads(threads)`, when more than 1), which is stopped when `body` ends,
 * however it ends (a finished run, a Ctrl-C that returned 130, an error), so the process can exit.
 * `body` gets the backend as the header names it: `wasm (SIMD, FMA, 2 threads)`. A runtime that
 * cannot give what was asked for gets one `lmp: warning:` line each, never a failure.
 *
 * @example
 * await withBackend({ backend: 'wasm', threads: 2 }, io, async (described) => {
 *   io.stdout.write(`backend ${described}\n`); // backend wasm (SIMD, FMA, 2 threads) on Node 20
 *   return 0;
 * });
 */
export async function withBackend<T>(
  options: BackendOptions,
  io: CliIO,
  body: (described: string) => Promise<T>,
): Promise<T> {
  const { backend, threads = 1, fma = true } = options;
  const warn = (text: string) => io.stderr.write(`lmp: warning: ${text}\n`);
  // Before the pool starts: its workers run the build in use.
  if (backend === 'wasm') enableRelaxedSimd(fma);
  useBackend(backend, io);
  let pool = false;
  if (getBackend().name === 'wasm' && threads > 1) {
    const cores = availableParallelism();
    if (threads > cores) warn(`--threads ${threads} is more than the ${cores} cores here: slower`);
    try {
      pool = true;
      const started = await startWasmThreads(threads);
      if (started < threads)
        warn(`the wasm backend runs on ${started} thread(s) here, not ${threads}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      warn(`the wasm threads failed to start (${reason}); using one thread`);
    }
  }
  try {
    return await body(describeBackend());
  } finally {
    if (pool) await stopWasmThreads();
  }
}

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
 * useBackend('wasm', io); // 'wasm (SIMD, 1 thread)' (Node 20), or 'js' and a warning where wasm cannot load
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
 * The backend in a header line: `js`, or on wasm the build and the threads, `wasm (SIMD, 1 thread)`
 * or `wasm (SIMD, FMA, 2 threads)` (FMA: relaxed SIMD's fused multiply-add, named from tensor's
 * `relaxedSimdInUse()`, the build its wasm backend runs; threads: `wasmThreadCount()`, the pool
 * in use).
 *
 * @example
 * describeBackend('js'); // 'js'
 * describeBackend('wasm', 2); // 'wasm (SIMD, FMA, 2 threads)' with relaxed SIMD on
 */
export function describeBackend(
  name: string = getBackend().name,
  threads: number = wasmThreadCount(),
): string {
  if (name !== 'wasm') return name;
  const fma = relaxedSimdInUse() ? ', FMA' : '';
  return `wasm (SIMD${fma}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

/**
 * `['backend wasm (SIMD, 1 thread)']` for a header's list of settings, `[]` on js (the default, not repeated
 * by `eval`, `sample` and `bigram`; `train` and `lr-find` always name it).
 */
export function backendIfNotJs(described: string): string[] {
  return described === 'js' ? [] : [`backend ${described}`];
}
