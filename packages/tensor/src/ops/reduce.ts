/**
 * Reductions over `dim` (a number, a list, or every dimension) with `keepdim`. One kernel reduces one
 * dimension of a contiguous buffer; several dimensions are reduced one after another.
 * Composite reductions (mean, var, logsumexp) are built from sum/amax and need no backward.
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { replayEagerly } from '../capture-tape.js';
import { allocate, type DType, isFloating } from '../dtype.js';
import { IndexError } from '../errors.js';
import { normalizeDim, normalizeDims, numel, type Shape } from '../shape.js';
import { Tensor } from '../tensor-core.js';
import { add, cast, compare, div, exp, log, mul, sqrt, sub } from './elementwise.js';
import { contiguous, expand, reshape } from './movement.js';
import { named } from './record.js';
import { contiguousValues, reduceOne, reshapeDetached } from './sum-to.js';

/** The dimensions to reduce: one, several, or (undefined) all of them. */
type Dims = number | readonly number[] | undefined;

function dropDims(shape: Shape, dims: readonly number[]): number[] {
  return shape.filter((_, i) => !dims.includes(i));
}

export function sum(x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  const dims = normalizeDims(dim, x.ndim);
  const dtype: DType = x.dtype;
  let values = x;
  if (x.ndim === 0) values = reshape(x, [1]);
  for (const d of dims) values = reduceOne('sum', values, d, false, dtype).values.detach();
  if (x.ndim === 0 && dims.length === 0) values = contiguous(x).detach();
  const outShape = keepdim ? (x.ndim === 0 ? [] : values.shape) : dropDims(x.shape, dims);
  const out = reshapeDetached(values, outShape);
  return record(out, 'Sum', [x], (g) => {
    const kept = keepdim ? g : reshapeDetached(g, keepShape(x.shape, dims));
    return [contiguous(expand(kept, x.shape))];
  });
}

function keepShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

export function mean(x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  if (!isFloating(x.dtype)) {
    throw new TypeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype}`,
    );
  }
  const dims = normalizeDims(dim, x.ndim);
  let count = 1;
  for (const d of dims) count *= x.shape[d];
  // Its own backward (rather than sum's then div's) so that it prints as MeanBackward0, as in PyTorch.
  const out = div(sum(x.detach(), dims, keepdim), count);
  return record(out, 'Mean', [x], (g) => {
    const kept = keepdim ? g : reshapeDetached(g, keepShape(x.shape, dims));
    return [div(expand(kept, x.shape), count)];
  });
}

/** Largest (or smallest) elements over `dim`; the gradient goes to the extreme elements (split at ties). */
function extremeValues(op: 'max' | 'min', x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  if (x.numel() === 0) {
    throw new RangeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0.`);
  }
  const dims = normalizeDims(dim, x.ndim);
  let values = x.ndim === 0 ? reshape(x.detach(), [1]) : x.detach();
  for (const d of dims) values = reduceOne(op, values, d, false).values;
  const kept = reshapeDetached(values, keepShape(x.shape, dims));
  const out = reshapeDetached(kept, keepdim ? kept.shape : dropDims(x.shape, dims));
  return record(out, op === 'max' ? 'Amax' : 'Amin', [x], (g) => {
    const gk = reshapeDetached(g, kept.shape);
    const mask = cast(compare('eq', expand(kept, x.shape), x), g.dtype);
    const count = sum(mask, dims, true);
    return [mul(mask, div(gk, count))];
  });
}

export function amax(x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  return extremeValues('max', x, dim, keepdim);
}

export function amin(x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  return extremeValues('min', x, dim, keepdim);
}

/** `max(dim)` / `min(dim)`: values and the index of the first extreme along one dimension. */
export function maxDim(
  x: Tensor,
  dim: number,
  keepdim: boolean,
  op: 'max' | 'min',
): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new IndexError(`${op}(): Expected reduction dim ${dim} to have non-zero size.`);
  }
  const base = x.ndim === 0 ? reshape(x.detach(), [1]) : x.detach();
  const r = reduceOne(op, base, d, true);
  const outShape = x.ndim === 0 ? [] : keepdim ? r.values.shape : dropDims(x.shape, [d]);
  const values = reshapeDetached(r.values, outShape);
  const indices = reshapeDetached(r.indices as Tensor, outShape);
  const recorded = record(values, op === 'max' ? 'Max' : 'Min', [x], (g) => {
    // Scatter the gradient to the chosen index along `dim`.
    const grad = allocate(g.dtype, x.numel());
    const gd = reshapeDetached(g, r.values.shape).data;
    const idx = (r.indices as Tensor).data;
    const shape = base.shape;
    let inner = 1;
    for (let k = d + 1; k < shape.length; k++) inner *= shape[k];
    const size = shape[d];
    const outer = inner === 0 ? 0 : gd.length / inner;
    getBackend().scatterAddDim(gd, idx, outer, size, inner, grad);
    return [new Tensor(grad, x.shape)];
  });
  return { values: recorded, indices };
}

/** Index of the largest (smallest) element, over `dim` or over the flattened tensor. */
export function argExtreme(
  x: Tensor,
  dim: number | undefined,
  keepdim: boolean,
  op: 'max' | 'min',
): Tensor {
  if (dim === undefined) {
    const flat = reshape(x.detach(), [x.numel()]);
    const r = maxDim(flat, 0, false, op).indices;
    return keepdim
      ? reshapeDetached(
          r,
          x.shape.map(() => 1),
        )
      : r;
  }
  return maxDim(x.detach(), dim, keepdim, op).indices;
}

export function variance(
  x: Tensor,
  dim: Dims,
  options: { keepdim?: boolean; correction?: number; unbiased?: boolean },
): Tensor {
  const dims = normalizeDims(dim, x.ndim);
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  let count = 1;
  for (const d of dims) count *= x.shape[d];
  const centered = sub(x, mean(x, dims, true));
  const out = div(
    sum(mul(centered, centered), dims, options.keepdim ?? false),
    Math.max(0, count - correction),
  );
  return named(out, 'Var');
}

/**
 * sqrt(var). NOTE: as in PyTorch, the gradient is 0 (not 0/0 = NaN) where the std is 0, e.g. a
 * constant row.
 */
export function std(
  x: Tensor,
  dim: Dims,
  options: { keepdim?: boolean; correction?: number; unbiased?: boolean },
): Tensor {
  const v = variance(x, dim, options);
  const s = sqrt(v.detach());
  return record(s, 'Std', [v], (g) => {
    const sd = s.data;
    const gd = contiguousValues(g).data;
    const r = allocate(g.dtype, gd.length);
    getBackend().unaryBackward('sqrtOrZero', gd, sd, r, r.length);
    return [new Tensor(r, s.shape)];
  });
}

/** log Σ exp(x) over `dim`, stable: the max is subtracted first (as a constant) and added back. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim: boolean): Tensor {
  const dims = normalizeDims(dim, x.ndim);
  const m = amax(x.detach(), dims, true);
  // An all -inf slice would give (-inf) - (-inf) = NaN; shift by 0 there instead.
  const md = m.data;
  const finite = allocate(m.dtype, md.length);
  // A JavaScript loop over values: re-run on every replay of a captured step.
  replayEagerly(() => {
    for (let i = 0; i < md.length; i++) finite[i] = Number.isFinite(md[i]) ? md[i] : 0;
  });
  const shift = new Tensor(finite, m.shape);
  const s = log(sum(exp(sub(x, shift)), dims, true));
  const out = add(s, shift);
  return named(keepdim ? out : reshape(out, dropDims(x.shape, dims)), 'Logsumexp');
}

export { numel };
