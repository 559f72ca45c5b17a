/**
 * Movement ops: views that share storage (view, transpose, permute, expand, slice, select,
 * unsqueeze, squeeze) and copies (contiguous, cat, stack). Backward of a view is the inverse movement.
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate } from '../dtype.js';
import { IndexError, ShapeError } from '../errors.js';
import {
  contiguousStrides,
  formatShape,
  inferShape,
  normalizeDim,
  numel,
  type Shape,
  shapesEqual,
} from '../shape.js';
import { Tensor } from '../tensor-core.js';
import { cast } from './elementwise.js';
import { sumTo } from './sum-to.js';

export const dimIndex = normalizeDim;

/** Accepts `f(2, 3)` and `f([2, 3])`. */
export function shapeArgs(args: number[] | [readonly number[]]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}

function viewOf(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  return new Tensor(x.storage, shape, { strides, offset });
}

/** A contiguous copy (`force` copies even when `x` is already contiguous). */
export function contiguous(x: Tensor, force = false): Tensor {
  if (!force && x.isContiguous()) return x;
  const out = allocate(x.dtype, x.numel());
  getBackend().gatherStrided(x.storage, x.offset, x.strides, x.shape, out);
  return record(new Tensor(out, x.shape), 'Clone', [x], (g) => [g]);
}

export function view(x: Tensor, requested: readonly number[]): Tensor {
  const shape = inferShape(requested, x.numel());
  const strides = x.isContiguous() ? contiguousStrides(shape) : viewStrides(x, shape);
  if (strides === null) {
    throw new ShapeError(
      `view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.`,
    );
  }
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'View', [x], (g) => [reshape(g, x.shape)]);
}

/**
 * The strides that view a non-contiguous `x` as `shape` without a copy, or null when there are none
 * (PyTorch's `computeStride`): each run of `x`'s dims that is contiguous within itself (a "chunk")
 * must map onto whole dims of `shape`. So `x.slice(-1, 0, C).view(B, T, nh, hs)` (a `split` slice)
 * is a view, as in PyTorch.
 */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  const oldShape = x.shape;
  const oldStrides = x.strides;
  if (x.numel() === 0 || oldShape.length === 0) return contiguousStrides(shape);
  const strides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        strides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? strides : null;
}

/** Like `view`, but copies when the tensor is not contiguous. */
export function reshape(x: Tensor, requested: readonly number[]): Tensor {
  if (x.isContiguous()) return view(x, requested);
  // NOTE: a non-contiguous input is copied even where `view` could share it (PyTorch returns the
  // view then): code written against the copy keeps working.
  return view(contiguous(x), requested);
}

export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim);
  const e = normalizeDim(endDim, x.ndim);
  if (s > e)
    throw new IndexError('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new ShapeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const order = dims.map((d) => normalizeDim(d, x.ndim));
  if (new Set(order).size !== order.length)
    throw new IndexError('permute(): duplicate dims are not allowed.');
  const out = viewOf(
    x,
    order.map((d) => x.shape[d]),
    order.map((d) => x.strides[d]),
    x.offset,
  );
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => {
    inverse[d] = i;
  });
  return record(out, 'Permute', [x], (g) => [permute(g, inverse)]);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) return x;
  const a = normalizeDim(dim0, x.ndim);
  const b = normalizeDim(dim1, x.ndim);
  const shape = [...x.shape];
  const strides = [...x.strides];
  [shape[a], shape[b]] = [shape[b], shape[a]];
  [strides[a], strides[b]] = [strides[b], strides[a]];
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'Transpose', [x], (g) => [transpose(g, a, b)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  const strides = [...x.strides];
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'Unsqueeze', [x], (g) => [reshape(g, x.shape)]);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normalizeDim(d, x.ndim));
  const keep = x.shape.map((s, i) => !(s === 1 && dims.includes(i)));
  const out = viewOf(
    x,
    x.shape.filter((_, i) => keep[i]),
    x.strides.filter((_, i) => keep[i]),
    x.offset,
  );
  return record(out, 'Squeeze', [x], (g) => [reshape(g, x.shape)]);
}

/** Broadcasts size-1 dimensions to `requested` without copying (stride 0); -1 keeps a size. */
export function expand(x: Tensor, requested: readonly number[]): Tensor {
  if (requested.length < x.ndim) {
    throw new ShapeError(
      `expand: the number of sizes provided (${requested.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = requested.length - x.ndim;
  const shape = new Array<number>(requested.length);
  const strides = new Array<number>(requested.length);
  for (let i = 0; i < requested.length; i++) {
    const want = requested[i];
    if (i < lead) {
      if (want < 0)
        throw new ShapeError(`expand: -1 is not allowed in a leading, non-existing dimension ${i}`);
      shape[i] = want;
      strides[i] = 0;
      continue;
    }
    const have = x.shape[i - lead];
    const size = want === -1 ? have : want;
    if (have !== size && have !== 1) {
      throw new ShapeError(
        `The expanded size of the tensor (${size}) must match the existing size (${have}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(requested)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
    shape[i] = size;
    strides[i] = have === size ? x.strides[i - lead] : 0;
  }
  if (shapesEqual(shape, x.shape)) return x;
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'Expand', [x], (g) => [sumTo(g, x.shape)]);
}

/** Python slicing along one dimension: start/end may be negative or null; step ≥ 1. A view. */
export function slice(
  x: Tensor,
  dim: number,
  start: number | null,
  end: number | null,
  step: number,
): Tensor {
  return sliceOf(x, dim, start, end, step, null);
}

/**
 * The pieces of one `split` share their input's gradient buffer: the first piece's backward
 * allocates it (zeros), and each later piece writes its part into it in place while it is still
 * the input's pending gradient — one buffer, no sum (pieces are disjoint), instead of a zero-filled
 * buffer per piece and their sum.
 */
interface SplitGroup {
  buffer: Tensor | null;
}

function sliceOf(
  x: Tensor,
  dim: number,
  start: number | null,
  end: number | null,
  step: number,
  group: SplitGroup | null,
): Tensor {
  const d = normalizeDim(dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0)
    throw new RangeError(`slice step must be positive, got ${step}`);
  const size = x.shape[d];
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = start === null ? 0 : clampIndex(start);
  const e = end === null ? size : clampIndex(end);
  const length = e > s ? Math.ceil((e - s) / step) : 0;
  const shape = [...x.shape];
  shape[d] = length;
  const strides = [...x.strides];
  strides[d] = x.strides[d] * step;
  const out = viewOf(x, shape, strides, x.offset + s * x.strides[d]);
  return record(out, 'Slice', [x], (g, pending) => {
    const shared = group?.buffer ?? null;
    const inPlace = shared !== null && shared.dtype === g.dtype && pending?.(x) === shared;
    const full = inPlace ? shared : new Tensor(allocate(g.dtype, x.numel()), x.shape);
    if (group !== null) group.buffer = full;
    const grad = full.storage;
    const target = viewOf(
      full,
      shape,
      contiguousStrides(x.shape).map((st, i) => (i === d ? st * step : st)),
      s * contiguousStrides(x.shape)[d],
    );
    getBackend().scatterStrided(contiguous(g).data, grad, target.offset, target.strides, shape);
    return [full];
  });
}

/** `x[i]` along `dim`: drops the dimension. A view; its backward writes `g` into row `i` of zeros. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(
      `select(): index ${index} out of range for tensor of size ${formatShape(x.shape)} at dimension ${d}`,
    );
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.filter((_, k) => k !== d);
  const out = viewOf(
    x,
    shape,
    x.strides.filter((_, k) => k !== d),
    x.offset + i * x.strides[d],
  );
  return record(out, 'Select', [x], (g) => {
    const grad = allocate(g.dtype, x.numel());
    const st = contiguousStrides(x.shape);
    getBackend().scatterStrided(
      contiguous(g).data,
      grad,
      i * st[d],
      st.filter((_, k) => k !== d),
      shape,
    );
    return [new Tensor(grad, x.shape)];
  });
}

export function split(x: Tensor, splitSize: number | readonly number[], dim: number): Tensor[] {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0)
      throw new RangeError(`split_size must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
  } else {
    sizes = [...splitSize];
    const total = sizes.reduce((p, q) => p + q, 0);
    if (total !== size) {
      throw new ShapeError(
        `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${formatShape(sizes)}`,
      );
    }
  }
  const parts: Tensor[] = [];
  const group: SplitGroup = { buffer: null };
  let start = 0;
  for (const s of sizes) {
    parts.push(sliceOf(x, d, start, start + s, 1, group));
    start += s;
  }
  return parts;
}

export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  const d = normalizeDim(dim, x.ndim);
  return split(x, Math.ceil(x.shape[d] / chunks), d);
}

/**
 * Joins tensors along an existing dimension (a copy).
 *
 * @example
 * ```ts
 * cat([tensor([[1, 2]]), tensor([[3, 4]])], 0).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0)
    throw new RangeError('torch.cat(): expected a non-empty list of Tensors');
  return join(tensors, normalizeDim(dim, tensors[0].ndim), 'Cat');
}

/** cat's body; `name` is the grad_fn's (stack joins unsqueezed tensors and prints StackBackward0). */
function join(tensors: readonly Tensor[], d: number, name: string): Tensor {
  const first = tensors[0];
  let total = 0;
  tensors.forEach((t, k) => {
    if (t.ndim !== first.ndim) {
      throw new ShapeError(
        `Tensors must have same number of dimensions: got ${first.ndim} and ${t.ndim}`,
      );
    }
    for (let i = 0; i < t.ndim; i++) {
      if (i !== d && t.shape[i] !== first.shape[i]) {
        throw new ShapeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[i]} but got size ${t.shape[i]} for tensor number ${k} in the list.`,
        );
      }
    }
    total += t.shape[d];
  });
  const shape = [...first.shape];
  shape[d] = total;
  const dtype = tensors.reduce(
    (acc, t) =>
      acc === 'float64' || t.dtype === 'float64'
        ? 'float64'
        : acc === 'float32' || t.dtype === 'float32'
          ? 'float32'
          : 'int32',
    first.dtype,
  );
  const storage = allocate(dtype, numel(shape));
  const out = new Tensor(storage, shape);
  const outStrides = out.strides;
  let start = 0;
  for (const t of tensors) {
    const part = t.dtype === dtype ? t : cast(t, dtype);
    getBackend().scatterStrided(
      contiguous(part).data,
      storage,
      start * outStrides[d],
      outStrides,
      part.shape,
    );
    start += t.shape[d];
  }
  const sizes = tensors.map((t) => t.shape[d]);
  return record(out, name, [...tensors], (g) => split(g, sizes, d).map((p) => contiguous(p)));
}

/**
 * Joins tensors along a new dimension.
 *
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])], 1).tolist(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty TensorList');
  const first = tensors[0];
  for (let k = 1; k < tensors.length; k++) {
    if (!shapesEqual(tensors[k].shape, first.shape)) {
      throw new ShapeError(
        `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(tensors[k].shape)} at entry ${k}`,
      );
    }
  }
  const d = normalizeDim(dim, first.ndim + 1);
  return join(
    tensors.map((t) => unsqueeze(t, d)),
    d,
    'Stack',
  );
}
