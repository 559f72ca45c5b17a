/**
 * softmax and log-softmax over one dimension of a contiguous buffer viewed as [outer, size, inner]:
 * each (o, i) is a lane of `size` elements `inner` apart, starting at o·size·inner + i. Stable: the
 * lane maximum is subtracted before exp (a lane of −∞ is shifted by 0, giving NaN as PyTorch does).
 *   forward:      y = exp(x − m) / Σ exp(x − m)          log: y = x − (m + log Σ exp(x − m))
 *   backward:     dx = y ⊙ (dy − Σ dy⊙y)                  log: dx = dy − exp(y) · Σ dy
 */
import type { TypedArray } from '../dtype.js';

/** y = softmax(x) (or log-softmax when `log`) along the middle axis of [outer, size, inner]. */
export function softmax(
  x: TypedArray,
  xOffset: number,
  out: TypedArray,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
): void {
  const base = xOffset;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * size * inner + i;
      let max = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < size; r++) {
        const v = x[base + start + r * inner];
        if (v > max || Number.isNaN(v)) max = v;
      }
      if (max === Number.NEGATIVE_INFINITY) max = 0;
      let total = 0;
      for (let r = 0; r < size; r++) {
        const e = Math.exp(x[base + start + r * inner] - max);
        total += e;
        if (!log) out[start + r * inner] = e;
      }
      if (log) {
        const lse = Math.log(total) + max;
        for (let r = 0; r < size; r++) out[start + r * inner] = x[base + start + r * inner] - lse;
      } else {
        const inv = 1 / total;
        for (let r = 0; r < size; r++) out[start + r * inner] *= inv;
      }
    }
  }
}

/** dx from dy and the saved output y of `softmax` (same layout, all contiguous from 0). */
export function softmaxBackward(
  dy: TypedArray,
  y: TypedArray,
  dx: TypedArray,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * size * inner + i;
      if (log) {
        let total = 0;
        for (let r = 0; r < size; r++) total += dy[start + r * inner];
        for (let r = 0; r < size; r++) {
          const k = start + r * inner;
          dx[k] = dy[k] - Math.exp(y[k]) * total;
        }
      } else {
        let dot = 0;
        for (let r = 0; r < size; r++) dot += dy[start + r * inner] * y[start + r * inner];
        for (let r = 0; r < size; r++) {
          const k = start + r * inner;
          dx[k] = y[k] * (dy[k] - dot);
        }
      }
    }
  }
}
