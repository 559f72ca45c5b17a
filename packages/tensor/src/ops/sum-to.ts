/**
 * The graph-free helpers every op family shares, below all of them: `sumTo` (the adjoint of
 * broadcasting, which the backward of each broadcasting op needs), `reduceOne` (one dimension
 * through the reduce kernel) and `contiguousValues`.
 *
 * NOTE: `sumTo` records no graph. It runs only inside backward closures, which `runBackward` calls
 * under `noGrad` (so a recording `sum` would record nothing there either); keeping it below the
 * ops is what lets `elementwise` and `movement` (expand) use it without importing `reduce`, which
 * imports them.
 */
import { getBackend } from '../backend.js';
import { allocate, type DType } from '../dtype.js';
import type { ReduceOp } from '../kernels/backend.js';
import { type Shape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor-core.js';

/** `x` if contiguous, else a contiguous copy, unrecorded: for reading values in a forward or backward. */
export function contiguousValues(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const out = allocate(x.dtype, x.numel());
  getBackend().gatherStrided(x.storage, x.offset, x.strides, x.shape, out);
  return new Tensor(out, x.shape);
}

/** Reduces one dimension of `x`; returns the values (keepdim shape) and, if asked, the indices. */
export function reduceOne(
  op: ReduceOp,
  x: Tensor,
  dim: number,
  wantIndices: boolean,
  dtype: DType = x.dtype,
): { values: Tensor; indices: Tensor | null } {
  const c = contiguousValues(x);
  const shape = [...c.shape];
  const size = shape[dim];
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  const outShape = [...shape];
  outShape[dim] = 1;
  const out = allocate(dtype, outer * inner);
  const indices = wantIndices ? new Int32Array(outer * inner) : null;
  const storage = c.offset === 0 ? c.storage : c.storage.subarray(c.offset);
  getBackend().reduceDim(op, storage, outer, size, inner, out, indices);
  return {
    values: new Tensor(out, outShape),
    indices: indices ? new Tensor(indices, outShape) : null,
  };
}

/** The same values seen with another shape (a contiguous copy first if needed), unrecorded. */
export function reshapeDetached(x: Tensor, shape: Shape): Tensor {
  const c = contiguousValues(x);
  return new Tensor(c.storage, shape, { offset: c.offset });
}

/**
 * Sums `grad` down to `shape` (the inverse of broadcasting `shape` up to `grad.shape`): leading
 * dimensions are summed away and size-1 dimensions summed into one, so a `[2, 3]` gradient of ones
 * becomes `[[2, 2, 2]]` for an input of shape `[1, 3]`.
 */
export function sumTo(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  let summed = grad;
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) {
      summed = reduceOne('sum', summed, i, false).values;
    }
  }
  return reshapeDetached(summed, shape);
}
