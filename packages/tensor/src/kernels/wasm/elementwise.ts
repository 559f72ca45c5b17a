/**
 * The wasm backend's elementwise kernels: the js kernels' signatures, and exactly the js kernels'
 * numbers. Only float32 ops whose float32 SIMD result equals JavaScript's double-then-round result
 * run in WebAssembly (+ − × ÷, √, neg, abs, relu, square, reciprocal, sign, maximum, minimum, and the
 * tanh backward computed in float64 like the js kernel, and sums over a non-last dimension, in
 * float64 in the same order); everything else — other ops, dtypes,
 * layouts, and arrays too small to pay for the call — runs the js kernel.
 *
 * NOTE: tanh itself stays on js for now. wasm/math.ts ports V8's `Math.tanh` (fdlibm) to float64,
 * scalar and two lanes at a time, both bit-identical to `Math.tanh` (tested on millions of inputs),
 * but measured no faster than V8's builtin (~15–25 ns per element here: the polynomial-and-two-
 * divisions chain is latency-bound). Interleaving several vectors is the next step.
 */
import {
  type BinaryOp,
  binaryStrided as jsBinaryStrided,
  unaryContiguous as jsUnaryContiguous,
  type UnaryOp,
} from '../elementwise.js';
import { unaryBackward as jsUnaryBackward, type UnaryBackwardOp } from '../pointwise.js';
import { reduceDim as jsReduceDim } from '../reduce.js';
import { heapF32, inWasm, type KernelExports, scratch } from './runtime.js';

/** Below this many elements the js loop is faster than a call into wasm (with copies). */
export const ELEMENTWISE_THRESHOLD = 256;

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
};
const BINARY: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};

const ALIGN = 64;
const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Places float32 operands in the kernel memory: arrays already there are used in place (their byte
 * offset), the others get a slot in the scratch arena. `inputs[i]` = [array, first element, count];
 * `outputs` likewise but not copied in. Returns the byte pointer of each, in order, and a function
 * that copies the outputs back.
 */
function place(
  inputs: [Float32Array, number, number][],
  outputs: [Float32Array, number, number][],
): { ptrs: number[]; finish: () => void } {
  const all = [...inputs, ...outputs];
  const direct = all.map(([array]) => inWasm(array));
  const direct0 = all.map(([array, first], i) => (direct[i] ? array.byteOffset + first * 4 : 0));
  let bytes = 0;
  for (let i = 0; i < all.length; i++) if (!direct[i]) bytes += alignUp(all[i][2] * 4);
  const base = bytes > 0 ? scratch(bytes) : 0;
  const heap = heapF32();
  const ptrs: number[] = [];
  let at = base;
  for (let i = 0; i < all.length; i++) {
    if (direct[i]) ptrs.push(direct0[i]);
    else {
      ptrs.push(at);
      const [array, first, count] = all[i];
      if (i < inputs.length) heap.set(array.subarray(first, first + count), at >> 2);
      at += alignUp(count * 4);
    }
  }
  const finish = () => {
    const h = heapF32();
    for (let o = 0; o < outputs.length; o++) {
      const i = inputs.length + o;
      if (direct[i]) continue;
      const [array, first, count] = outputs[o];
      array.set(h.subarray(ptrs[i] >> 2, (ptrs[i] >> 2) + count), first);
    }
  };
  return { ptrs, finish };
}

export function makeUnaryContiguous(kernels: KernelExports): typeof jsUnaryContiguous {
  return function unaryContiguous(op, x, xOffset, out, n): void {
    const code = UNARY[op];
    if (
      code === undefined ||
      n < ELEMENTWISE_THRESHOLD ||
      !(x instanceof Float32Array && out instanceof Float32Array)
    ) {
      jsUnaryContiguous(op, x, xOffset, out, n);
      return;
    }
    // `out` may be `x` itself (in place); reading all of x before writing keeps that exact.
    const { ptrs, finish } = place([[x, xOffset, n]], [[out, 0, n]]);
    kernels.unaryF32(code, ptrs[0], ptrs[1], n);
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

export function makeBinaryStrided(kernels: KernelExports): typeof jsBinaryStrided {
  return function binaryStrided(op, a, aOffset, aStrides, b, bOffset, bStrides, out, shape): void {
    const code = BINARY[op];
    let n = 1;
    for (const size of shape) n *= size;
    if (
      code === undefined ||
      n < ELEMENTWISE_THRESHOLD ||
      !(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)
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
      const { ptrs, finish } = place(
        [
          [a, aOffset, aCount],
          [b, bOffset, bCount],
        ],
        [[out, 0, n]],
      );
      kernels.binaryF32(
        code,
        ptrs[0],
        wa.row,
        wa.step,
        ptrs[1],
        wb.row,
        wb.step,
        ptrs[2],
        rows,
        len,
      );
      finish();
      return;
    }
    jsBinaryStrided(op, a, aOffset, aStrides, b, bOffset, bStrides, out, shape);
  };
}

export function makeUnaryBackward(kernels: KernelExports): typeof jsUnaryBackward {
  return function unaryBackward(op: UnaryBackwardOp, dy, y, dx, n): void {
    if (
      op !== 'tanh' ||
      n < ELEMENTWISE_THRESHOLD ||
      !(dy instanceof Float32Array && y instanceof Float32Array && dx instanceof Float32Array)
    ) {
      jsUnaryBackward(op, dy, y, dx, n);
      return;
    }
    const { ptrs, finish } = place(
      [
        [dy, 0, n],
        [y, 0, n],
      ],
      [[dx, 0, n]],
    );
    kernels.tanhBackwardF32(ptrs[0], ptrs[1], ptrs[2], n);
    finish();
  };
}

export function makeReduceDim(kernels: KernelExports): typeof jsReduceDim {
  return function reduceDim(op, x, outer, size, inner, out, indices): void {
    const n = outer * size * inner;
    if (
      op !== 'sum' ||
      inner < 2 ||
      n < ELEMENTWISE_THRESHOLD ||
      !(x instanceof Float32Array && out instanceof Float32Array)
    ) {
      jsReduceDim(op, x, outer, size, inner, out, indices);
      return;
    }
    const { ptrs, finish } = place([[x, 0, n]], [[out, 0, outer * inner]]);
    kernels.sumDimF32(ptrs[0], outer, size, inner, ptrs[1]);
    finish();
  };
}
