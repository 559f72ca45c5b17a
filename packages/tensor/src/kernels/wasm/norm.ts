/**
 * The wasm backend's layer norm (wasm/norm.ts): float32 rows, the js kernels' float64 arithmetic in
 * their order, so bit-identical to js; other dtypes and tiny inputs run the js kernels.
 */
import type { TypedArray } from '../../dtype.js';
import { layerNorm as jsLayerNorm, layerNormBackward as jsLayerNormBackward } from '../norm.js';
import { type Operand, place, tooSmall } from './place.js';
import { allocateBytes, type KernelExports } from './runtime.js';

/**
 * The backward's float64 column sums (2n), kept in the kernel memory between calls: an address and
 * a capacity, not a view — without cross-origin isolation the memory is not shared, and growing it
 * detaches every view. Allocated for good, in powers of two (what a larger n leaves behind is at
 * most the size of the current block).
 */
let accPtr = -1;
let accCapacity = 0;

function columnSums(n: number): number {
  if (accPtr < 0 || accCapacity < 2 * n) {
    accCapacity = 2 ** Math.ceil(Math.log2(Math.max(64, 2 * n)));
    accPtr = allocateBytes(accCapacity * 8, 'the layer norm column sums');
  }
  return accPtr;
}

const f32 = (...arrays: (TypedArray | null)[]) =>
  arrays.every((a) => a === null || a instanceof Float32Array);

/** Places the non-null operands; null ones get pointer 0. */
function placeSome(operands: (Operand | null)[]): { ptrs: number[]; finish: () => void } {
  const present = operands.filter((o): o is Operand => o !== null);
  const placed = place(present);
  let k = 0;
  const ptrs = operands.map((o) => (o === null ? 0 : placed.ptrs[k++]));
  return { ptrs, finish: placed.finish };
}

/** `layerNorm` over wasm/norm.ts for float32 (the js kernel's bits). */
export function makeLayerNorm(kernels: KernelExports): typeof jsLayerNorm {
  return function layerNorm(x, rows, n, w, b, eps, out, mean, rstd): void {
    const total = rows * n;
    if (!f32(x, w, b, out, mean, rstd) || tooSmall(total, x, out)) {
      jsLayerNorm(x, rows, n, w, b, eps, out, mean, rstd);
      return;
    }
    const { ptrs, finish } = placeSome([
      [x, 0, total, 'in'],
      w && [w, 0, n, 'in'],
      b && [b, 0, n, 'in'],
      [out, 0, total, 'out'],
      [mean, 0, rows, 'out'],
      [rstd, 0, rows, 'out'],
    ]);
    kernels.layerNormF32(ptrs[0], rows, n, ptrs[1], ptrs[2], eps, ptrs[3], ptrs[4], ptrs[5]);
    finish();
  };
}

/** `layerNormBackward` over wasm/norm.ts for float32 (the js kernel's bits). */
export function makeLayerNormBackward(kernels: KernelExports): typeof jsLayerNormBackward {
  return function layerNormBackward(dy, x, mean, rstd, w, rows, n, dx, dw, dbias): void {
    const total = rows * n;
    if (!f32(dy, x, mean, rstd, w, dx, dw, dbias) || tooSmall(total, dy, x)) {
      jsLayerNormBackward(dy, x, mean, rstd, w, rows, n, dx, dw, dbias);
      return;
    }
    const sums = dw || dbias ? columnSums(n) : 0; // before place(): it may grow the memory
    const { ptrs, finish } = placeSome([
      [dy, 0, total, 'in'],
      [x, 0, total, 'in'],
      [mean, 0, rows, 'in'],
      [rstd, 0, rows, 'in'],
      w && [w, 0, n, 'in'],
      dx && [dx, 0, total, 'out'],
      dw && [dw, 0, n, 'out'],
      dbias && [dbias, 0, n, 'out'],
    ]);
    kernels.layerNormBackwardF32(
      ptrs[0],
      ptrs[1],
      ptrs[2],
      ptrs[3],
      ptrs[4],
      rows,
      n,
      ptrs[5],
      ptrs[6],
      ptrs[7],
      sums,
    );
    finish();
  };
}
