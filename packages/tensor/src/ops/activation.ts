/**
 * softmax and logSoftmax along a dimension, stable (the row maximum is subtracted first). Each is one
 * fused forward with a closed-form backward:
 *   softmax:    dx = y ⊙ (dy − Σ dy⊙y)
 *   logSoftmax: dx = dy − softmax(x) · Σ dy
 */
import { allocate, isFloating } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { record } from './record.js';

/**
 * Calls `lane(start, size, inner)` for every 1-d lane along `dim` of a contiguous tensor (viewed as
 * [outer, size, inner]): the lane's elements are at start + r·inner for r < size. One call per lane,
 * so the per-element loops stay inside each op.
 */
function forEachLane(
  x: Tensor,
  dim: number,
  lane: (start: number, size: number, inner: number) => void,
): void {
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= x.shape[d];
  let inner = 1;
  for (let d = dim + 1; d < x.ndim; d++) inner *= x.shape[d];
  const size = x.ndim === 0 ? 1 : x.shape[dim];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) lane(o * size * inner + i, size, inner);
  }
}

function softmaxForward(x: Tensor, dim: number, logOutput: boolean): Tensor {
  if (!isFloating(x.dtype)) throw new DTypeError(`softmax is not implemented for dtype ${x.dtype}`);
  const c = x.contiguous();
  const src = c.storage;
  const base = c.offset;
  const out = allocate(x.dtype, c.numel());
  forEachLane(c, dim, (start, size, inner) => {
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < size; r++) {
      const v = src[base + start + r * inner];
      if (v > max || Number.isNaN(v)) max = v;
    }
    if (max === Number.NEGATIVE_INFINITY) max = 0;
    let total = 0;
    for (let r = 0; r < size; r++) {
      const e = Math.exp(src[base + start + r * inner] - max);
      total += e;
      if (!logOutput) out[start + r * inner] = e;
    }
    if (logOutput) {
      const lse = Math.log(total) + max;
      for (let r = 0; r < size; r++) out[start + r * inner] = src[base + start + r * inner] - lse;
    } else {
      const inv = 1 / total;
      for (let r = 0; r < size; r++) out[start + r * inner] *= inv;
    }
  });
  return new Tensor(out, x.shape);
}

/**
 * exp(x) / Σ exp(x) along `dim`, stable for large inputs.
 *
 * @example
 * ```ts
 * softmax(tensor([[0, 0]], { dtype: 'float32' }), 1).tolist(); // [[0.5, 0.5]]
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const y = softmaxForward(x, d, false);
  return record(y, 'Softmax', [x], (g) => {
    const gd = g.contiguous().data;
    const yd = y.storage;
    const dx = allocate(g.dtype, yd.length);
    forEachLane(y, d, (start, size, inner) => {
      let dot = 0;
      for (let r = 0; r < size; r++) dot += gd[start + r * inner] * yd[start + r * inner];
      for (let r = 0; r < size; r++) {
        const k = start + r * inner;
        dx[k] = yd[k] * (gd[k] - dot);
      }
    });
    return [new Tensor(dx, x.shape)];
  });
}

/**
 * log(softmax(x)) along `dim` in one stable pass (x − logsumexp(x)).
 *
 * @example
 * ```ts
 * logSoftmax(tensor([[1000, 0]], { dtype: 'float64' }), 1).tolist(); // [[0, -1000]]
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const y = softmaxForward(x, d, true);
  return record(y, 'LogSoftmax', [x], (g) => {
    const gd = g.contiguous().data;
    const yd = y.storage;
    const dx = allocate(g.dtype, yd.length);
    forEachLane(y, d, (start, size, inner) => {
      let total = 0;
      for (let r = 0; r < size; r++) total += gd[start + r * inner];
      for (let r = 0; r < size; r++) {
        const k = start + r * inner;
        dx[k] = gd[k] - Math.exp(yd[k]) * total;
      }
    });
    return [new Tensor(dx, x.shape)];
  });
}
