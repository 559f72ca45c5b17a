/**
 * Cross-entropy from logits over rows, given int targets: the fused loss of every classifier here.
 * `x` is [rows, C] contiguous. Per row i with target t (stable: the row maximum m is subtracted):
 *   lseᵢ = m + log Σ_c exp(x_ic − m),   nllᵢ = lseᵢ − x_it
 *   with label smoothing ε (target (1 − ε)·onehot + ε/C): lossᵢ = (1 − ε)·nllᵢ + ε·(lseᵢ − mean_c x_ic)
 * Rows whose target is `ignoreIndex` are skipped. The backward is closed-form:
 *   ∂lossᵢ/∂x_ic = (softmax(xᵢ)_c − ε/C − (1 − ε)·[c = t]) · scaleᵢ
 * and reuses exp(x − m) and 1/Σexp saved by the forward, so it needs no second exp.
 */
import type { TypedArray } from '../dtype.js';

/** What the forward keeps for the backward; allocate with `rows·C` and `rows` elements. */
export interface CrossEntropySaved {
  /** exp(x − m) per element (the softmax numerators), x's float type. */
  expShifted: TypedArray;
  /** 1 / Σ_c exp(x_ic − m) per row. */
  inverseSum: Float64Array;
}

/**
 * Forward over `rows` rows of `C` classes. Writes each counted row's loss to `perRow` (when given)
 * and returns the sum of the counted losses and how many rows counted (for 'mean').
 */
export function crossEntropyForward(
  x: TypedArray,
  rows: number,
  C: number,
  targets: Int32Array,
  ignoreIndex: number,
  labelSmoothing: number,
  saved: CrossEntropySaved,
  perRow: TypedArray | null,
): { total: number; count: number } {
  const { expShifted, inverseSum } = saved;
  const eps = labelSmoothing;
  let total = 0;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const t = targets[i];
    if (t === ignoreIndex) continue;
    const base = i * C;
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) if (x[base + c] > m) m = x[base + c];
    if (m === Number.NEGATIVE_INFINITY) m = 0; // a row of −∞: keep exp finite, the loss is +∞ or NaN
    let sumExp = 0;
    let sumX = 0;
    for (let c = 0; c < C; c++) {
      const v = x[base + c];
      const e = Math.exp(v - m);
      expShifted[base + c] = e;
      sumExp += e;
      sumX += v;
    }
    inverseSum[i] = 1 / sumExp;
    const lse = m + Math.log(sumExp);
    let loss = lse - x[base + t];
    if (eps > 0) loss = (1 - eps) * loss + eps * (lse - sumX / C);
    if (perRow) perRow[i] = loss;
    total += loss;
    count++;
  }
  return { total, count };
}

/**
 * Backward: dx (rows·C, zero-filled on entry) from the forward's saved values. The scale of row i is
 * dLoss[i] when `perRow` (reduction 'none'), else dLoss[0] / divisor (divisor = the counted rows for
 * 'mean', 1 for 'sum').
 */
export function crossEntropyBackward(
  dLoss: TypedArray,
  perRow: boolean,
  divisor: number,
  rows: number,
  C: number,
  targets: Int32Array,
  ignoreIndex: number,
  labelSmoothing: number,
  saved: CrossEntropySaved,
  dx: TypedArray,
): void {
  const { expShifted, inverseSum } = saved;
  const offValue = labelSmoothing / C;
  const onValue = 1 - labelSmoothing;
  const shared = perRow ? 0 : divisor === 1 ? dLoss[0] : dLoss[0] / divisor;
  for (let i = 0; i < rows; i++) {
    const t = targets[i];
    if (t === ignoreIndex) continue;
    const scale = perRow ? dLoss[i] : shared;
    const base = i * C;
    const inv = inverseSum[i];
    for (let c = 0; c < C; c++) dx[base + c] = scale * (expShifted[base + c] * inv - offValue);
    dx[base + t] -= scale * onValue;
  }
}
