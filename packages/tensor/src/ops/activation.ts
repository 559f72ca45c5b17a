/**
 * softmax and logSoftmax along a dimension, stable (the row maximum is subtracted first). Each is one
 * fused forward with a closed-form backward:
 *   softmax:    dx = y ⊙ (dy − Σ dy⊙y)
 *   logSoftmax: dx = dy − softmax(x) · Σ dy
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate, isFloating } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
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

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `F.layer_norm`):
 * y = (x − mean)/√(var + eps)·weight + bias, mean and biased variance per sample. One fused kernel
 * forward and one backward (PyTorch's native_layer_norm), with gradients for input, weight and bias.
 *
 * NOTE: statistics and sums are float64 (PyTorch: float32 for float32 input), so float32 results
 * are within float32 tolerance of PyTorch's; both backends give the same bits.
 *
 * @example
 * ```ts
 * layerNorm(tensor([[1, 2, 3]], { dtype: 'float64' }), [3]).tolist()[0][0]; // ≈ -1.2247356859
 * ```
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  if (!isFloating(x.dtype))
    throw new DTypeError(`layer_norm is not implemented for dtype ${x.dtype}`);
  const k = normalizedShape.length;
  const trailing = x.shape.slice(x.ndim - k);
  if (k === 0 || x.ndim < k || trailing.some((size, i) => size !== normalizedShape[i])) {
    const expected = normalizedShape.join(', ');
    throw new ShapeError(
      `Given normalized_shape=[${expected}], expected input with shape [*, ${expected}], but got input of size[${x.shape.join(', ')}]`,
    );
  }
  const n = normalizedShape.reduce((a, b) => a * b, 1);
  for (const [name, p] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (p === null) continue;
    if (p.numel() !== n || p.ndim !== k || p.shape.some((s, i) => s !== normalizedShape[i])) {
      throw new ShapeError(
        `layer_norm: ${name} must have shape [${normalizedShape.join(', ')}], got [${p.shape.join(', ')}]`,
      );
    }
    if (p.dtype !== x.dtype) {
      throw new DTypeError(`layer_norm: ${name} is ${p.dtype} but the input is ${x.dtype}`);
    }
  }
  const c = contiguous(x);
  const rows = n === 0 ? 0 : c.numel() / n;
  const out = allocate(x.dtype, c.numel());
  const mean = allocate(x.dtype, rows);
  const rstd = allocate(x.dtype, rows);
  const wd = weight === null ? null : weight.data;
  const bd = bias === null ? null : bias.data;
  getBackend().layerNorm(c.data, rows, n, wd, bd, eps, out, mean, rstd);
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return record(new Tensor(out, x.shape), 'NativeLayerNorm', inputs, (g) => {
    const dx = x.requiresGrad ? allocate(x.dtype, c.numel()) : null;
    const dw = weight?.requiresGrad ? allocate(x.dtype, n) : null;
    const db = bias?.requiresGrad ? allocate(x.dtype, n) : null;
    getBackend().layerNormBackward(contiguous(g).data, c.data, mean, rstd, wd, rows, n, dx, dw, db);
    const grads: (Tensor | null)[] = [dx && new Tensor(dx, x.shape)];
    if (weight !== null) grads.push(dw && new Tensor(dw, weight.shape));
    if (bias !== null) grads.push(db && new Tensor(db, bias.shape));
    return grads;
  });
}
