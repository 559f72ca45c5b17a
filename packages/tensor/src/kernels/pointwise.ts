/**
 * Pointwise kernels beyond the plain unary/binary ops: dtype casts, fills, clamping, masked fills,
 * in-place updates, and the backwards computed from an op's saved output (PyTorch's tanh_backward,
 * sigmoid_backward, threshold_backward). Contiguous buffers only; the ops make operands contiguous.
 * As in `elementwise.ts`, each variant gets its own loop with the `switch` outside it.
 */
import type { TypedArray } from '../dtype.js';
import { GELU_BETA, GELU_KAPPA, normalCdf } from './elementwise.js';

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

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** The backwards that need only the incoming gradient and the op's saved output y. */
export type UnaryBackwardOp =
  /** dx = dy · (1 − y²) */
  | 'tanh'
  /** dx = dy · y · (1 − y) */
  | 'sigmoid'
  /** dx = 0 where y ≤ 0, else dy (a NaN y passes dy through, as PyTorch's threshold_backward does) */
  | 'relu'
  /** y = √v: dx = dy / (2y), and 0 where y = 0 (std's backward: a constant row has gradient 0) */
  | 'sqrtOrZero'
  /** The saved array is the INPUT x: dx = dy·(½(1 + t) + ½x(1 − t²)·β(1 + 3κx²)), t = tanh(β(x + κx³)) */
  | 'geluTanh'
  /** The saved array is the INPUT x: dx = dy·(Φ(x) + x·φ(x)) */
  | 'gelu';

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
    case 'geluTanh':
      // PyTorch's GeluBackward (tanh) in its order, in float64.
      for (let i = 0; i < n; i++) {
        const v = y[i];
        const t = Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v));
        const right = 0.5 * v * (1 - t * t) * (GELU_BETA * (1 + 3 * GELU_KAPPA * v * v));
        dx[i] = dy[i] * (0.5 * (1 + t) + right);
      }
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = y[i];
        dx[i] = dy[i] * (normalCdf(v) + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
      }
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

/**
 * x[i] = value wherever mask[maskOffset + i mod period] ≠ 0, over `n` contiguous elements (PyTorch's
 * `masked_fill_`; `period` < n repeats a mask broadcast over leading dims, such as a causal [T, T]
 * mask over [B, H, T, T] attention weights, without expanding it).
 */
export function maskedFill(
  x: TypedArray,
  mask: TypedArray,
  n: number,
  value: number,
  period = n,
  maskOffset = 0,
): void {
  for (let start = 0; start < n; start += period) {
    const end = Math.min(n, start + period);
    for (let i = start, m = maskOffset; i < end; i++, m++) if (mask[m]) x[i] = value;
  }
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
