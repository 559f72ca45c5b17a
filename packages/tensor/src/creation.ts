/** Creating tensors: from nested arrays or typed arrays, constants, ranges, identity, one-hot. */
import { allocate, type DType, dtypeOf, isFloating, type TypedArray } from './dtype.js';
import { DTypeError, IndexError, ShapeError } from './errors.js';
import { optionsArg } from './options.js';
import { numel, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** The keys of `CreateOptions`: anything else (a misspelt `requires_grad`, a number) is an error. */
const CREATE_KEYS = ['dtype', 'requiresGrad'] as const;

export type NestedArray = number | readonly NestedArray[];

function inferNested(data: NestedArray): { shape: number[]; flat: number[]; allInts: boolean } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedArray;
    if (probe === undefined) break;
  }
  const flat: number[] = [];
  let allInts = true;
  const walk = (node: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') {
        throw new TypeError(
          `tensor(): expected a number at ${path || 'the top'}, got ${Array.isArray(node) ? 'a list' : typeof node}`,
        );
      }
      if (!Number.isInteger(node)) allInts = false;
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(
        `expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(node) ? node.length : typeof node})`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i] as NestedArray, depth + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
  return { shape, flat, allInts };
}

/**
 * A tensor from nested arrays of numbers or a typed array (with `shape` given in options for the
 * latter, else 1-d). Whole numbers give int32 unless a dtype is given, as PyTorch gives int64.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).shape; // [2, 2]
 * tensor([[1, 2], [3, 4]]).dtype; // 'int32'
 * tensor([1, 2], { dtype: 'float32' }).toString(); // 'tensor([1., 2.])'
 * ```
 */
export function tensor(
  data: NestedArray | TypedArray,
  options: CreateOptions & { shape?: Shape } = {},
): Tensor {
  optionsArg(options, 'tensor', ['dtype', 'requiresGrad', 'shape']);
  let storage: TypedArray;
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    const dtype = options.dtype ?? dtypeOf(data as TypedArray);
    shape = options.shape ? [...options.shape] : [(data as TypedArray).length];
    if (numel(shape) !== (data as TypedArray).length) {
      throw new ShapeError(
        `shape '[${shape.join(', ')}]' is invalid for input of size ${(data as TypedArray).length}`,
      );
    }
    storage = allocate(dtype, (data as TypedArray).length);
    storage.set(data as TypedArray);
  } else {
    const nested = inferNested(data as NestedArray);
    const dtype = options.dtype ?? (nested.allInts && nested.flat.length > 0 ? 'int32' : 'float32');
    if (dtype === 'int32' && !nested.allInts) {
      throw new DTypeError(
        'tensor(): dtype int32 was requested but the data has non-integer values',
      );
    }
    shape = options.shape ? [...options.shape] : nested.shape;
    storage = allocate(dtype, nested.flat.length);
    storage.set(nested.flat);
  }
  return new Tensor(storage, shape, { requiresGrad: options.requiresGrad ?? false });
}

function filled(shape: Shape, value: number, options: CreateOptions, op: string): Tensor {
  optionsArg(options, op, CREATE_KEYS);
  checkShape(shape);
  const storage = allocate(options.dtype ?? 'float32', numel(shape));
  if (value !== 0) storage.fill(value);
  return new Tensor(storage, shape, { requiresGrad: options.requiresGrad ?? false });
}

export function checkShape(shape: Shape): void {
  if (!Array.isArray(shape))
    throw new TypeError(`expected a shape (an array of sizes), got ${typeof shape}`);
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new ShapeError(
        `Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`,
      );
    }
  }
}

/**
 * A tensor of zeros (float32 unless `dtype` says otherwise).
 *
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled(shape, 0, options, 'zeros');
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * ones([2]).tolist(); // [1, 1]
 * ```
 */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled(shape, 1, options, 'ones');
}

/**
 * A tensor filled with `value`.
 *
 * @example
 * ```ts
 * full([2], 7).tolist(); // [7, 7]
 * ```
 */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return filled(shape, value, options, 'full');
}

/**
 * Zeros with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])).dtype; // 'int32'
 * ```
 */
export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return filled(
    t.shape,
    0,
    { dtype: t.dtype, ...optionsArg(options, 'zerosLike', CREATE_KEYS) },
    'zerosLike',
  );
}

/**
 * Ones with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * onesLike(tensor([[1.5]])).tolist(); // [[1]]
 * ```
 */
export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return filled(
    t.shape,
    1,
    { dtype: t.dtype, ...optionsArg(options, 'onesLike', CREATE_KEYS) },
    'onesLike',
  );
}

/**
 * `value` everywhere, with the shape and dtype of `t`.
 *
 * @example
 * ```ts
 * fullLike(tensor([1, 2]), 3).tolist(); // [3, 3]
 * ```
 */
export function fullLike(t: Tensor, value: number, options: CreateOptions = {}): Tensor {
  return filled(
    t.shape,
    value,
    { dtype: t.dtype, ...optionsArg(options, 'fullLike', CREATE_KEYS) },
    'fullLike',
  );
}

/**
 * Values from `start` to `end` (exclusive) by `step`; `arange(n)` is 0…n−1. int32 when all arguments
 * are whole numbers, else float32 (PyTorch: int64 / float32).
 *
 * @example
 * ```ts
 * arange(5).tolist(); // [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25).tolist(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  optionsArg(options, 'arange', CREATE_KEYS);
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new RangeError('step must be nonzero');
  if ((to - from) / step < 0) {
    throw new RangeError('upper bound and larger bound inconsistent with step sign');
  }
  const n = Math.max(0, Math.ceil((to - from) / step));
  const dtype = options.dtype ?? ([from, to, step].every(Number.isInteger) ? 'int32' : 'float32');
  const storage = allocate(dtype, n);
  for (let i = 0; i < n; i++) storage[i] = from + i * step;
  return new Tensor(storage, [n], { requiresGrad: options.requiresGrad ?? false });
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive (PyTorch's symmetric formula).
 *
 * @example
 * ```ts
 * linspace(-3, 0, 4).tolist(); // [-3, -2, -1, 0]
 * ```
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: CreateOptions = {},
): Tensor {
  optionsArg(options, 'linspace', CREATE_KEYS);
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`number of steps must be non-negative, got ${steps}`);
  const storage = allocate(options.dtype ?? 'float32', steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    storage[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return new Tensor(storage, [steps], { requiresGrad: options.requiresGrad ?? false });
}

/**
 * The n×m identity (m defaults to n).
 *
 * @example
 * ```ts
 * eye(2).tolist(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  optionsArg(options, 'eye', CREATE_KEYS);
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.storage[i * m + i] = 1;
  return t;
}

/**
 * One-hot rows: shape [...indices.shape, numClasses], int32 like PyTorch's `F.one_hot` (int64);
 * call `.float()` before a matmul, as the lecture does.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2]), 3).tolist(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (isFloating(indices.dtype)) {
    throw new DTypeError(`one_hot is only applicable to index tensor (got dtype ${indices.dtype})`);
  }
  const idx = indices.data;
  let classes = numClasses;
  if (classes === -1) classes = idx.length ? Math.max(...idx) + 1 : 0;
  const out = new Int32Array(idx.length * classes);
  for (let i = 0; i < idx.length; i++) {
    const c = idx[i];
    if (c < 0) throw new IndexError('Class values must be non-negative.');
    if (c >= classes) throw new IndexError('Class values must be smaller than num_classes.');
    out[i * classes + c] = 1;
  }
  return new Tensor(out, [...indices.shape, classes]);
}
