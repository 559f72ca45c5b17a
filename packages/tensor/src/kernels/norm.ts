/**
 * Layer normalisation over the rows of a contiguous buffer (PyTorch's native_layer_norm and its
 * backward), one pass per row instead of the ten elementwise ops and two reductions of the composed
 * form. Statistics and sums in float64, sequential in column order (the wasm kernel does the same
 * arithmetic in the same order: both backends give the same bits).
 */
import type { TypedArray } from '../dtype.js';

/**
 * y = (x − mean)·rstd·w + b per row of `n` elements (`rows` rows, all arrays from index 0); the
 * biased variance, rstd = 1/√(var + eps). Saves each row's mean and rstd (x's dtype, as PyTorch).
 * `w`/`b` null: no scale / no shift.
 */
export function layerNorm(
  x: TypedArray,
  rows: number,
  n: number,
  w: TypedArray | null,
  b: TypedArray | null,
  eps: number,
  out: TypedArray,
  mean: TypedArray,
  rstd: TypedArray,
): void {
  for (let r = 0; r < rows; r++) {
    const at = r * n;
    let sum = 0;
    for (let c = 0; c < n; c++) sum += x[at + c];
    const m = sum / n;
    let sq = 0;
    for (let c = 0; c < n; c++) {
      const d = x[at + c] - m;
      sq += d * d;
    }
    const rs = 1 / Math.sqrt(sq / n + eps);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < n; c++) {
      let y = (x[at + c] - m) * rs;
      if (w !== null) y *= w[c];
      if (b !== null) y += b[c];
      out[at + c] = y;
    }
  }
}

/**
 * The backward of `layerNorm` from the saved mean and rstd (PyTorch's formulas): per row
 * ds = Σ dy·w·x, db = Σ dy·w, then dx = rstd·dy·w + β·x + γ with β = (db·mean − ds)·rstd³/n and
 * γ = −β·mean − db·rstd/n; dw = Σ_rows dy·(x − mean)·rstd, dbias = Σ_rows dy. Any output may be
 * null (not needed); dw and dbias are overwritten, not accumulated.
 */
export function layerNormBackward(
  dy: TypedArray,
  x: TypedArray,
  mean: TypedArray,
  rstd: TypedArray,
  w: TypedArray | null,
  rows: number,
  n: number,
  dx: TypedArray | null,
  dw: TypedArray | null,
  dbias: TypedArray | null,
): void {
  if (dx !== null) {
    for (let r = 0; r < rows; r++) {
      const at = r * n;
      const m = mean[r];
      const a = rstd[r];
      let ds = 0;
      let db = 0;
      for (let c = 0; c < n; c++) {
        const g = w === null ? dy[at + c] : dy[at + c] * w[c];
        ds += g * x[at + c];
        db += g;
      }
      const beta = ((db * m - ds) * a * a * a) / n;
      const gamma = -beta * m - (db * a) / n;
      for (let c = 0; c < n; c++) {
        const g = w === null ? dy[at + c] : dy[at + c] * w[c];
        dx[at + c] = a * g + beta * x[at + c] + gamma;
      }
    }
  }
  if (dw === null && dbias === null) return;
  for (let c = 0; c < n; c++) {
    let sw = 0;
    let sb = 0;
    for (let r = 0; r < rows; r++) {
      const g = dy[r * n + c];
      sw += g * (x[r * n + c] - mean[r]) * rstd[r];
      sb += g;
    }
    if (dw !== null) dw[c] = sw;
    if (dbias !== null) dbias[c] = sb;
  }
}
