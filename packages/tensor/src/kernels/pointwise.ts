/**
 * Pointwise kernels beyond the plain unary/binary ops: dtype casts, fills, clamping, masked fills,
 * in-place updates, and the backwards computed from an op's saved output (PyTorch's tanh_backward,
 * sigmoid_backward, threshold_backward). Contiguous buffers only; the ops make operands contiguous.
 * As in `elementwise.ts`, each variant gets its own loop with the `switch` outside it.
 */
import type { TypedArray } from '../dtype.js';

/**
 * out[i] = x[xOffset + i] for i < n, converted to `out`'s element type. Float to int32 truncates
 * toward zero (PyTorch's `.int()`/`.long()`); float64 to float32 rounds to nearest.
 */
export function cast(x: TypedArray, xOffset: number, out: TypedArray, n: number): void {
  if (out instanceof Int32Array && !(x instanceof Int32Array)) {
    for (let i = 0; i < n; i++) out[i] = Math.trunc(x[xOffset + i]);
    return;
  }
  out.set(xOffset === 0 && x.length === n ? x : x.subarray(xOffset, xOffset + n));
}

/** out[offset + i] = value for i < n. */
export function fill(out: TypedArray, offset: number, n: number, value: number): void {
  out.fill(value, offset, offset + n);
}

/** The backwards that need only the incoming gradient and the op's saved output y. */
export type UnaryBackwardOp =
  /** dx = dy · (1 − y²) */
  | 'tanh'
  /** dx = dy · y · (1 − y) */
  | 'sigmoid'
  /** dx = 0 where y ≤ 0, else dy (a NaN y passes dy through, as PyTorch's threshold_backward does) */
  | 'relu'
  /** y = √v: dx = dy / (2y), and 0 where y = 0 (std's backward: a constant row has gradient 0) */
  | 'sqrtOrZero';

/** dx[i] = backward(dy[i], y[i]) over `n` contiguous elements (all three arrays start at 0). */
export function unaryBackward(
  op: UnaryBackwardOp,
  dy: TypedArray,
  y: TypedArray,
  dx: TypedArray,
  n: number,
): void {
  switch (op) {
    case 'tanh':
      for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
      return;
    case 'relu':
      // `<= 0` rather than `> 0`: a NaN input passes its gradient through.
      for (let i = 0; i < n; i++) dx[i] = y[i] <= 0 ? 0 : dy[i];
      return;
    case 'sqrtOrZero':
      for (let i = 0; i < n; i++) dx[i] = y[i] === 0 ? 0 : dy[i] / (2 * y[i]);
      return;
  }
}

/** out[i] = min(max(x[i], lo), hi) over `n` contiguous elements; NaN stays NaN. */
export function clamp(x: TypedArray, out: TypedArray, n: number, lo: number, hi: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i], lo), hi);
}

/** dx[i] = dy[i] where lo ≤ x[i] ≤ hi (bounds included), else 0. */
export function clampBackward(
  x: TypedArray,
  dy: TypedArray,
  dx: TypedArray,
  n: number,
  lo: number,
  hi: number,
): void {
  for (let i = 0; i < n; i++) dx[i] = x[i] >= lo && x[i] <= hi ? dy[i] : 0;
}

/** x[i] = value wherever mask[i] ≠ 0, over `n` contiguous elements (PyTorch's `masked_fill_`). */
export function maskedFill(x: TypedArray, mask: TypedArray, n: number, value: number): void {
  for (let i = 0; i < n; i++) if (mask[i]) x[i] = value;
}

/** The in-place updates behind `copy_`, `add_`, `mul_`, `div_`. */
export type UpdateOp = 'assign' | 'add' | 'mul' | 'div';

/**
 * t[tOffset + i] = op(t[tOffset + i], alpha · v[vOffset + i]) for i < n: the contiguous fast path of
 * the in-place ops (optimizer updates, gradient accumulation). `alpha · v` is formed first, in
 * double precision, then combined and rounded once to `t`'s type.
 */
export function update(
  op: UpdateOp,
  t: TypedArray,
  tOffset: number,
  v: TypedArray,
  vOffset: number,
  n: number,
  alpha: number,
): void {
  const to = tOffset;
  const so = vOffset;
  switch (op) {
    case 'assign':
      for (let i = 0; i < n; i++) t[to + i] = alpha * v[so + i];
      return;
    case 'add':
      for (let i = 0; i < n; i++) t[to + i] += alpha * v[so + i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) t[to + i] *= alpha * v[so + i];
      return;
    case 'div':
      for (let i = 0; i < n; i++) t[to + i] /= alpha * v[so + i];
      return;
  }
}
