/**
 * The wasm backend: WebAssembly SIMD128 kernels compiled from AssemblyScript (../../../wasm/), with
 * the js kernels for every family or dtype they do not cover.
 *
 * ```ts
 * const backend = loadWasmBackend();
 * if ('error' in backend) console.warn(`wasm backend unavailable: ${backend.error}`);
 * ```
 */

import { type Backend, jsBackend } from '../backend.js';
import {
  makeBinaryStrided,
  makeReduceDim,
  makeUnaryBackward,
  makeUnaryContiguous,
} from './elementwise.js';
import { makeMatmul, makeMatmulBatched } from './matmul.js';
import { makeCast, makeFill, makeMaskedFill } from './memory.js';
import {
  makeAdamStep,
  makeAdamStepMulti,
  makeCrossEntropyBackward,
  makeCrossEntropyForward,
  makeGatherRows,
  makeScatterAddRows,
  makeSgdStep,
  makeSoftmax,
  makeSoftmaxBackward,
  makeUpdate,
} from './nn.js';
import { makeLayerNorm, makeLayerNormBackward } from './norm.js';
import { loadKernels, wasmFeatures } from './runtime.js';
import { makeGatherStrided, makeScatterStrided } from './strided.js';
import { startThreads, stopThreads, type ThreadOptions, threadCount } from './threads.js';

export {
  allocateInWasm,
  freeInWasm,
  type WasmFeatures,
  wasmFeatures,
  wasmMemory,
  wasmMemoryIsShared,
  wasmMemoryStats,
} from './runtime.js';
export { browserThreadsUnavailable, type ThreadOptions } from './threads.js';
export type { WasmMemory } from './webassembly.js';

/**
 * Loads the wasm backend, synchronously (the binaries are embedded: no file or network access).
 * `relaxedSimd` picks the fused multiply-add build; by default it is used when the runtime has relaxed
 * SIMD (Chromium; Node 20 only with `--experimental-wasm-relaxed-simd`). Returns `{ error }` — never
 * throws — when the runtime has no WebAssembly, no SIMD, or no relaxed SIMD although it was asked for.
 *
 * The backend is `{ ...jsBackend, name: 'wasm', … }`: the kernel families it accelerates (float32
 * matmul, elementwise, backwards, updates, rows, cross-entropy, softmax, SGD / Adam — see the
 * package README for which are bit-identical to js and which within 1 ulp) are replaced; every other
 * family and dtype runs the js kernels.
 */
export function loadWasmBackend(
  options: { relaxedSimd?: boolean } = {},
): Backend | { error: string } {
  const relaxed = options.relaxedSimd ?? wasmFeatures().relaxedSimd;
  const kernels = loadKernels(relaxed);
  if ('error' in kernels) return kernels;
  const matmul = makeMatmul(kernels);
  const adamStep = makeAdamStep(kernels);
  return {
    ...jsBackend,
    name: 'wasm',
    matmul,
    matmulBatched: makeMatmulBatched(kernels, matmul),
    unaryContiguous: makeUnaryContiguous(kernels),
    binaryStrided: makeBinaryStrided(kernels),
    unaryBackward: makeUnaryBackward(kernels),
    reduceDim: makeReduceDim(kernels),
    update: makeUpdate(kernels),
    gatherRows: makeGatherRows(kernels),
    scatterAddRows: makeScatterAddRows(kernels),
    crossEntropyForward: makeCrossEntropyForward(kernels),
    crossEntropyBackward: makeCrossEntropyBackward(kernels),
    sgdStep: makeSgdStep(kernels),
    adamStep,
    adamStepMulti: makeAdamStepMulti(kernels, adamStep),
    softmax: makeSoftmax(kernels),
    softmaxBackward: makeSoftmaxBackward(kernels),
    gatherStrided: makeGatherStrided(kernels),
    scatterStrided: makeScatterStrided(kernels),
    layerNorm: makeLayerNorm(kernels),
    layerNormBackward: makeLayerNormBackward(kernels),
    fill: makeFill(kernels),
    maskedFill: makeMaskedFill(kernels),
    cast: makeCast(kernels),
  };
}

/**
 * Runs the wasm kernels on `threads` threads (the caller plus `threads − 1` workers sharing the
 * kernel memory): matmuls of at least `minMacs` multiply-adds (default 2¹⁸ ≈ 262,000: about 12 µs on
 * one thread) by rows of C, batched matmuls by entries, and softmax, layer norm, the elementwise ops
 * and their backwards by rows or runs of elements, from `minElements` element-equivalents (elements
 * times the kernel's relative cost, an add being 1; default 2¹⁵). Results are bit-identical for
 * every thread count. Node (`worker_threads`) and, in browsers, a dedicated Worker of a
 * cross-origin-isolated page (not the page's main thread: `browserThreadsUnavailable()` says why
 * not where it cannot). Resolves to the thread count actually in use (1 where threads are
 * unavailable). Call `stopWasmThreads()` before exiting, or the workers keep the process alive.
 *
 * ```ts
 * const threads = await startWasmThreads(2); // 2 in Node, 1 where workers cannot share memory
 * ```
 */
export async function startWasmThreads(
  threads: number,
  options: ThreadOptions = {},
): Promise<number> {
  const plain = loadKernels(false);
  if ('error' in plain) return 1;
  const relaxed = wasmFeatures().relaxedSimd ? loadKernels(true) : plain;
  return startThreads(threads, [plain, 'error' in relaxed ? plain : relaxed], options);
}

/** Stops the worker pool started by `startWasmThreads`. */
export async function stopWasmThreads(): Promise<void> {
  await stopThreads();
}

/** Threads the wasm kernels use for large calls (1 without a pool). */
export function wasmThreadCount(): number {
  return threadCount();
}
