/**
 * The wasm backend's layer norm (wasm/norm.ts): float32 rows, the js kernels' float64 arithmetic in
 * their order, so bit-identical to js; other dtypes and tiny inputs run the js kernels. With a worker
 * pool both are split by rows (threads.ts); the backward's column sums stay on the calling thread.
 */
import type { TypedArray } from '../../dtype.js';
import { layerNorm as jsLayerNorm, layerNormBackward as jsLayerNormBackward } from '../norm.js';
import { type Operand, place, tooSmall } from './place.js';
import { allocateBytes, type KernelExports } from './runtime.js';
import { parallel, partsFor, runParts, splitRuns } from './threads.js';

/**
 * Relative costs per element (threads.ts's `minElements` unit, an add or a relu = 1). Measured
 * (relaxed SIMD, [rows, 64]): forward 1.7 ns, backward 2.2 ns per element against ~0.25 for a relu;
 * 2 threads gained 1.6× on the forward from 4,096 elements, 1.4× on the backward.
 */
const FORWARD_WEIGHT = 8;
const BACKWARD_WEIGHT = 8;
/**
 * The backward's column sums (dw, dbias) cost about this fraction of its dx pass, per row (measured
 * 37.5 against 105.7 µs on [1024, 64]).
 */
const SUMS_SHARE = 0.35;

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
    const parts = Math.min(rows, partsFor(kernels, total * FORWARD_WEIGHT, 'elements'));
    splitRuns(kernels, rows, parts, 1, (r, count) => {
      const row = r * n * 4;
      const stat = r * 4;
      const args = [ptrs[0] + row, count, n, ptrs[1], ptrs[2], eps, ptrs[3] + row];
      return { kernel: 'layerNormF32', args: [...args, ptrs[4] + stat, ptrs[5] + stat] };
    });
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
    // Rows r … r + count − 1: dx, and/or the column sums (dw, dbias: all rows, in order).
    const call = (r: number, count: number, dxToo: boolean, sumsToo: boolean) => {
      const row = r * n * 4;
      const args = [ptrs[0] + row, ptrs[1] + row, ptrs[2] + r * 4, ptrs[3] + r * 4, ptrs[4], count];
      const outputs = [
        dxToo ? ptrs[5] + row : 0,
        ...(sumsToo ? [ptrs[6], ptrs[7], sums] : [0, 0, 0]),
      ];
      return { kernel: 'layerNormBackwardF32' as const, args: [...args, n, ...outputs] };
    };
    const parts = dx ? Math.min(rows, partsFor(kernels, total * BACKWARD_WEIGHT, 'elements')) : 1;
    if (parts === 1 || sums === 0) {
      splitRuns(kernels, rows, parts, 1, (r, count) => call(r, count, true, true));
    } else {
      // dx by rows over the threads; the column sums (rows in order, as on one thread) by the
      // calling thread alone, which takes fewer dx rows to even the load.
      const own = Math.max(0, Math.round(rows * ((1 + SUMS_SHARE) / parts - SUMS_SHARE)));
      const first = [call(0, rows, false, true), call(0, own, true, false)];
      const rest = runParts(rows - own, parts - 1, 1, (r, count) =>
        call(own + r, count, true, false),
      );
      parallel(kernels, [first, ...rest]);
    }
    finish();
  };
}
