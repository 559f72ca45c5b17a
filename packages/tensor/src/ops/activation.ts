/**
 * softmax and logSoftmax along a dimension, stable (the row maximum is subtracted first). Each is one
 * fused forward with a closed-form backward:
 *   softmax:    dx = y ⊙ (dy − Σ dy⊙y)
 *   logSoftmax: dx = dy − softmax(x) · Σ dy
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate, isFloating } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor-core.js';
import { contiguous } from './movement.js';

/** [outer, size, inner] of `shape` around `dim` (a 0-d tensor is one lane of one element). */
function lanes(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape.length === 0 ? 1 : shape[dim], inner];
}

function softmaxForward(x: Tensor, dim: number, log: boolean): Tensor {
  if (!isFloating(x.dtype)) throw new DTypeError(`softmax is not implemented for dtype ${x.dtype}`);
  const c = contiguous(x);
  const out = allocate(x.dtype, c.numel());
  const [outer, size, inner] = lanes(c.shape, dim);
  getBackend().softmax(c.storage, c.offset, out, outer, size, inner, log);
  return new Tensor(out, x.shape);
}

/** dx from dy and the saved output y (contiguous, as softmaxForward made it). */
function softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean): Tensor {
  const gd = contiguous(g).data;
  const dx = allocate(g.dtype, y.storage.length);
  const [outer, size, inner] = lanes(y.shape, dim);
  getBackend().softmaxBackward(gd, y.storage, dx, outer, size, inner, log);
  return new Tensor(dx, y.shape);
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
  return record(y, 'Softmax', [x], (g) => [softmaxBackward(g, y, d, false)]);
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
  return record(y, 'LogSoftmax', [x], (g) => [softmaxBackward(g, y, d, true)]);
}
