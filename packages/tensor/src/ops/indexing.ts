/**
 * Integer indexing: `index` (PyTorch's `x[idx]` with index tensors, including the embedding lookup
 * `C[Xb]` and the pluck `logits[arange(n), ys]`), `indexSelect` and `gather`. Their backward is a
 * scatter-add, fused in one loop (a naive embedding backward is a classic slow path).
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { replayEagerly } from '../capture-tape.js';
import { allocate, isFloating } from '../dtype.js';
import { DTypeError, IndexError, ShapeError } from '../errors.js';
import { broadcastShapes, broadcastStrides, formatShape, normalizeDim, numel } from '../shape.js';
import { Tensor } from '../tensor-core.js';
import { contiguous, transpose } from './movement.js';

function toIndexTensor(index: Tensor | readonly number[], op: string): Tensor {
  if (index instanceof Tensor) {
    if (isFloating(index.dtype)) {
      throw new DTypeError(
        `tensors used as indices must be long, byte or bool tensors (${op} got ${index.dtype}; use int32)`,
      );
    }
    return index;
  }
  for (const v of index) {
    if (!Number.isInteger(v)) throw new DTypeError(`${op}: indices must be integers, got ${v}`);
  }
  return new Tensor(Int32Array.from(index), [index.length]);
}

function checkIndex(i: number, size: number, dim: number): number {
  if (i < -size || i >= size) {
    throw new IndexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
  return i < 0 ? i + size : i;
}

/**
 * Advanced indexing on the leading dimensions. With k index tensors (broadcast together to shape I),
 * the result has shape I ++ x.shape[k:], element [i, rest] = x[idx0[i], …, idx(k-1)[i], rest].
 */
export function index(x: Tensor, indices: readonly (Tensor | readonly number[])[]): Tensor {
  const k = indices.length;
  if (k === 0) return x;
  if (k > x.ndim) {
    throw new IndexError(`too many indices for tensor of dimension ${x.ndim} (got ${k})`);
  }
  const idx = indices.map((t) => toIndexTensor(t, 'index'));
  let ishape: number[] = [...idx[0].shape];
  for (let j = 1; j < k; j++) ishape = broadcastShapes(ishape, idx[j].shape);
  const count = numel(ishape);
  // Flat positions into the leading k dims (in units of x's row of the remaining dims).
  const rest = x.shape.slice(k);
  const rowSize = numel(rest);
  const xc = contiguous(x);
  const rowStrides: number[] = [];
  for (let j = 0; j < k; j++) rowStrides.push(numel(x.shape.slice(j + 1, k)));
  const rows = new Int32Array(count);
  const flats = idx.map(() => allocate('int32', count) as Int32Array);
  // Row offsets are computed (and validated) in JavaScript from the index values: in a captured
  // step they are recomputed, and the indices checked, on every replay.
  replayEagerly(() => {
    rows.fill(0);
    for (let j = 0; j < k; j++) {
      const t = idx[j];
      const flat = flats[j];
      const strides = broadcastStrides(t.shape, t.strides, ishape);
      getBackend().gatherStrided(t.storage, t.offset, strides, ishape, flat);
      const size = x.shape[j];
      for (let p = 0; p < count; p++) rows[p] += checkIndex(flat[p], size, j) * rowStrides[j];
    }
  });
  const out = allocate(x.dtype, count * rowSize);
  getBackend().gatherRows(xc.storage, xc.offset, rows, rowSize, out);
  const result = new Tensor(out, [...ishape, ...rest]);
  return record(result, 'Index', [x], (g) => {
    // Scatter-add each gathered row back into its source row (rows can repeat: accumulate).
    const grad = allocate(g.dtype, x.numel());
    getBackend().scatterAddRows(contiguous(g).data, rows, rowSize, grad);
    return [new Tensor(grad, x.shape)];
  });
}

/** Picks entries `index` (1-d) along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const idx = toIndexTensor(index, 'index_select');
  if (idx.ndim > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  const moved = d === 0 ? x : transpose(x, 0, d);
  const picked = indexLeading(moved, idx);
  return d === 0 ? picked : transpose(picked, 0, d);
}

function indexLeading(x: Tensor, idx: Tensor): Tensor {
  return index(x, [idx]);
}

/** out[i][j] = x[index[i][j]][j] for dim 0 (and likewise for other dims); `index` has x's rank. */
export function gather(x: Tensor, dim: number, indexTensor: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const idx = toIndexTensor(indexTensor, 'gather');
  if (idx.ndim !== x.ndim) {
    throw new ShapeError('Index tensor must have the same number of dimensions as input tensor');
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && idx.shape[i] > x.shape[i]) {
      throw new ShapeError(
        `Size does not match at dimension ${i} expected index ${formatShape(idx.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
    }
  }
  const shape = idx.shape;
  const n = numel(shape);
  const ic = contiguous(idx).data;
  const xc = contiguous(x);
  const xStrides = xc.strides;
  const ndim = shape.length;
  // Flat positions into x's contiguous layout; the backward scatters to the same positions.
  // Computed in JavaScript from the index values: recomputed on every replay of a captured step.
  const positions = new Int32Array(n);
  replayEagerly(() => {
    const counter = new Array<number>(ndim).fill(0);
    for (let p = 0; p < n; p++) {
      let flat = 0;
      for (let i = 0; i < ndim; i++) {
        flat += (i === d ? checkIndex(ic[p], x.shape[d], d) : counter[i]) * xStrides[i];
      }
      positions[p] = flat;
      for (let i = ndim - 1; i >= 0; i--) {
        counter[i]++;
        if (counter[i] < shape[i]) break;
        counter[i] = 0;
      }
    }
  });
  const out = allocate(x.dtype, n);
  getBackend().gatherRows(xc.storage, xc.offset, positions, 1, out);
  const result = new Tensor(out, shape);
  return record(result, 'Gather', [x], (g) => {
    const grad = allocate(g.dtype, x.numel());
    getBackend().scatterAddRows(contiguous(g).data, positions, 1, grad);
    return [new Tensor(grad, x.shape)];
  });
}
