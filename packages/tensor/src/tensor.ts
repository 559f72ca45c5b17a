/**
 * `Tensor` with its op methods: `x.sum()`, `x.matmul(w)`, `x.view(2, -1)`, … each a one-line call of
 * the op function in `ops/` (where its forward and backward live).
 *
 * The class itself (its state, `data`, `item`, `backward`, memory) is in `tensor-core.ts`, below the
 * ops, which import it to build their results; this module sits above them. The methods are written
 * once, in `TensorMethods`, and copied onto `Tensor.prototype` when this module loads; declaration
 * merging (`interface Tensor extends TensorMethods` in `tensor-core.ts`) gives them to the `Tensor`
 * type. Every module that hands tensors to users (`creation`, `random`, the package root) imports
 * `Tensor` from here, so the methods are installed before any tensor exists. NOTE: that copy is this
 * module's one side effect, which is why `package.json` lists it under `sideEffects`.
 */
import type { DType } from './dtype.js';
import * as NNops from './ops/activation.js';
import * as E from './ops/elementwise.js';
import * as IX from './ops/indexing.js';
import * as MK from './ops/masking.js';
import * as MM from './ops/matmul.js';
import * as MV from './ops/movement.js';
import * as R from './ops/reduce.js';
import { alphaArg, keepdimArg, optionsArg } from './options.js';
import { checkInPlace, Tensor, type TensorLike } from './tensor-core.js';

export {
  type GradFn,
  isTensor,
  type Scalar,
  Tensor,
  type TensorInit,
  type TensorLike,
} from './tensor-core.js';

/** Options of the reductions: PyTorch's `keepdim` keyword, or (as PyTorch allows) a positional boolean. */
export type KeepdimArg = boolean | { keepdim?: boolean };

/** Options of `var` and `std`; a positional boolean is PyTorch's positional `unbiased`. */
export interface VarianceOptions {
  keepdim?: boolean;
  correction?: number;
  unbiased?: boolean;
}

/**
 * The op methods of `Tensor`: installed on its prototype below, and merged into its type by
 * `interface Tensor extends TensorMethods` in `tensor-core.ts`. Not a class to instantiate.
 */
class TensorMethods {
  // ---- conversion and copies --------------------------------------------------------------

  /** This tensor if contiguous, else a contiguous copy (differentiable). */
  contiguous(this: Tensor): Tensor {
    return this.isContiguous() ? this : MV.contiguous(this);
  }

  /** A copy with its own storage (differentiable). */
  clone(this: Tensor): Tensor {
    return MV.contiguous(this, true);
  }

  /** Converts to another dtype (differentiable between float types). */
  to(this: Tensor, dtype: DType): Tensor {
    return dtype === this.dtype ? this : E.cast(this, dtype);
  }

  float(this: Tensor): Tensor {
    return this.to('float32');
  }

  double(this: Tensor): Tensor {
    return this.to('float64');
  }

  int(this: Tensor): Tensor {
    return this.to('int32');
  }

  // ---- in-place updates (for optimizers; refused on leaves that require grad while recording) --

  /** Writes `source` (broadcast to this shape) into this tensor's elements. */
  copy_<T extends Tensor>(this: T, source: TensorLike): T {
    checkInPlace(this, 'copy_');
    E.assignInPlace(this, source, null);
    return this;
  }

  fill_<T extends Tensor>(this: T, value: number): T {
    checkInPlace(this, 'fill_');
    E.assignInPlace(this, value, null);
    return this;
  }

  zero_<T extends Tensor>(this: T): T {
    return this.fill_(0);
  }

  /** this += alpha · other (PyTorch's `add_(other, alpha=…)`). */
  add_<T extends Tensor>(this: T, other: TensorLike, options?: { alpha?: number }): T {
    const alpha = alphaArg(options, 'add_');
    checkInPlace(this, 'add_');
    E.assignInPlace(this, other, 'add', alpha ?? 1);
    return this;
  }

  sub_<T extends Tensor>(this: T, other: TensorLike, options?: { alpha?: number }): T {
    const alpha = alphaArg(options, 'sub_');
    checkInPlace(this, 'sub_');
    E.assignInPlace(this, other, 'add', -(alpha ?? 1));
    return this;
  }

  mul_<T extends Tensor>(this: T, other: TensorLike): T {
    checkInPlace(this, 'mul_');
    E.assignInPlace(this, other, 'mul');
    return this;
  }

  div_<T extends Tensor>(this: T, other: TensorLike): T {
    checkInPlace(this, 'div_');
    E.assignInPlace(this, other, 'div');
    return this;
  }

  // ---- elementwise --------------------------------------------------------------------------

  add(this: Tensor, other: TensorLike, options?: { alpha?: number }): Tensor {
    const alpha = alphaArg(options, 'add');
    return E.add(this, alpha === undefined ? other : E.mul(E.asTensor(other, this), alpha));
  }
  /** this − alpha · other (PyTorch's `sub(other, alpha=…)`). */
  sub(this: Tensor, other: TensorLike, options?: { alpha?: number }): Tensor {
    const alpha = alphaArg(options, 'sub');
    return E.sub(this, alpha === undefined ? other : E.mul(E.asTensor(other, this), alpha));
  }
  mul(this: Tensor, other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  div(this: Tensor, other: TensorLike): Tensor {
    return E.div(this, other);
  }
  pow(this: Tensor, exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  /** `other - this`, for a number on the left. */
  rsub(this: Tensor, other: TensorLike): Tensor {
    return E.sub(E.asTensor(other, this), this);
  }
  /** `other / this`, for a number on the left. */
  rdiv(this: Tensor, other: TensorLike): Tensor {
    return E.div(E.asTensor(other, this), this);
  }
  neg(this: Tensor): Tensor {
    return E.neg(this);
  }
  exp(this: Tensor): Tensor {
    return E.exp(this);
  }
  log(this: Tensor): Tensor {
    return E.log(this);
  }
  tanh(this: Tensor): Tensor {
    return E.tanh(this);
  }
  relu(this: Tensor): Tensor {
    return E.relu(this);
  }
  sigmoid(this: Tensor): Tensor {
    return E.sigmoid(this);
  }
  sqrt(this: Tensor): Tensor {
    return E.sqrt(this);
  }
  abs(this: Tensor): Tensor {
    return E.abs(this);
  }
  square(this: Tensor): Tensor {
    return E.square(this);
  }
  maximum(this: Tensor, other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  minimum(this: Tensor, other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  clamp(this: Tensor, min?: number | null, max?: number | null): Tensor {
    return E.clamp(this, min ?? null, max ?? null);
  }
  eq(this: Tensor, other: TensorLike): Tensor {
    return E.compare('eq', this, other);
  }
  ne(this: Tensor, other: TensorLike): Tensor {
    return E.compare('ne', this, other);
  }
  lt(this: Tensor, other: TensorLike): Tensor {
    return E.compare('lt', this, other);
  }
  le(this: Tensor, other: TensorLike): Tensor {
    return E.compare('le', this, other);
  }
  gt(this: Tensor, other: TensorLike): Tensor {
    return E.compare('gt', this, other);
  }
  ge(this: Tensor, other: TensorLike): Tensor {
    return E.compare('ge', this, other);
  }

  // ---- reductions ---------------------------------------------------------------------------

  /**
   * Sum over `dim` (a number, a list, or all dimensions).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).sum(0).tolist(); // [4, 6]
   * tensor([[1, 2], [3, 4]]).sum(1, { keepdim: true }).shape; // [2, 1]
   * tensor([[1, 2], [3, 4]]).sum(1, true).shape; // [2, 1]
   * ```
   * `keepdim` may also be passed positionally, as in PyTorch (`x.sum(1, True)`).
   */
  sum(this: Tensor, dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.sum(this, dim, keepdimArg(keepdim, 'sum'));
  }
  /**
   * Mean over `dim` (floating-point tensors only).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]], { dtype: 'float32' }).mean(1).tolist(); // [1.5, 3.5]
   * ```
   */
  mean(this: Tensor, dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.mean(this, dim, keepdimArg(keepdim, 'mean'));
  }
  /**
   * With no `dim`: the largest element. With `dim`: `{ values, indices }` along it.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).max(1).indices.tolist(); // [1, 0]
   * tensor([[1, 5], [7, 2]]).max().item(); // 7
   * tensor([[1, 5], [7, 2]]).max(1, true).values.shape; // [2, 1]
   * ```
   */
  max(this: Tensor): Tensor;
  max(this: Tensor, dim: number, keepdim?: KeepdimArg): { values: Tensor; indices: Tensor };
  max(
    this: Tensor,
    dim?: number,
    keepdim?: KeepdimArg,
  ): Tensor | { values: Tensor; indices: Tensor } {
    return extremeDim(this, dim, keepdim, 'max');
  }
  min(this: Tensor): Tensor;
  min(this: Tensor, dim: number, keepdim?: KeepdimArg): { values: Tensor; indices: Tensor };
  min(
    this: Tensor,
    dim?: number,
    keepdim?: KeepdimArg,
  ): Tensor | { values: Tensor; indices: Tensor } {
    return extremeDim(this, dim, keepdim, 'min');
  }
  amax(this: Tensor, dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.amax(this, dim, keepdimArg(keepdim, 'amax'));
  }
  amin(this: Tensor, dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.amin(this, dim, keepdimArg(keepdim, 'amin'));
  }
  argmax(this: Tensor, dim?: number, keepdim?: KeepdimArg): Tensor {
    return R.argExtreme(this, dim, keepdimArg(keepdim, 'argmax'), 'max');
  }
  argmin(this: Tensor, dim?: number, keepdim?: KeepdimArg): Tensor {
    return R.argExtreme(this, dim, keepdimArg(keepdim, 'argmin'), 'min');
  }
  /**
   * Variance; `correction` 1 (default, unbiased) or 0 (PyTorch's `unbiased=False`). As in PyTorch,
   * `var(dim, unbiased, keepdim)` also works positionally.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4], { dtype: 'float64' }).var(0, false).item(); // 1.25
   * ```
   */
  var(
    this: Tensor,
    dim?: number | readonly number[],
    options?: VarianceOptions | boolean,
    keepdim?: boolean,
  ): Tensor {
    return R.variance(this, dim, varianceArgs(options, keepdim, 'var'));
  }
  /** Standard deviation; the same arguments as `var`. */
  std(
    this: Tensor,
    dim?: number | readonly number[],
    options?: VarianceOptions | boolean,
    keepdim?: boolean,
  ): Tensor {
    return R.std(this, dim, varianceArgs(options, keepdim, 'std'));
  }
  logsumexp(this: Tensor, dim: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.logsumexp(this, dim, keepdimArg(keepdim, 'logsumexp'));
  }

  // ---- shape --------------------------------------------------------------------------------

  /**
   * The same storage seen with another shape (contiguous tensors; `-1` is inferred).
   *
   * @example
   * ```ts
   * arange(6).view(2, -1).shape; // [2, 3]
   * ```
   */
  view(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return MV.view(this, MV.shapeArgs(shape));
  }
  reshape(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return MV.reshape(this, MV.shapeArgs(shape));
  }
  flatten(this: Tensor, startDim = 0, endDim = -1): Tensor {
    return MV.flatten(this, startDim, endDim);
  }
  transpose(this: Tensor, dim0: number, dim1: number): Tensor {
    return MV.transpose(this, dim0, dim1);
  }
  permute(this: Tensor, ...dims: number[] | [readonly number[]]): Tensor {
    return MV.permute(this, MV.shapeArgs(dims));
  }
  /**
   * The transpose of a 2-d tensor (PyTorch's `.T` reverses all dimensions).
   *
   * @example
   * ```ts
   * arange(6).view(2, 3).T.tolist(); // [[0, 3], [1, 4], [2, 5]]
   * ```
   */
  get T(): Tensor {
    const self = this as unknown as Tensor;
    return MV.permute(
      self,
      self.shape.map((_, i) => self.ndim - 1 - i),
    );
  }
  unsqueeze(this: Tensor, dim: number): Tensor {
    return MV.unsqueeze(this, dim);
  }
  squeeze(this: Tensor, dim?: number | readonly number[]): Tensor {
    return MV.squeeze(this, dim);
  }
  expand(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return MV.expand(this, MV.shapeArgs(shape));
  }
  expandAs(this: Tensor, other: Tensor): Tensor {
    return MV.expand(this, other.shape);
  }
  split(this: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
    return MV.split(this, splitSize, dim);
  }
  chunk(this: Tensor, chunks: number, dim = 0): Tensor[] {
    return MV.chunk(this, chunks, dim);
  }
  /**
   * Elements `start ≤ i < end` (step `step`) along `dim`, as a view (Python's `x[:, a:b]`).
   *
   * @example
   * ```ts
   * arange(10).view(2, 5).slice(1, 1, 3).tolist(); // [[1, 2], [6, 7]]
   * ```
   */
  slice(this: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return MV.slice(this, dim, start ?? null, end ?? null, step);
  }
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    return MV.slice(this, dim, start, start + length, 1);
  }
  /** Row `index` along `dim`, dropping that dimension (Python's `x[i]`, `x[:, i]`). */
  select(this: Tensor, dim: number, index: number): Tensor {
    return MV.select(this, dim, index);
  }

  // ---- indexing -----------------------------------------------------------------------------

  /**
   * Integer-array indexing along the first dimension: `C.index(Xb)` is PyTorch's `C[Xb]` for an
   * index tensor of any shape (the embedding lookup). With several index tensors, they are broadcast
   * together and pick one element per position along the leading dimensions (`logits[arange(n), ys]`).
   *
   * @example
   * ```ts
   * const C = arange(6).view(3, 2);
   * C.index(tensor([[0, 2], [1, 1]])).shape; // [2, 2, 2]
   * C.index(arange(3), tensor([1, 0, 1])).tolist(); // [1, 2, 5]
   * ```
   */
  index(this: Tensor, ...indices: (Tensor | readonly number[])[]): Tensor {
    return IX.index(this, indices);
  }
  indexSelect(this: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
    return IX.indexSelect(this, dim, index);
  }
  /**
   * Picks along `dim` by an index tensor of the same rank (PyTorch's `gather`).
   *
   * @example
   * ```ts
   * arange(6).view(2, 3).gather(1, tensor([[2], [0]])).tolist(); // [[2], [3]]
   * ```
   */
  gather(this: Tensor, dim: number, index: Tensor): Tensor {
    return IX.gather(this, dim, index);
  }

  // ---- linear algebra and nn ----------------------------------------------------------------

  matmul(this: Tensor, other: Tensor): Tensor {
    return MM.matmul(this, other);
  }
  softmax(this: Tensor, dim: number): Tensor {
    return NNops.softmax(this, dim);
  }
  logSoftmax(this: Tensor, dim: number): Tensor {
    return NNops.logSoftmax(this, dim);
  }

  // ---- masking (attention and recurrent models) ----------------------------------------------

  /**
   * The lower triangle of the last two dimensions (column − row ≤ `diagonal`), the rest zero.
   *
   * @example
   * ```ts
   * ones([3, 3]).tril().tolist(); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
   * ```
   */
  tril(this: Tensor, diagonal = 0): Tensor {
    return MK.tril(this, diagonal);
  }
  /** The upper triangle of the last two dimensions (column − row ≥ `diagonal`), the rest zero. */
  triu(this: Tensor, diagonal = 0): Tensor {
    return MK.triu(this, diagonal);
  }
  /**
   * `value` wherever the int32 0/1 `mask` is set (broadcast together), as PyTorch's `masked_fill`.
   *
   * @example
   * ```ts
   * zeros([2, 2]).maskedFill(ones([2, 2]).tril().eq(0), -Infinity).tolist(); // [[0, -Infinity], [0, 0]]
   * ```
   */
  maskedFill(this: Tensor, mask: Tensor, value: number): Tensor {
    return MK.maskedFill(this, mask, value);
  }
  /** This tensor where `condition` is set, else `other` (PyTorch's `x.where(condition, y)`). */
  where(this: Tensor, condition: Tensor, other: TensorLike): Tensor {
    return MK.where(condition, this, other);
  }
  /** The slices along `dim`, that dimension removed (views; PyTorch's `unbind`). */
  unbind(this: Tensor, dim = 0): Tensor[] {
    return MK.unbind(this, dim);
  }
}

export type { TensorMethods };

for (const [name, descriptor] of Object.entries(
  Object.getOwnPropertyDescriptors(TensorMethods.prototype),
)) {
  if (name !== 'constructor') Object.defineProperty(Tensor.prototype, name, descriptor);
}

/** `max(dim?, keepdim?)` / `min(…)`: the whole-tensor extreme, or values and indices along `dim`. */
function extremeDim(
  x: Tensor,
  dim: number | undefined,
  keepdim: KeepdimArg | undefined,
  op: 'max' | 'min',
): Tensor | { values: Tensor; indices: Tensor } {
  if (dim === undefined) {
    if (keepdim !== undefined) {
      throw new TypeError(`${op}(): keepdim needs a dim, as in PyTorch: ${op}(dim, keepdim)`);
    }
    return op === 'max' ? R.amax(x, undefined, false) : R.amin(x, undefined, false);
  }
  if (typeof dim !== 'number') {
    const hint = Array.isArray(dim)
      ? 'an array (use amax/amin for several dims)'
      : (dim as unknown) instanceof Tensor
        ? `a Tensor (for the elementwise ${op} of two tensors use ${op}imum(other))`
        : typeof dim;
    throw new TypeError(`${op}(): dim must be a number, got ${hint}`);
  }
  return R.maxDim(x, dim, keepdimArg(keepdim, op), op);
}

/** `var`/`std`'s trailing arguments: an options object, or PyTorch's positional (unbiased, keepdim). */
function varianceArgs(
  options: VarianceOptions | boolean | undefined,
  keepdim: boolean | undefined,
  op: string,
): VarianceOptions {
  if (typeof options === 'boolean') {
    if (keepdim !== undefined && typeof keepdim !== 'boolean') {
      throw new TypeError(`${op}(): keepdim must be a boolean, got ${typeof keepdim}`);
    }
    return { unbiased: options, keepdim: keepdim ?? false };
  }
  if (keepdim !== undefined) {
    throw new TypeError(
      `${op}(): a third argument (keepdim) follows only a positional unbiased: ${op}(dim, unbiased, keepdim), or use { keepdim }`,
    );
  }
  return optionsArg<VarianceOptions>(options, op, ['keepdim', 'correction', 'unbiased']);
}
