/**
 * `Tensor`: an n-dimensional array over a typed-array storage, with reverse-mode autograd.
 *
 * A tensor is a view: `storage` plus `shape`, `strides` (in elements) and `offset`. Movement ops
 * (`view`, `transpose`, `expand`, slicing) share storage; compute ops write a fresh contiguous
 * buffer. Each op records a `GradFn` (its inputs and its backward) when any input requires grad and
 * grad mode is on; `backward()` walks those records in reverse topological order.
 */
import { type GradFn, runBackward } from './autograd.js';
import { getBackend } from './backend.js';
import { checkNotCapturing } from './capture-tape.js';
import {
  allocate,
  allocatePlain,
  type DType,
  dtypeOf,
  isFloating,
  type TypedArray,
} from './dtype.js';
import { AutogradError, DTypeError, IndexError } from './errors.js';
import { formatTensor, type PrintOptions } from './format.js';
import { isGradEnabled } from './grad-mode.js';
import { isFreed, releaseStorage, retainStorage, tieView, trackTensor } from './memory.js';
import * as NNops from './ops/activation.js';
import * as E from './ops/elementwise.js';
import * as IX from './ops/indexing.js';
import * as MM from './ops/matmul.js';
import * as MV from './ops/movement.js';
import * as R from './ops/reduce.js';
import { alphaArg, keepdimArg, optionsArg } from './options.js';
import { contiguousStrides, formatShape, numel, type Shape, shapesEqual } from './shape.js';

export type { GradFn };

/** Options of the reductions: PyTorch's `keepdim` keyword, or (as PyTorch allows) a positional boolean. */
export type KeepdimArg = boolean | { keepdim?: boolean };

/** Options of `var` and `std`; a positional boolean is PyTorch's positional `unbiased`. */
export interface VarianceOptions {
  keepdim?: boolean;
  correction?: number;
  unbiased?: boolean;
}

export type Scalar = number;
export type TensorLike = Tensor | number;

export interface TensorInit {
  strides?: readonly number[];
  offset?: number;
  requiresGrad?: boolean;
}

/**
 * An n-dimensional array with autograd. Create one with `tensor`, `zeros`, `randn`, …; ops return
 * new tensors and record how they were made when an input requires grad.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.item(); // 30
 * y.backward();
 * x.grad.tolist(); // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** The underlying buffer (shared by views). */
  readonly storage: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  /** The gradient, filled by `backward()` for leaves that require grad (and tensors that `retainGrad()`). */
  grad: Tensor | null = null;
  /** How this tensor was computed, or null for a leaf. */
  gradFn: GradFn | null = null;
  private requiresGradFlag: boolean;
  private retainsGradFlag = false;
  private disposedFlag = false;

  constructor(storage: TypedArray, shape: Shape, init: TensorInit = {}) {
    this.storage = storage;
    this.shape = [...shape];
    this.strides = init.strides ? [...init.strides] : contiguousStrides(shape);
    this.offset = init.offset ?? 0;
    this.dtype = dtypeOf(storage);
    this.requiresGradFlag = false;
    if (init.requiresGrad) this.requiresGrad = true;
    retainStorage(storage);
    trackTensor(this);
  }

  // ---- memory -------------------------------------------------------------------------------

  /**
   * Frees this tensor's hold on its storage now (tfjs's `dispose()`). On the wasm backend the block
   * goes back to the pool when no other tensor (a view, `detach()`) or captured step holds it; on the
   * js backend the garbage collector frees plain arrays anyway. Idempotent. Reading a disposed tensor
   * (`data`, `item`, `tolist`, printing) throws; arrays taken from `.data` earlier must not be used.
   * NOTE: unlike PyTorch (reference counting frees tensors), JavaScript needs this or `tidy` to free
   * promptly; forgotten tensors are freed when garbage-collected.
   *
   * @example
   * ```ts
   * const t = tensor([1, 2]);
   * t.dispose();
   * t.isDisposed; // true
   * ```
   */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    releaseStorage(this.storage);
  }

  /** Whether `dispose()` was called (directly or by a `tidy` scope). */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  private checkLive(what: string): void {
    if (this.disposedFlag || isFreed(this.storage)) {
      throw new AutogradError(
        `${what}: this tensor (shape ${formatShape(this.shape)}) was disposed (by dispose() or a tidy scope); keep it with keep(t) or return it from tidy`,
      );
    }
  }

  // ---- properties ---------------------------------------------------------------------------

  get ndim(): number {
    return this.shape.length;
  }

  numel(): number {
    return numel(this.shape);
  }

  /** The shape, or the size of one dimension (PyTorch's `size()`). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[MV.dimIndex(dim, this.ndim)];
  }

  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloating(this.dtype)) {
      throw new DTypeError(
        `only Tensors of floating point dtype can require gradients (got dtype ${this.dtype})`,
      );
    }
    if (!value && this.gradFn) {
      throw new AutogradError(
        'you can only change requires_grad flags of leaf variables; use detach() to get a tensor that does not require grad',
      );
    }
    this.requiresGradFlag = value;
  }

  /** PyTorch's `requires_grad_()`: sets the flag in place and returns `this`. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let d = this.ndim - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== expected) return false;
      expected *= this.shape[d];
    }
    return true;
  }

  /**
   * The elements as a contiguous typed array of this tensor's dtype. Returns the storage itself
   * (no copy) when the tensor is contiguous and spans it exactly; otherwise a copy. Treat it as read-only.
   */
  get data(): TypedArray {
    this.checkLive('data');
    const n = this.numel();
    if (this.isContiguous()) {
      if (this.offset === 0 && this.storage.length === n) return this.storage;
      const view = this.storage.subarray(this.offset, this.offset + n);
      tieView(view, this.storage);
      return view;
    }
    // A plain array: it is the caller's to keep, outside any scope or pool.
    const out = allocatePlain(this.dtype, n);
    getBackend().gatherStrided(this.storage, this.offset, this.strides, this.shape, out);
    return out;
  }

  /**
   * The single element of a one-element tensor, as a number.
   *
   * @example
   * ```ts
   * tensor([[5]]).item(); // 5
   * ```
   */
  item(): number {
    checkNotCapturing('item()');
    this.checkLive('item()');
    if (this.numel() !== 1) {
      throw new RangeError(
        `only one element tensors can be converted to Python scalars (got a Tensor with ${this.numel()} elements)`,
      );
    }
    return this.storage[this.offset];
  }

  /**
   * Nested arrays of numbers (a number for a 0-d tensor).
   *
   * @example
   * ```ts
   * arange(4).view(2, 2).tolist(); // [[0, 1], [2, 3]]
   * ```
   */
  tolist(): unknown {
    checkNotCapturing('tolist()');
    const flat = Array.from(this.data);
    if (this.ndim === 0) return flat[0];
    const build = (dim: number, start: number): unknown[] => {
      const size = this.shape[dim];
      if (dim === this.ndim - 1) return flat.slice(start, start + size);
      const step = numel(this.shape.slice(dim + 1));
      return Array.from({ length: size }, (_, i) => build(dim + 1, start + i * step));
    };
    return build(0, 0);
  }

  toString(options?: PrintOptions): string {
    return formatTensor(this, options);
  }

  // ---- conversion and copies --------------------------------------------------------------

  /** This tensor if contiguous, else a contiguous copy (differentiable). */
  contiguous(): Tensor {
    return this.isContiguous() ? this : MV.contiguous(this);
  }

  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return MV.contiguous(this, true);
  }

  /**
   * The same data, cut from the graph (shares storage).
   *
   * @example
   * ```ts
   * tensor([1.5], { requiresGrad: true }).mul(2).detach().requiresGrad; // false
   * ```
   */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, { strides: this.strides, offset: this.offset });
  }

  /** Converts to another dtype (differentiable between float types). */
  to(dtype: DType): Tensor {
    return dtype === this.dtype ? this : E.cast(this, dtype);
  }

  float(): Tensor {
    return this.to('float32');
  }

  double(): Tensor {
    return this.to('float64');
  }

  int(): Tensor {
    return this.to('int32');
  }

  // ---- autograd -----------------------------------------------------------------------------

  /** Keep `grad` for this non-leaf tensor after `backward()` (PyTorch's `retain_grad()`). */
  retainGrad(): this {
    if (!this.requiresGrad) {
      throw new AutogradError("can't retain_grad on Tensor that has requires_grad=False");
    }
    this.retainsGradFlag = true;
    return this;
  }

  get retainsGrad(): boolean {
    return this.retainsGradFlag;
  }

  /**
   * Computes d(this)/d(leaf) for every leaf that requires grad and accumulates it into `leaf.grad`.
   * A non-scalar tensor needs an explicit `gradient` of its own shape.
   * NOTE: like PyTorch, gradients accumulate; reset them (`zeroGrad`, or `grad = null`) between steps.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
   * x.mul(3).backward(tensor([1, 10], { dtype: 'float64' }));
   * x.grad.tolist(); // [3, 30]
   * ```
   */
  backward(gradient?: Tensor): void {
    if (!this.requiresGrad) {
      throw new AutogradError(
        'element 0 of tensors does not require grad and does not have a grad_fn',
      );
    }
    let seed: Tensor;
    if (gradient === undefined) {
      if (this.numel() !== 1) {
        throw new AutogradError('grad can be implicitly created only for scalar outputs');
      }
      const ones = allocate(this.dtype, 1);
      getBackend().fill(ones, 0, 1, 1);
      seed = new Tensor(ones, this.shape);
    } else {
      if (!shapesEqual(gradient.shape, this.shape)) {
        throw new AutogradError(
          `Mismatch in shape: grad_output[0] has a shape of ${formatShape(gradient.shape)} and output[0] has a shape of ${formatShape(this.shape)}.`,
        );
      }
      seed = gradient.detach();
    }
    runBackward(this, seed, makeTensor);
  }

  // ---- in-place updates (for optimizers; refused on leaves that require grad while recording) --

  private checkInPlace(op: string): void {
    if (this.requiresGrad && this.isLeaf && isGradEnabled()) {
      throw new AutogradError(
        `a leaf Variable that requires grad is being used in an in-place operation (${op}); wrap the update in noGrad(() => …)`,
      );
    }
    if (this.gradFn && isGradEnabled()) {
      throw new AutogradError(
        `in-place ${op} on a tensor that is part of the autograd graph is not supported; use the out-of-place op`,
      );
    }
  }

  /** Writes `source` (broadcast to this shape) into this tensor's elements. */
  copy_(source: TensorLike): this {
    this.checkInPlace('copy_');
    E.assignInPlace(this, source, null);
    return this;
  }

  fill_(value: number): this {
    this.checkInPlace('fill_');
    E.assignInPlace(this, value, null);
    return this;
  }

  zero_(): this {
    return this.fill_(0);
  }

  /** this += alpha · other (PyTorch's `add_(other, alpha=…)`). */
  add_(other: TensorLike, options?: { alpha?: number }): this {
    const alpha = alphaArg(options, 'add_');
    this.checkInPlace('add_');
    E.assignInPlace(this, other, 'add', alpha ?? 1);
    return this;
  }

  sub_(other: TensorLike, options?: { alpha?: number }): this {
    const alpha = alphaArg(options, 'sub_');
    this.checkInPlace('sub_');
    E.assignInPlace(this, other, 'add', -(alpha ?? 1));
    return this;
  }

  mul_(other: TensorLike): this {
    this.checkInPlace('mul_');
    E.assignInPlace(this, other, 'mul');
    return this;
  }

  div_(other: TensorLike): this {
    this.checkInPlace('div_');
    E.assignInPlace(this, other, 'div');
    return this;
  }

  // ---- elementwise --------------------------------------------------------------------------

  add(other: TensorLike, options?: { alpha?: number }): Tensor {
    const alpha = alphaArg(options, 'add');
    return E.add(this, alpha === undefined ? other : E.mul(E.asTensor(other, this), alpha));
  }
  /** this − alpha · other (PyTorch's `sub(other, alpha=…)`). */
  sub(other: TensorLike, options?: { alpha?: number }): Tensor {
    const alpha = alphaArg(options, 'sub');
    return E.sub(this, alpha === undefined ? other : E.mul(E.asTensor(other, this), alpha));
  }
  mul(other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return E.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  /** `other - this`, for a number on the left. */
  rsub(other: TensorLike): Tensor {
    return E.sub(E.asTensor(other, this), this);
  }
  /** `other / this`, for a number on the left. */
  rdiv(other: TensorLike): Tensor {
    return E.div(E.asTensor(other, this), this);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  square(): Tensor {
    return E.square(this);
  }
  maximum(other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return E.clamp(this, min ?? null, max ?? null);
  }
  eq(other: TensorLike): Tensor {
    return E.compare('eq', this, other);
  }
  ne(other: TensorLike): Tensor {
    return E.compare('ne', this, other);
  }
  lt(other: TensorLike): Tensor {
    return E.compare('lt', this, other);
  }
  le(other: TensorLike): Tensor {
    return E.compare('le', this, other);
  }
  gt(other: TensorLike): Tensor {
    return E.compare('gt', this, other);
  }
  ge(other: TensorLike): Tensor {
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
  sum(dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
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
  mean(dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
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
  max(): Tensor;
  max(dim: number, keepdim?: KeepdimArg): { values: Tensor; indices: Tensor };
  max(dim?: number, keepdim?: KeepdimArg): Tensor | { values: Tensor; indices: Tensor } {
    return extremeDim(this, dim, keepdim, 'max');
  }
  min(): Tensor;
  min(dim: number, keepdim?: KeepdimArg): { values: Tensor; indices: Tensor };
  min(dim?: number, keepdim?: KeepdimArg): Tensor | { values: Tensor; indices: Tensor } {
    return extremeDim(this, dim, keepdim, 'min');
  }
  amax(dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.amax(this, dim, keepdimArg(keepdim, 'amax'));
  }
  amin(dim?: number | readonly number[], keepdim?: KeepdimArg): Tensor {
    return R.amin(this, dim, keepdimArg(keepdim, 'amin'));
  }
  argmax(dim?: number, keepdim?: KeepdimArg): Tensor {
    return R.argExtreme(this, dim, keepdimArg(keepdim, 'argmax'), 'max');
  }
  argmin(dim?: number, keepdim?: KeepdimArg): Tensor {
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
    dim?: number | readonly number[],
    options?: VarianceOptions | boolean,
    keepdim?: boolean,
  ): Tensor {
    return R.variance(this, dim, varianceArgs(options, keepdim, 'var'));
  }
  /** Standard deviation; the same arguments as `var`. */
  std(
    dim?: number | readonly number[],
    options?: VarianceOptions | boolean,
    keepdim?: boolean,
  ): Tensor {
    return R.std(this, dim, varianceArgs(options, keepdim, 'std'));
  }
  logsumexp(dim: number | readonly number[], keepdim?: KeepdimArg): Tensor {
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
  view(...shape: number[] | [readonly number[]]): Tensor {
    return MV.view(this, MV.shapeArgs(shape));
  }
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return MV.reshape(this, MV.shapeArgs(shape));
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return MV.flatten(this, startDim, endDim);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return MV.transpose(this, dim0, dim1);
  }
  permute(...dims: number[] | [readonly number[]]): Tensor {
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
    return MV.permute(
      this,
      this.shape.map((_, i) => this.ndim - 1 - i),
    );
  }
  unsqueeze(dim: number): Tensor {
    return MV.unsqueeze(this, dim);
  }
  squeeze(dim?: number | readonly number[]): Tensor {
    return MV.squeeze(this, dim);
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return MV.expand(this, MV.shapeArgs(shape));
  }
  expandAs(other: Tensor): Tensor {
    return MV.expand(this, other.shape);
  }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    return MV.split(this, splitSize, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] {
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
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
    return MV.slice(this, dim, start ?? null, end ?? null, step);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return MV.slice(this, dim, start, start + length, 1);
  }
  /** Row `index` along `dim`, dropping that dimension (Python's `x[i]`, `x[:, i]`). */
  select(dim: number, index: number): Tensor {
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
  index(...indices: (Tensor | readonly number[])[]): Tensor {
    return IX.index(this, indices);
  }
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor {
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
  gather(dim: number, index: Tensor): Tensor {
    return IX.gather(this, dim, index);
  }

  // ---- linear algebra and nn ----------------------------------------------------------------

  matmul(other: Tensor): Tensor {
    return MM.matmul(this, other);
  }
  softmax(dim: number): Tensor {
    return NNops.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return NNops.logSoftmax(this, dim);
  }
}

/** The constructor as a function, for the autograd module (which imports `Tensor` as a type only). */
const makeTensor = (storage: TypedArray, shape: Shape): Tensor => new Tensor(storage, shape);

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

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

export { IndexError };
