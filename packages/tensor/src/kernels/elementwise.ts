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
  | 'copy';

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
  }
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
  const ndim = shape.length;
  if (ndim === 0) {
    binaryRow(op, a, aOffset, 0, b, bOffset, 0, out, 0, 1);
    return;
  }
  const len = shape[ndim - 1];
  const sa = aStrides[ndim - 1];
  const sb = bStrides[ndim - 1];
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d];
  if (len === 0 || rows === 0) return;
  // Walk the leading dimensions with a counter; the last dimension is the inner loop.
  const index = new Array<number>(ndim).fill(0);
  let ai = aOffset;
  let bi = bOffset;
  for (let r = 0, oi = 0; r < rows; r++, oi += len) {
    binaryRow(op, a, ai, sa, b, bi, sb, out, oi, len);
    for (let d = ndim - 2; d >= 0; d--) {
      index[d]++;
      ai += aStrides[d];
      bi += bStrides[d];
      if (index[d] < shape[d]) break;
      ai -= aStrides[d] * shape[d];
      bi -= bStrides[d] * shape[d];
      index[d] = 0;
    }
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
  const ndim = shape.length;
  if (ndim === 0) {
    out[0] = x[offset];
    return;
  }
  const len = shape[ndim - 1];
  const s = strides[ndim - 1];
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d];
  if (len === 0 || rows === 0) return;
  const index = new Array<number>(ndim).fill(0);
  let xi = offset;
  for (let r = 0, oi = 0; r < rows; r++, oi += len) {
    if (s === 1) for (let t = 0; t < len; t++) out[oi + t] = x[xi + t];
    else for (let t = 0; t < len; t++) out[oi + t] = x[xi + t * s];
    for (let d = ndim - 2; d >= 0; d--) {
      index[d]++;
      xi += strides[d];
      if (index[d] < shape[d]) break;
      xi -= strides[d] * shape[d];
      index[d] = 0;
    }
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
  const ndim = shape.length;
  if (ndim === 0) {
    x[offset] = src[0];
    return;
  }
  const len = shape[ndim - 1];
  const s = strides[ndim - 1];
  let rows = 1;
  for (let d = 0; d < ndim - 1; d++) rows *= shape[d];
  if (len === 0 || rows === 0) return;
  const index = new Array<number>(ndim).fill(0);
  let xi = offset;
  for (let r = 0, si = 0; r < rows; r++, si += len) {
    for (let t = 0; t < len; t++) x[xi + t * s] = src[si + t];
    for (let d = ndim - 2; d >= 0; d--) {
      index[d]++;
      xi += strides[d];
      if (index[d] < shape[d]) break;
      xi -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}
