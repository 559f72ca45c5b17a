/**
 * The kernel interface: buffers plus a few kernel families. The ops and the autograd above call only
 * this, so a second backend (WebAssembly SIMD, threads) implements these functions and nothing else.
 */
import { binaryStrided, gatherStrided, scatterStrided, unaryContiguous } from './elementwise.js';
import { matmulKernel } from './matmul.js';
import { reduceDim } from './reduce.js';

export interface Backend {
  readonly name: string;
  unaryContiguous: typeof unaryContiguous;
  binaryStrided: typeof binaryStrided;
  gatherStrided: typeof gatherStrided;
  scatterStrided: typeof scatterStrided;
  reduceDim: typeof reduceDim;
  matmul: typeof matmulKernel;
}

/** Plain TypeScript loops over typed arrays, single-threaded. */
export const jsBackend: Backend = {
  name: 'js',
  unaryContiguous,
  binaryStrided,
  gatherStrided,
  scatterStrided,
  reduceDim,
  matmul: matmulKernel,
};

export type { BinaryOp, UnaryOp } from './elementwise.js';
export type { ReduceOp } from './reduce.js';
