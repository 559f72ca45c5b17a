/**
 * `Tensor`'s state and everything that needs no op: an n-dimensional array over a typed-array
 * storage, with reverse-mode autograd.
 *
 * A tensor is a view: `storage` plus `shape`, `strides` (in elements) and `offset`. Movement ops
 * (`view`, `transpose`, `expand`, slicing) share storage; compute ops write a fresh contiguous
 * buffer. Each op records a `GradFn` (its inputs and its backward) when any input requires grad and
 * grad mode is on; `backward()` walks those records in reverse topological order.
 *
 * This module sits below the ops: they import the class from here to build their results, and
 * `tensor.ts` (above them) installs the op methods (`x.sum()`, `x.matmul(w)`) on its prototype.
 * Import `Tensor` from `tensor.ts` (or the package root) everywhere else, so the methods are there.
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
import { AutogradError, DTypeError } from './errors.js';
import { formatTensor, type PrintOptions } from './format.js';
import { isGradEnabled } from './grad-mode.js';
import { isFreed, releaseStorage, retainStorage, tieView, trackTensor } from './memory.js';
import {
  contiguousStrides,
  formatShape,
  normalizeDim,
  numel,
  type Shape,
  shapesEqual,
} from './shape.js';
// A type-only import (erased): the op methods' signatures, implemented and installed by tensor.ts.
import type { TensorMethods } from './tensor.js';

export type { GradFn };

export type Scalar = number;
export type TensorLike = Tensor | number;

export interface TensorInit {
  strides?: readonly number[];
  offset?: number;
  requiresGrad?: boolean;
}

// Declaration merging: every `Tensor` has the op methods (`x.sum()`, …) that tensor.ts installs.
export interface Tensor extends TensorMethods {}

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
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: tensor.ts installs every merged method on the prototype
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
    return this.shape[normalizeDim(dim, this.ndim)];
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

  // ---- autograd -----------------------------------------------------------------------------

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
}

/** The constructor as a function, for the autograd module (which imports `Tensor` as a type only). */
const makeTensor = (storage: TypedArray, shape: Shape): Tensor => new Tensor(storage, shape);

/** Whether `x` is a `Tensor`. */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/**
 * Refuses an in-place update (`copy_`, `add_`, …) where PyTorch does: on a leaf that requires grad
 * while grad mode is on, and on a tensor inside a recorded graph.
 */
export function checkInPlace(t: Tensor, op: string): void {
  if (t.requiresGrad && t.isLeaf && isGradEnabled()) {
    throw new AutogradError(
      `a leaf Variable that requires grad is being used in an in-place operation (${op}); wrap the update in noGrad(() => …)`,
    );
  }
  if (t.gradFn && isGradEnabled()) {
    throw new AutogradError(
      `in-place ${op} on a tensor that is part of the autograd graph is not supported; use the out-of-place op`,
    );
  }
}
