/**
 * Masking ops for attention and recurrent models: `tril`, `triu`, `maskedFill`, `where`, `unbind`.
 *
 * Every element loop runs in the backend's kernels (`gatherStrided` to read any view in the output's
 * shape, `maskedFill` to write a value where a 0/1 mask is set, `binaryStrided` to combine), never in
 * this file: a captured step (`captureStep`) replays kernel calls only, so an op that looped in
 * JavaScript here would replay stale values. The triangular masks depend on the shape alone, so they
 * are built once per call as constants.
 *
 * Masks are int32 tensors of 0/1 (what `eq`, `lt`, … return): there is no bool dtype here.
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate, type DType, isFloating, promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import {
  broadcastShapes,
  broadcastStrides,
  contiguousStrides,
  formatShape,
  normalizeDim,
  numel,
  type Shape,
} from '../shape.js';
import { Tensor, type TensorLike } from '../tensor-core.js';
import { asTensor, cast } from './elementwise.js';
import { select } from './movement.js';
import { sumTo } from './sum-to.js';

/** `x`'s elements read in `shape` (x broadcast to it) into a new contiguous array of `dtype`. */
function gatherAs(x: Tensor, shape: Shape, dtype: DType) {
  const out = allocate(dtype, numel(shape));
  getBackend().gatherStrided(
    x.storage,
    x.offset,
    broadcastStrides(x.shape, x.strides, shape),
    shape,
    out,
  );
  return out;
}

/** `x` broadcast to `shape`, with `value` wherever `mask` (broadcast to `shape`) is non-zero. */
function fillWhere(x: Tensor, mask: Tensor, shape: Shape, value: number, dtype = x.dtype): Tensor {
  const values = gatherAs(x, shape, dtype);
  // A contiguous mask broadcast over leading dims only is read in place, repeating every
  // mask.numel() elements (the causal mask over [B, H, T, T]); any other mask is expanded.
  // (Leading size-1 dims of the mask, [1, 1, T, T], broadcast too.)
  let first = 0;
  while (first < mask.ndim && mask.shape[first] === 1) first++;
  const lead = shape.length - mask.ndim;
  const repeats =
    mask.isContiguous() &&
    mask.numel() > 0 &&
    mask.shape.every((size, d) => d < first || size === shape[lead + d]);
  if (repeats) {
    getBackend().maskedFill(values, mask.storage, values.length, value, mask.numel(), mask.offset);
  } else {
    getBackend().maskedFill(values, gatherAs(mask, shape, 'int32'), values.length, value);
  }
  return new Tensor(values, shape);
}

function checkMask(mask: Tensor, op: string, what: string): void {
  if (!(mask instanceof Tensor)) {
    throw new TypeError(`${op}(): ${what} must be a Tensor, got ${typeof mask}`);
  }
  if (mask.dtype !== 'int32') {
    throw new DTypeError(
      `${op} expected ${what} to be a boolean tensor (int32 of 0/1, as eq/lt/… return), but got a tensor with dtype ${mask.dtype}`,
    );
  }
}

// ---- tril / triu ------------------------------------------------------------------------------

/** The 0/1 mask, [rows, cols], of the elements that tril (keep 'lower') or triu zeroes. */
function triangleMask(rows: number, cols: number, diagonal: number, keep: 'lower' | 'upper') {
  const m = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      m[i * cols + j] = (keep === 'lower' ? j - i > diagonal : j - i < diagonal) ? 1 : 0;
    }
  }
  return new Tensor(m, [rows, cols]);
}

function triangle(x: Tensor, diagonal: number, keep: 'lower' | 'upper'): Tensor {
  const op = keep === 'lower' ? 'tril' : 'triu';
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: input tensor must have at least 2 dimensions, got shape ${formatShape(x.shape)}`,
    );
  }
  if (!Number.isInteger(diagonal)) {
    throw new TypeError(`${op}(): diagonal must be an integer, got ${diagonal}`);
  }
  const [rows, cols] = x.shape.slice(-2);
  const mask = triangleMask(rows, cols, diagonal, keep);
  const out = fillWhere(x, mask, x.shape, 0);
  // The adjoint of zeroing a fixed set of elements is zeroing the same elements of the gradient.
  return record(out, keep === 'lower' ? 'Tril' : 'Triu', [x], (g) => [triangle(g, diagonal, keep)]);
}

/**
 * The lower triangle of the last two dimensions (elements with column − row ≤ `diagonal`), the rest
 * zero; batched over leading dimensions. PyTorch's `torch.tril`.
 *
 * @example
 * ```ts
 * tril(ones([3, 3])).tolist(); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * tril(ones([2, 3]), 1).tolist(); // [[1, 1, 0], [1, 1, 1]]
 * ```
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, 'lower');
}

/**
 * The upper triangle of the last two dimensions (column − row ≥ `diagonal`), the rest zero.
 * PyTorch's `torch.triu`.
 *
 * @example
 * ```ts
 * triu(ones([3, 3]), 1).tolist(); // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 * ```
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, 'upper');
}

// ---- maskedFill / where -----------------------------------------------------------------------

/**
 * `x` with `value` wherever `mask` is set (PyTorch's out-of-place `masked_fill`): `x` and `mask`
 * broadcast together. The gradient flows to `x` where the mask is clear, and is zero where it is set.
 * The attention mask: `att.maskedFill(tril.eq(0), -Infinity)`.
 *
 * NOTE: `mask` is an int32 tensor of 0/1 (PyTorch: bool); a float mask is refused. `value` is a
 * number (PyTorch also takes a 0-d tensor); into an int tensor it is truncated, as in PyTorch, and
 * ±Infinity, NaN or a value beyond int32 throws a `RangeError` (PyTorch's "without overflow" error).
 *
 * @example
 * ```ts
 * maskedFill(zeros([2, 2]), tensor([[0, 1], [0, 0]]), -Infinity).tolist(); // [[0, -Infinity], [0, 0]]
 * ```
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkMask(mask, 'masked_fill', 'mask');
  if (typeof value !== 'number') {
    throw new TypeError(
      `masked_fill(): value must be a number, got ${(value as unknown) instanceof Tensor ? 'a Tensor (pass .item())' : typeof value}`,
    );
  }
  const shape = broadcastShapes(x.shape, mask.shape);
  const fill = isFloating(x.dtype) ? value : Math.trunc(value);
  if (!isFloating(x.dtype) && !(fill >= -2147483648 && fill <= 2147483647)) {
    // PyTorch's check: ±Infinity, NaN and values beyond int32 would wrap or become 0 in the array.
    throw new RangeError(
      `masked_fill(): value cannot be converted to type ${x.dtype} without overflow: ${value} (cast to float first: x.to('float32').maskedFill(mask, ${value}))`,
    );
  }
  const out = fillWhere(x, mask, shape, fill);
  return record(out, 'MaskedFill', [x], (g) => [sumTo(fillWhere(g, mask, shape, 0), x.shape)]);
}

/**
 * Elementwise choice: `a` where `condition` is set, else `b`, all three broadcast together
 * (PyTorch's `torch.where(condition, a, b)`). `a` and `b` may be numbers; the result has their
 * promoted dtype. Gradients: `a` gets the incoming gradient where the condition holds, `b` elsewhere.
 *
 * NOTE: `condition` is an int32 tensor of 0/1 (PyTorch: bool). Two tensors' dtypes promote by
 * category and width (`promoteTypes`), without PyTorch's special case of 0-d tensors.
 *
 * @example
 * ```ts
 * where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0).tolist(); // [1, 0, 3]
 * ```
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkMask(condition, 'where', 'condition');
  if (!(a instanceof Tensor) && typeof a !== 'number') {
    throw new TypeError(`where(): a must be a Tensor or a number, got ${typeof a}`);
  }
  if (!(b instanceof Tensor) && typeof b !== 'number') {
    throw new TypeError(`where(): b must be a Tensor or a number, got ${typeof b}`);
  }
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : asTensor(a, condition);
  const ta0 = asTensor(a, like);
  const tb0 = asTensor(b, a instanceof Tensor ? a : like);
  const dtype = promoteTypes(ta0.dtype, tb0.dtype);
  const ta = ta0.dtype === dtype ? ta0 : cast(ta0, dtype);
  const tb = tb0.dtype === dtype ? tb0 : cast(tb0, dtype);
  const shape = broadcastShapes(broadcastShapes(condition.shape, ta.shape), tb.shape);
  const backend = getBackend();
  const strides = contiguousStrides(shape);
  // notMask = (condition == 0), in the output's shape.
  const notCondition = allocate('int32', numel(shape));
  backend.binaryStrided(
    'eq',
    gatherAs(condition, shape, 'int32'),
    0,
    strides,
    new Int32Array(1),
    0,
    shape.map(() => 0),
    notCondition,
    shape,
  );
  const notMask = new Tensor(notCondition, shape);
  // a with −0 where the condition is clear, b with −0 where it is set; their sum is exactly the
  // chosen element (x + −0 = x for every x, ±0, ±∞ and NaN included).
  const left = fillWhere(ta, notMask, shape, -0);
  const right = fillWhere(tb, condition, shape, -0);
  const out = allocate(dtype, numel(shape));
  backend.binaryStrided('add', left.storage, 0, strides, right.storage, 0, strides, out, shape);
  return record(new Tensor(out, shape), 'Where', [ta, tb], (g) => [
    ta.requiresGrad ? sumTo(fillWhere(g, notMask, shape, 0), ta.shape) : null,
    tb.requiresGrad ? sumTo(fillWhere(g, condition, shape, 0), tb.shape) : null,
  ]);
}

// ---- unbind -----------------------------------------------------------------------------------

/**
 * The slices of `x` along `dim`, that dimension removed (PyTorch's `torch.unbind`): views sharing
 * `x`'s storage, each with its own gradient path (a recurrent model's per-time-step inputs).
 *
 * @example
 * ```ts
 * unbind(arange(6).view(2, 3), 1).map((t) => t.tolist()); // [[0, 3], [1, 4], [2, 5]]
 * ```
 */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.ndim === 0) throw new ShapeError('Dimension specified as 0 but tensor has no dimensions');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  return Array.from({ length: size }, (_, i) => select(x, d, i));
}
