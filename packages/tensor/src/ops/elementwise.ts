/**
 * Elementwise ops with PyTorch broadcasting. Each differentiable op states its backward beside its
 * forward; broadcast inputs get their gradient summed back to their own shape (`sumTo`).
 */

import { record } from '../autograd.js';
import { getBackend } from '../backend.js';
import { allocate, type DType, isFloating, promoteTypes } from '../dtype.js';
import { DTypeError } from '../errors.js';
import type { BinaryOp, UnaryBackwardOp, UnaryOp } from '../kernels/backend.js';
import { broadcastShapes, broadcastStrides, numel, type Shape, shapesEqual } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor-core.js';
import { contiguousValues, sumTo } from './sum-to.js';

/** A number becomes a 0-d tensor whose dtype suits `like` (a float tensor keeps its float type). */
export function asTensor(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') {
    throw new TypeError(`expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
  }
  const dtype: DType = isFloating(like.dtype)
    ? like.dtype
    : Number.isInteger(x)
      ? 'int32'
      : 'float32';
  const storage = allocate(dtype, 1);
  storage[0] = x;
  return new Tensor(storage, []);
}

/**
 * Result dtype of a binary op, PyTorch's promotion: a plain number or a 0-d tensor only decides the
 * type when it is of a higher category (float over int) than the other operand, which has dimensions;
 * so `float32 [n] + float64 0-d` stays float32 but `int [n] + 2.5` becomes float32.
 */
function resultType(a: Tensor, b: Tensor, aIsScalar: boolean, bIsScalar: boolean): DType {
  const aZeroDim = aIsScalar || (a.ndim === 0 && b.ndim > 0);
  const bZeroDim = bIsScalar || (b.ndim === 0 && a.ndim > 0);
  if (aZeroDim !== bZeroDim) {
    const [dims, zero] = aZeroDim ? [b, a] : [a, b];
    return isFloating(dims.dtype) || !isFloating(zero.dtype) ? dims.dtype : zero.dtype;
  }
  return promoteTypes(a.dtype, b.dtype);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  const out = allocate(dtype, x.numel());
  getBackend().cast(x.data, 0, out, out.length);
  const result = new Tensor(out, x.shape);
  if (!isFloating(dtype)) return result;
  return record(result, 'ToCopy', [x], (g) => [isFloating(x.dtype) ? cast(g, x.dtype) : null]);
}

// ---- unary ------------------------------------------------------------------------------------

function unaryForward(op: UnaryOp, x: Tensor, dtype: DType = x.dtype): Tensor {
  const src = contiguousValues(x);
  const out = allocate(dtype, src.numel());
  getBackend().unaryContiguous(op, src.storage, src.offset, out, out.length);
  return new Tensor(out, x.shape);
}

/**
 * A backward computed in one fused pass from the incoming gradient `dy` and the op's saved output `y`
 * (PyTorch's tanh_backward, sigmoid_backward, threshold_backward), by the backend's kernel.
 */
function gradFromOutput(op: UnaryBackwardOp, g: Tensor, out: Tensor): Tensor[] {
  const dx = allocate(g.dtype, out.storage.length);
  getBackend().unaryBackward(op, g.data, out.storage, dx, dx.length);
  return [new Tensor(dx, out.shape)];
}

function floatInput(x: Tensor): Tensor {
  return isFloating(x.dtype) ? x : cast(x, 'float32');
}

export function neg(x: Tensor): Tensor {
  const out = unaryForward('neg', x);
  return record(out, 'Neg', [x], (g) => [neg(g)]);
}

export function exp(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('exp', xf);
  return record(out, 'Exp', [xf], (g) => [mul(g, out)]);
}

/** Natural log. NOTE: log of 0 is -Infinity and of a negative number NaN, as in PyTorch. */
export function log(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('log', xf);
  return record(out, 'Log', [xf], (g) => [div(g, xf)]);
}

export function tanh(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('tanh', xf);
  // d tanh = 1 - tanh², from the saved output.
  return record(out, 'Tanh', [xf], (g) => gradFromOutput('tanh', g, out));
}

/** max(0, x). NOTE: the gradient at exactly 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  const out = unaryForward('relu', x);
  // A NaN input passes its gradient through, as PyTorch's threshold_backward does.
  return record(out, 'Relu', [x], (g) => gradFromOutput('relu', g, out));
}

export function sigmoid(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('sigmoid', xf);
  // d σ = σ·(1 − σ), from the saved output.
  return record(out, 'Sigmoid', [xf], (g) => gradFromOutput('sigmoid', g, out));
}

/** Which GELU (`gelu`'s `approximate`, PyTorch's words): exact x·Φ(x), or the tanh approximation. */
export type GeluApproximate = 'none' | 'tanh';

/**
 * Gaussian error linear unit, one fused kernel forward and one backward (PyTorch's `F.gelu`):
 * `approximate: 'none'` (default) is x·Φ(x), `'tanh'` is ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
 * GPT-2's and makemore's `NewGELU`. The backward is computed from the saved input.
 *
 * NOTE: Φ comes from Numerical Recipes' erfc (relative error < 1.2e-7, float32-accurate; PyTorch
 * uses `erf`); on the wasm backend the tanh form runs in float32 lanes, as PyTorch's vectorised
 * kernel does (within float32 tolerance of js), the exact form runs the js kernel.
 *
 * @example
 * ```ts
 * gelu(tensor([1], { dtype: 'float64' })).item(); // ≈ 0.841344746
 * gelu(tensor([1], { dtype: 'float64' }), { approximate: 'tanh' }).item(); // ≈ 0.841191990
 * ```
 */
export function gelu(x: Tensor, options: { approximate?: GeluApproximate } = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new TypeError(
      `gelu: approximate argument must be either none or tanh, got '${approximate}'`,
    );
  }
  if (!isFloating(x.dtype)) {
    throw new DTypeError(`"GeluKernelImpl" not implemented for '${x.dtype}' (use a float tensor)`);
  }
  const op = approximate === 'tanh' ? 'geluTanh' : 'gelu';
  const out = unaryForward(op, x);
  return record(out, 'Gelu', [x], (g) => {
    const dx = allocate(g.dtype, out.storage.length);
    getBackend().unaryBackward(op, g.data, x.data, dx, dx.length);
    return [new Tensor(dx, out.shape)];
  });
}

export function sqrt(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('sqrt', xf);
  return record(out, 'Sqrt', [xf], (g) => [div(g, mul(out, 2))]);
}

/** |x|. NOTE: the gradient at 0 is 0 (sign(0) = 0), as in PyTorch. */
export function abs(x: Tensor): Tensor {
  const out = unaryForward('abs', x);
  return record(out, 'Abs', [x], (g) => [mul(g, unaryForward('sign', x))]);
}

export function square(x: Tensor): Tensor {
  const out = unaryForward('square', x);
  // PyTorch computes square as pow(x, 2), so its grad_fn prints as PowBackward0.
  return record(out, 'Pow', [x], (g) => [mul(g, mul(x, 2))]);
}

// ---- binary -----------------------------------------------------------------------------------

function binaryForward(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = shapesEqual(a.shape, b.shape) ? [...a.shape] : broadcastShapes(a.shape, b.shape);
  const out = allocate(dtype, numel(shape));
  getBackend().binaryStrided(
    op,
    a.storage,
    a.offset,
    broadcastStrides(a.shape, a.strides, shape),
    b.storage,
    b.offset,
    broadcastStrides(b.shape, b.strides, shape),
    out,
    shape,
  );
  return new Tensor(out, shape);
}

function operands(a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError('expected at least one Tensor operand');
  }
  const ta = a instanceof Tensor ? a : asTensor(a, b as Tensor);
  const tb = b instanceof Tensor ? b : asTensor(b, ta);
  return [ta, tb, resultType(ta, tb, !(a instanceof Tensor), !(b instanceof Tensor))];
}

function toType(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : cast(x, dtype);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands(a, b);
  const out = binaryForward('add', ta, tb, dtype);
  return record(out, 'Add', [ta, tb], (g) => [sumTo(g, ta.shape), sumTo(g, tb.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands(a, b);
  const out = binaryForward('sub', ta, tb, dtype);
  return record(out, 'Sub', [ta, tb], (g) => [
    sumTo(g, ta.shape),
    tb.requiresGrad ? sumTo(neg(g), tb.shape) : null,
  ]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands(a, b);
  const out = binaryForward('mul', ta, tb, dtype);
  return record(out, 'Mul', [ta, tb], (g) => [
    ta.requiresGrad ? sumTo(mul(g, tb), ta.shape) : null,
    tb.requiresGrad ? sumTo(mul(g, ta), tb.shape) : null,
  ]);
}

/** True division: integer inputs give a float result, as in PyTorch. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta0, tb0, dtype0] = operands(a, b);
  const dtype = isFloating(dtype0) ? dtype0 : 'float32';
  const ta = toType(ta0, isFloating(ta0.dtype) ? ta0.dtype : dtype);
  const tb = toType(tb0, isFloating(tb0.dtype) ? tb0.dtype : dtype);
  const out = binaryForward('div', ta, tb, dtype);
  return record(out, 'Div', [ta, tb], (g) => [
    ta.requiresGrad ? sumTo(div(g, tb), ta.shape) : null,
    tb.requiresGrad ? sumTo(neg(mul(g, div(out, tb))), tb.shape) : null,
  ]);
}

/**
 * a^b. NOTE: as in PyTorch, an int tensor to a negative int power is an error, d/da is 0 where b = 0
 * (not 0 · 0^-1 = NaN) and d/db is 0 where a = 0 and b ≥ 0 (not a^b · ln 0 = NaN).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands(a, b);
  if (!isFloating(dtype) && tb.data.some((v: number) => v < 0)) {
    throw new DTypeError('Integers to negative integer powers are not allowed.');
  }
  const out = binaryForward('pow', ta, tb, dtype);
  return record(out, 'Pow', [ta, tb], (g) => {
    return [
      // d/da a^b = b · a^(b-1), masked where b == 0
      ta.requiresGrad
        ? sumTo(mul(g, zeroWhere(mul(tb, pow(ta, sub(tb, 1))), compare('eq', tb, 0))), ta.shape)
        : null,
      // d/db a^b = a^b · ln a, masked where a == 0 and b >= 0
      tb.requiresGrad
        ? sumTo(
            mul(g, zeroWhere(mul(out, log(ta)), mul(compare('eq', ta, 0), compare('ge', tb, 0)))),
            tb.shape,
          )
        : null,
    ];
  });
}

/** `value` with zeros where `mask` (broadcast to value's shape) is set: PyTorch's
 * `masked_fill_(mask, 0)`, which unlike multiplying by 0 also clears NaN and ±inf. */
function zeroWhere(value: Tensor, mask: Tensor): Tensor {
  const backend = getBackend();
  const v = allocate(value.dtype, value.numel());
  backend.gatherStrided(value.storage, value.offset, value.strides, value.shape, v);
  const m = new Int32Array(v.length);
  backend.gatherStrided(
    mask.storage,
    mask.offset,
    broadcastStrides(mask.shape, mask.strides, value.shape),
    value.shape,
    m,
  );
  backend.maskedFill(v, m, v.length, 0);
  return new Tensor(v, value.shape);
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands(a, b);
  const out = binaryForward(op, ta, tb, dtype);
  return record(out, op === 'maximum' ? 'Maximum' : 'Minimum', [ta, tb], (g) => {
    // NOTE: at ties the gradient is split evenly between the inputs, as in PyTorch.
    const aWins = binaryForward(op === 'maximum' ? 'gt' : 'lt', ta, tb, g.dtype);
    const tie = binaryForward('eq', ta, tb, g.dtype);
    const aShare = add(aWins, mul(tie, 0.5));
    const bShare = sub(1, aShare);
    return [
      ta.requiresGrad ? sumTo(mul(g, aShare), ta.shape) : null,
      tb.requiresGrad ? sumTo(mul(g, bShare), tb.shape) : null,
    ];
  });
}

export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('maximum', a, b);
}

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('minimum', a, b);
}

/**
 * Limits each element to [min, max] (either bound may be null). Gradient 1 inside (bounds included),
 * 0 where clamped. NOTE: with min > max every element becomes max, as in PyTorch.
 */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  if (min === null && max === null) {
    throw new RangeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  // An int tensor clamped to a fractional bound becomes float32, as in PyTorch.
  const fractional =
    (min !== null && !Number.isInteger(min)) || (max !== null && !Number.isInteger(max));
  const dtype = !isFloating(x.dtype) && fractional ? 'float32' : x.dtype;
  const src = x.data;
  const out = allocate(dtype, src.length);
  const lo = min ?? Number.NEGATIVE_INFINITY;
  const hi = max ?? Number.POSITIVE_INFINITY;
  // NaN stays NaN through Math.min/max, as in PyTorch.
  getBackend().clamp(src, out, src.length, lo, hi);
  const result = new Tensor(out, x.shape);
  return record(result, 'Clamp', [x], (g) => {
    const gd = g.data;
    const r = allocate(g.dtype, gd.length);
    getBackend().clampBackward(src, gd, r, gd.length, lo, hi);
    return [new Tensor(r, x.shape)];
  });
}

/** Comparison ops return masks of 0/1 in int32 (PyTorch returns bool; there is no bool dtype here). */
export function compare(
  op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge',
  a: TensorLike,
  b: TensorLike,
): Tensor {
  const [ta, tb] = operands(a, b);
  return binaryForward(op, ta, tb, 'int32');
}

/**
 * In-place update used by `copy_`, `fill_`, `add_`, …: target = op(target, alpha·source), with
 * `source` broadcast to the target's shape. Works on strided targets. No graph is recorded.
 */
export function assignInPlace(
  target: Tensor,
  source: TensorLike,
  op: 'add' | 'mul' | 'div' | null,
  alpha = 1,
): void {
  const src = source instanceof Tensor ? source : asTensor(source, target);
  if (!isFloating(target.dtype) && (isFloating(src.dtype) || op === 'div') && op !== null) {
    // True division of ints is float (as in `div`), which an int tensor cannot hold.
    const result = isFloating(src.dtype) ? src.dtype : 'float32';
    throw new DTypeError(
      `result type ${result} can't be cast to the desired output type ${target.dtype}`,
    );
  }
  const backend = getBackend();
  const shape = target.shape;
  const n = numel(shape);
  const targetContiguous = target.isContiguous();
  // Fast path (optimizer updates): both contiguous, same shape, float target.
  if (
    targetContiguous &&
    op !== 'div' &&
    isFloating(target.dtype) &&
    src.isContiguous() &&
    shapesEqual(src.shape, shape)
  ) {
    backend.update(
      op ?? 'assign',
      target.storage,
      target.offset,
      src.storage,
      src.offset,
      n,
      alpha,
    );
    return;
  }
  // Read the source broadcast to the target's shape, scaled by alpha.
  let values = allocate(target.dtype === 'int32' ? 'float64' : target.dtype, n);
  if (!shapesEqual(broadcastShapes(shape, src.shape), shape)) {
    throw new RangeError(
      `output with shape [${shape.join(', ')}] doesn't match the broadcast shape [${broadcastShapes(shape, src.shape).join(', ')}]`,
    );
  }
  backend.gatherStrided(
    src.storage,
    src.offset,
    broadcastStrides(src.shape, src.strides, shape),
    shape,
    values,
  );
  // values = alpha · values (in place: the kernel reads v[i] before writing t[i]).
  if (alpha !== 1) backend.update('assign', values, 0, values, 0, n, alpha);
  if (op !== null) {
    const current = allocate(values instanceof Float64Array ? 'float64' : target.dtype, n);
    backend.gatherStrided(target.storage, target.offset, target.strides, shape, current);
    backend.update(op, current, 0, values, 0, n, 1);
    values = current;
  }
  if (targetContiguous) {
    // cast truncates toward zero into an int32 target, as the in-place ops of PyTorch do.
    backend.cast(values, 0, target.storage.subarray(target.offset, target.offset + n), n);
  } else {
    backend.scatterStrided(values, target.storage, target.offset, target.strides, shape);
  }
}

export type { Shape };
