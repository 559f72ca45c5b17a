/**
 * Elementwise kernels on typed arrays. They never see a `Tensor`: buffers, offsets, strides, shapes.
 * Each op gets its own loop (a `switch` outside the loop, not a function call per element) so the JIT
 * compiles tight monomorphic code.
 */
import type { TypedArray } from '../dtype.js';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'tanh'
  | 'relu'
  | 'sigmoid'
  | 'sqrt'
  | 'abs'
  | 'square'
  | 'reciprocal'
  | 'sign'
  | 'copy'
  /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's `approximate='tanh'`). */
  | 'geluTanh'
  /** GELU, exact: x·Φ(x), Φ the standard normal CDF (through `erfc`, relative error < 1.2e-7). */
  | 'gelu';

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge';

/** out[i] = op(x[i]) over `n` contiguous elements. `out` may be `x` (in place). */
export function unaryContiguous(
  op: UnaryOp,
  x: TypedArray,
  xOffset: number,
  out: TypedArray,
  n: number,
): void {
  const o = xOffset;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[o + i];
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[o + i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[o + i]);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[o + i]);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        // Math.max keeps NaN as NaN, as PyTorch's relu does.
        out[i] = Math.max(x[o + i], 0);
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[o + i];
        out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[o + i]);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[o + i]);
      return;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[o + i];
        out[i] = v * v;
      }
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / x[o + i];
      return;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[o + i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
      }
      return;
    case 'copy':
      for (let i = 0; i < n; i++) out[i] = x[o + i];
      return;
    case 'geluTanh':
      for (let i = 0; i < n; i++) {
        const v = x[o + i];
        out[i] = 0.5 * v * (1 + Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v)));
      }
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = x[o + i] * normalCdf(x[o + i]);
      return;
  }
}

/** √(2/π) and 0.044715: the tanh GELU's constants (PyTorch's kBeta, kKappa). */
export const GELU_BETA = Math.sqrt(2 / Math.PI);
export const GELU_KAPPA = 0.044715;
// Numerical Recipes' erfc (erfcc): t·exp(−z² + P(t)), t = 1/(1 + z/2), relative error < 1.2e-7.
const ERFC = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** The standard normal CDF Φ(x) = ½·erfc(−x/√2), float64 (relative error < 1.2e-7; NaN stays NaN). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) * Math.SQRT1_2;
  const t = 1 / (1 + 0.5 * z);
  let poly = ERFC[9];
  for (let k = 8; k >= 0; k--) poly = poly * t + ERFC[k];
  const half = 0.5 * t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - half : x < 0 ? half : Number.NaN;
}

/** One row of a binary op: out[oi + t] = op(a[ai + t·sa], b[bi + t·sb]) for t < len. */
function binaryRow(
  op: BinaryOp,
  a: TypedArray,
  ai: number,
  sa: number,
  b: TypedArray,
  bi: number,
  sb: number,
  out: TypedArray,
  oi: number,
  len: number,
): void {
  switch (op) {
    case 'add':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] + b[bi + t * sb];
      return;
    case 'sub':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] - b[bi + t * sb];
      return;
    case 'mul':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] * b[bi + t * sb];
      return;
    case 'div':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] / b[bi + t * sb];
      return;
    case 'pow':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] ** b[bi + t * sb];
      return;
    case 'maximum':
      // Math.max/min propagate NaN, as torch.maximum/minimum do.
      for (let t = 0; t < len; t++) out[oi + t] = Math.max(a[ai + t * sa], b[bi + t * sb]);
      return;
    case 'minimum':
      for (let t = 0; t < len; t++) out[oi + t] = Math.min(a[ai + t * sa], b[bi + t * sb]);
      return;
    case 'eq':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] === b[bi + t * sb] ? 1 : 0;
      return;
    case 'ne':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] !== b[bi + t * sb] ? 1 : 0;
      return;
    case 'lt':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] < b[bi + t * sb] ? 1 : 0;
      return;
    case 'le':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] <= b[bi + t * sb] ? 1 : 0;
      return;
    case 'gt':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] > b[bi + t * sb] ? 1 : 0;
      return;
    case 'ge':
      for (let t = 0; t < len; t++) out[oi + t] = a[ai + t * sa] >= b[bi + t * sb] ? 1 : 0;
      return;
  }
}

/**
 * The strided walk shared by the kernels below. A view of `shape` is walked as rows: every index of
 * the leading dimensions is a row, and the last dimension is the inner loop (`len` elements, `stride`
 * apart in storage). `starts[r]` is where row r begins in storage, in row-major order, found with a
 * counter per leading dimension (an odometer: bump the last digit, carry when it wraps). Precomputing
 * the starts keeps each kernel's inner loop a plain typed-array loop, with no call per element.
 * A 0-d view is one row of one element.
 */
function rowStarts(
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
): Int32Array {
  const ndim = shape.length;
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d];
  const starts = new Int32Array(rows);
  if (ndim <= 1) {
    starts[0] = offset;
    return starts;
  }
  const index = new Array<number>(ndim - 1).fill(0);
  let at = offset;
  for (let r = 0; r < rows; r++) {
    starts[r] = at;
    for (let d = ndim - 2; d >= 0; d--) {
      index[d]++;
      at += strides[d];
      if (index[d] < shape[d]) break;
      at -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return starts;
}

/** Length of the rows `rowStarts` walks: the last dimension (1 for a 0-d view). */
const rowLength = (shape: readonly number[]): number =>
  shape.length === 0 ? 1 : shape[shape.length - 1];

/** Storage step along a row: the last stride (0 for a 0-d view, whose one row has one element). */
const rowStride = (strides: readonly number[]): number =>
  strides.length === 0 ? 0 : strides[strides.length - 1];

/**
 * out = op(a, b) over `shape` (the broadcast shape), reading `a` and `b` through their (broadcast)
 * strides — stride 0 repeats an element. `out` is contiguous.
 */
export function binaryStrided(
  op: BinaryOp,
  a: TypedArray,
  aOffset: number,
  aStrides: readonly number[],
  b: TypedArray,
  bOffset: number,
  bStrides: readonly number[],
  out: TypedArray,
  shape: readonly number[],
): void {
  const len = rowLength(shape);
  if (len === 0) return;
  const aStarts = rowStarts(aOffset, aStrides, shape);
  const bStarts = rowStarts(bOffset, bStrides, shape);
  const sa = rowStride(aStrides);
  const sb = rowStride(bStrides);
  for (let r = 0; r < aStarts.length; r++) {
    binaryRow(op, a, aStarts[r], sa, b, bStarts[r], sb, out, r * len, len);
  }
}

/** Copies a strided view into a contiguous buffer. */
export function gatherStrided(
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  out: TypedArray,
): void {
  const len = rowLength(shape);
  if (len === 0) return;
  // A contiguous view (gradients copied into `.grad`, inputs of captured steps): one block copy.
  // `set` converts between element types exactly as the element loop's assignment does.
  let n = 1;
  let contiguous = true;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== n) contiguous = false;
    n *= shape[d];
  }
  if (contiguous) {
    out.set(x.subarray(offset, offset + n));
    return;
  }
  const starts = rowStarts(offset, strides, shape);
  const s = rowStride(strides);
  for (let r = 0, oi = 0; r < starts.length; r++, oi += len) {
    const xi = starts[r];
    if (s === 1) for (let t = 0; t < len; t++) out[oi + t] = x[xi + t];
    else for (let t = 0; t < len; t++) out[oi + t] = x[xi + t * s];
  }
}

/** Writes a contiguous buffer into a strided view (the inverse of `gatherStrided`). */
export function scatterStrided(
  src: TypedArray,
  x: TypedArray,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
): void {
  const len = rowLength(shape);
  if (len === 0) return;
  const starts = rowStarts(offset, strides, shape);
  const s = rowStride(strides);
  for (let r = 0, si = 0; r < starts.length; r++, si += len) {
    const xi = starts[r];
    for (let t = 0; t < len; t++) x[xi + t * s] = src[si + t];
  }
}
