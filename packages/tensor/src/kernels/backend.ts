/**
 * The kernel interface: every loop over tensor elements that the ops, the autograd and (next) nn's
 * fused losses and optimizers run lives behind this object, so a second backend (WebAssembly SIMD,
 * threads) implements these functions and nothing above changes. Kernels never see a `Tensor`: only
 * typed arrays, offsets, strides, shapes and numbers. A backend may replace any subset of families
 * and reuse the rest (`{ ...jsBackend, name: 'wasm', matmul }`).
 *
 * Families: elementwise (unary, binary with broadcasting, strided copy in/out), pointwise (cast, fill,
 * clamp, masked fill, in-place update, backward from the saved output), reduce one dimension,
 * matmul (any operand strides, so every transposition the backward needs), softmax / log-softmax
 * forward + backward, row gather / scatter-add, cross-entropy forward + backward, SGD and Adam(W).
 */
import { crossEntropyBackward, crossEntropyForward } from './cross-entropy.js';
import { binaryStrided, gatherStrided, scatterStrided, unaryContiguous } from './elementwise.js';
import { gatherRows, scatterAddDim, scatterAddRows } from './indexing.js';
import { matmulBatched, matmulKernel } from './matmul.js';
import { layerNorm, layerNormBackward } from './norm.js';
import { adamStep, adamStepMulti, sgdStep } from './optim.js';
import {
  cast,
  clamp,
  clampBackward,
  fill,
  maskedFill,
  unaryBackward,
  update,
} from './pointwise.js';
import { reduceDim } from './reduce.js';
import { softmax, softmaxBackward } from './softmax.js';

export interface Backend {
  /** 'js' or 'wasm' (what `getBackend().name` reports). */
  readonly name: string;
  // ---- elementwise (elementwise.ts) ----
  unaryContiguous: typeof unaryContiguous;
  binaryStrided: typeof binaryStrided;
  /** Strided view → contiguous buffer (`contiguous()`, `.data`, broadcast reads). */
  gatherStrided: typeof gatherStrided;
  /** Contiguous buffer → strided view (slice/select backward, `cat`, strided in-place writes). */
  scatterStrided: typeof scatterStrided;
  // ---- pointwise (pointwise.ts) ----
  cast: typeof cast;
  fill: typeof fill;
  clamp: typeof clamp;
  clampBackward: typeof clampBackward;
  maskedFill: typeof maskedFill;
  update: typeof update;
  unaryBackward: typeof unaryBackward;
  // ---- reductions (reduce.ts) ----
  reduceDim: typeof reduceDim;
  // ---- matmul (matmul.ts) ----
  matmul: typeof matmulKernel;
  /** Batched products with strided batch dims (`bmm`; small ones in one call on wasm). */
  matmulBatched: typeof matmulBatched;
  // ---- softmax (softmax.ts) ----
  softmax: typeof softmax;
  softmaxBackward: typeof softmaxBackward;
  // ---- layer norm (norm.ts) ----
  layerNorm: typeof layerNorm;
  layerNormBackward: typeof layerNormBackward;
  // ---- indexing (indexing.ts) ----
  gatherRows: typeof gatherRows;
  scatterAddRows: typeof scatterAddRows;
  scatterAddDim: typeof scatterAddDim;
  // ---- losses and optimizers, for nn (cross-entropy.ts, optim.ts) ----
  crossEntropyForward: typeof crossEntropyForward;
  crossEntropyBackward: typeof crossEntropyBackward;
  sgdStep: typeof sgdStep;
  adamStep: typeof adamStep;
  adamStepMulti: typeof adamStepMulti;
}

/** Plain TypeScript loops over typed arrays, single-threaded. The reference for every other backend. */
export const jsBackend: Backend = {
  name: 'js',
  unaryContiguous,
  binaryStrided,
  gatherStrided,
  scatterStrided,
  cast,
  fill,
  clamp,
  clampBackward,
  maskedFill,
  update,
  unaryBackward,
  reduceDim,
  matmul: matmulKernel,
  matmulBatched,
  softmax,
  softmaxBackward,
  layerNorm,
  layerNormBackward,
  gatherRows,
  scatterAddRows,
  scatterAddDim,
  crossEntropyForward,
  crossEntropyBackward,
  sgdStep,
  adamStep,
  adamStepMulti,
};

export type { CrossEntropySaved } from './cross-entropy.js';
export type { BinaryOp, UnaryOp } from './elementwise.js';
export type { AdamHyper, AdamTensors, SgdHyper } from './optim.js';
export type { UnaryBackwardOp, UpdateOp } from './pointwise.js';
export type { ReduceOp } from './reduce.js';
