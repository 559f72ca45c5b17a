/**
 * The wasm backend's elementwise kernels, with the js kernels' signatures. Bit-identical to js:
 * float32 + − × ÷, √, neg, abs, relu, square, reciprocal, sign, maximum, minimum (a float32 SIMD
 * operation equals JavaScript's double-then-round), the backwards from the saved output (tanh,
 * sigmoid, relu, sqrtOrZero: float64 in js's order) and sums over a non-last dimension (float64, in
 * js's order). Within 1 ulp of float32: tanh (float32 lanes, wasm/transcendental.ts; differs from
 * js by 1 ulp on 0.27% of inputs), and exp, log, sigmoid (float64 lanes, ~1e-13 relative error
 * before the float32 rounding: in practice identical to js). Everything else — other ops, dtypes,
 * layouts, and arrays too small to pay for the call — runs the js kernel.
 *
 * Threads: with a worker pool, the unary, unary-backward and binary kernels are split into runs of
 * elements cut at multiples of 64 (threads.ts), the same bits as on one thread.
 *
 * NOTE: wasm/math.ts keeps a bit-exact port of V8's `Math.tanh` (fdlibm), tested but not used: it
 * was no faster than V8's builtin. Callers that need js's numbers bit for bit use the js backend.
 */
import {
  type BinaryOp,
  binaryStrided as jsBinaryStrided,
  unaryContiguous as jsUnaryContiguous,
  type UnaryOp,
} from '../elementwise.js';
import { unaryBackward as jsUnaryBackward, type UnaryBackwardOp } from '../pointwise.js';
import { reduceDim as jsReduceDim } from '../reduce.js';
import { place, tooSmall, tooSmallInexact } from './place.js';
import type { KernelExports } from './runtime.js';
import { partsFor, splitGrid, splitRuns } from './threads.js';

export { ELEMENTWISE_THRESHOLD } from './place.js';

// Op codes of wasm/elementwise.ts.
const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  relu: 2,
  sqrt: 3,
  square: 4,
  reciprocal: 5,
  sign: 6,
  copy: 7,
  // 12: float32 lanes (8 would be the float64-lane tanh, kept for the tests and the accuracy script).
  tanh: 12,
  exp: 9,
  log: 10,
  sigmoid: 11,
  geluTanh: 13,
};
/** Ops whose wasm results may differ from js in the last bit (see `tooSmallInexact`). */
const INEXACT: ReadonlySet<UnaryOp> = new Set<UnaryOp>([
  'tanh',
  'exp',
  'log',
  'sigmoid',
  'geluTanh',
]);
/**
 * Relative cost per element of the transcendental kernels and their backwards (threads.ts's
 * `minElements` unit, an add or a relu = 1). Measured (relaxed SIMD): the tanh-gelu 1.6 ns, its
 * backward 2.1 ns per element against ~0.25 for a relu; 2 threads gained 1.3× on the gelu from
 * 16,384 elements (nothing at 8,192), 1.5× on its backward from 4,096; a relu 1.7× from 65,536.
 */
const INEXACT_WEIGHT = 2;
const INEXACT_BACKWARD_WEIGHT = 4;

const BINARY: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};

export function makeUnaryContiguous(kernels: KernelExports): typeof jsUnaryContiguous {
  return function unaryContiguous(op, x, xOffset, out, n): void {
    const code = UNARY[op];
    if (
      code === undefined ||
      !(x instanceof Float32Array && out instanceof Float32Array) ||
      (INEXACT.has(op) ? tooSmallInexact(n) : tooSmall(n, x, out))
    ) {
      jsUnaryContiguous(op, x, xOffset, out, n);
      return;
    }
    // `out` may be `x` itself (in place); reading all of x before writing keeps that exact.
    const { ptrs, finish } = place([
      [x, xOffset, n, 'in'],
      [out, 0, n, 'out'],
    ]);
    const parts = partsFor(kernels, n * (INEXACT.has(op) ? INEXACT_WEIGHT : 1), 'elements');
    splitRuns(kernels, n, parts, 64, (i, count) => ({
      kernel: 'unaryF32',
      args: [code, ptrs[0] + i * 4, ptrs[1] + i * 4, count],
    }));
    finish();
  };
}

/** How a strided operand is walked as rows: element (r, t) at offset + r·row + t·step. */
interface Walk {
  row: number;
  step: number;
}

/**
 * Splits `shape` at dimension `split` into rows (outer dims) × len (inner dims) and describes how
 * `strides` walks it: the inner dims must be contiguous (step 1) or broadcast (all stride 0), the
 * outer dims contiguous over the rows (row = len or 1) or broadcast (row 0). Null when they are not.
 */
function walk(shape: readonly number[], strides: readonly number[], split: number): Walk | null {
  let step = -1;
  let expected = 1;
  let allZero = true;
  let contiguous = true;
  for (let d = shape.length - 1; d >= split; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== 0) allZero = false;
    if (strides[d] !== expected) contiguous = false;
    expected *= shape[d];
  }
  if (contiguous) step = 1;
  else if (allZero) step = 0;
  else return null;
  const factor = step === 1 ? expected : 1;
  let outerExpected = factor;
  let outerZero = true;
  let outerContiguous = true;
  for (let d = split - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== 0) outerZero = false;
    if (strides[d] !== outerExpected) outerContiguous = false;
    outerExpected *= shape[d];
  }
  if (outerContiguous) return { row: factor, step };
  if (outerZero) return { row: 0, step };
  return null;
}

/** A walked operand's arguments from element (r, c) on: its byte address, row and step. */
const walked = (ptr: number, w: Walk, r: number, c: number) => [
  ptr + (r * w.row + c * w.step) * 4,
  w.row,
  w.step,
];

export function makeBinaryStrided(kernels: KernelExports): typeof jsBinaryStrided {
  return function binaryStrided(op, a, aOffset, aStrides, b, bOffset, bStrides, out, shape): void {
    const code = BINARY[op];
    let n = 1;
    for (const size of shape) n *= size;
    if (
      code === undefined ||
      !(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) ||
      tooSmall(n, a, b, out)
    ) {
      jsBinaryStrided(op, a, aOffset, aStrides, b, bOffset, bStrides, out, shape);
      return;
    }
    // The smallest split (longest rows) at which both operands have a row walk.
    for (let split = 0; split < shape.length; split++) {
      const wa = walk(shape, aStrides, split);
      const wb = wa && walk(shape, bStrides, split);
      if (!wa || !wb) continue;
      let rows = 1;
      for (let d = 0; d < split; d++) rows *= shape[d];
      const len = n / rows;
      const aCount = (rows - 1) * wa.row + (len - 1) * wa.step + 1;
      const bCount = (rows - 1) * wb.row + (len - 1) * wb.step + 1;
      const { ptrs, finish } = place([
        [a, aOffset, aCount, 'in'],
        [b, bOffset, bCount, 'in'],
        [out, 0, n, 'out'],
      ]);
      // rows × len cut into equal runs at multiples of 64 columns; a run is up to three calls
      // (a partial first row, whole rows, a partial last row).
      const parts = partsFor(kernels, n, 'elements');
      splitGrid(kernels, rows, len, parts, 64, (r, c, count, width) => ({
        kernel: 'binaryF32',
        args: [
          code,
          ...walked(ptrs[0], wa, r, c),
          ...walked(ptrs[1], wb, r, c),
          ptrs[2] + (r * len + c) * 4,
          count,
          width,
        ],
      }));
      finish();
      return;
    }
    jsBinaryStrided(op, a, aOffset, aStrides, b, bOffset, bStrides, out, shape);
  };
}

// Op codes of wasm/nn.ts's unaryBackwardF32 (tanh and geluTanh have their own kernels; the exact
// gelu's backward runs the js kernel).
const BACKWARD: Partial<Record<UnaryBackwardOp, number>> = {
  tanh: 0,
  sigmoid: 1,
  relu: 2,
  sqrtOrZero: 3,
  geluTanh: 4,
};

export function makeUnaryBackward(kernels: KernelExports): typeof jsUnaryBackward {
  return function unaryBackward(op: UnaryBackwardOp, dy, y, dx, n): void {
    if (
      BACKWARD[op] === undefined ||
      !(dy instanceof Float32Array && y instanceof Float32Array && dx instanceof Float32Array) ||
      (op === 'geluTanh' ? tooSmallInexact(n) : tooSmall(n, dy, y, dx))
    ) {
      jsUnaryBackward(op, dy, y, dx, n);
      return;
    }
    const { ptrs, finish } = place([
      [dy, 0, n, 'in'],
      [y, 0, n, 'in'],
      [dx, 0, n, 'out'],
    ]);
    const kernel =
      op === 'tanh'
        ? 'tanhBackwardF32'
        : op === 'geluTanh'
          ? 'geluTanhBackwardF32'
          : 'unaryBackwardF32';
    const code = BACKWARD[op] as number;
    const weight = op === 'geluTanh' ? INEXACT_BACKWARD_WEIGHT : 1;
    splitRuns(kernels, n, partsFor(kernels, n * weight, 'elements'), 64, (i, count) => {
      const at = [ptrs[0] + i * 4, ptrs[1] + i * 4, ptrs[2] + i * 4, count];
      return { kernel, args: kernel === 'unaryBackwardF32' ? [code, ...at] : at };
    });
    finish();
  };
}

export function makeReduceDim(kernels: KernelExports): typeof jsReduceDim {
  return function reduceDim(op, x, outer, size, inner, out, indices): void {
    const n = outer * size * inner;
    if (
      op !== 'sum' ||
      inner < 2 ||
      !(x instanceof Float32Array && out instanceof Float32Array) ||
      tooSmall(n, x, out)
    ) {
      jsReduceDim(op, x, outer, size, inner, out, indices);
      return;
    }
    const { ptrs, finish } = place([
      [x, 0, n, 'in'],
      [out, 0, outer * inner, 'out'],
    ]);
    kernels.sumDimF32(ptrs[0], outer, size, inner, ptrs[1]);
    finish();
  };
}
