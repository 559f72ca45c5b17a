/**
 * Elementwise ops with PyTorch broadcasting. Each differentiable op states its backward beside its
 * forward; broadcast inputs get their gradient summed back to their own shape (`sumTo`).
 */
import { allocate, type DType, isFloating, promoteTypes, type TypedArray } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { type BinaryOp, jsBackend, type UnaryOp } from '../kernels/backend.js';
import { broadcastShapes, broadcastStrides, numel, type Shape, shapesEqual } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { record } from './record.js';
import { sumTo } from './reduce.js';

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
  const src = x.data;
  if (dtype === 'int32' && isFloating(x.dtype)) {
    for (let i = 0; i < out.length; i++) out[i] = Math.trunc(src[i]);
  } else out.set(src);
  const result = new Tensor(out, x.shape);
  if (!isFloating(dtype)) return result;
  return record(result, 'ToCopy', [x], (g) => [isFloating(x.dtype) ? cast(g, x.dtype) : null]);
}

// ---- unary ------------------------------------------------------------------------------------

function unaryForward(op: UnaryOp, x: Tensor, dtype: DType = x.dtype): Tensor {
  const src = x.isContiguous() ? x : x.contiguous();
  const out = allocate(dtype, src.numel());
  jsBackend.unaryContiguous(op, src.storage, src.offset, out, out.length);
  return new Tensor(out, x.shape);
}

/**
 * A backward computed in one fused pass from the incoming gradient `dy` and the op's saved output `y`
 * (PyTorch's tanh_backward, sigmoid_backward, threshold_backward): `fill` writes dx over all elements.
 */
function gradFromOutput(
  g: Tensor,
  out: Tensor,
  fill: (dx: TypedArray, dy: TypedArray, y: TypedArray) => void,
): Tensor[] {
  const dx = allocate(g.dtype, out.storage.length);
  fill(dx, g.data, out.storage);
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
  return record(out, 'Tanh', [xf], (g) =>
    gradFromOutput(g, out, (dx, dy, y) => {
      for (let i = 0; i < y.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
    }),
  );
}

/** max(0, x). NOTE: the gradient at exactly 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  const out = unaryForward('relu', x);
  return record(out, 'Relu', [x], (g) =>
    gradFromOutput(g, out, (dx, dy, y) => {
      // `<= 0` rather than `> 0`: a NaN input passes its gradient through, as PyTorch's threshold_backward does.
      for (let i = 0; i < y.length; i++) dx[i] = y[i] <= 0 ? 0 : dy[i];
    }),
  );
}

export function sigmoid(x: Tensor): Tensor {
  const xf = floatInput(x);
  const out = unaryForward('sigmoid', xf);
  // d σ = σ·(1 − σ), from the saved output.
  return record(out, 'Sigmoid', [xf], (g) =>
    gradFromOutput(g, out, (dx, dy, y) => {
      for (let i = 0; i < y.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
    }),
  );
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
  jsBackend.binaryStrided(
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
  const v = allocate(value.dtype, value.numel());
  jsBackend.gatherStrided(value.storage, value.offset, value.strides, value.shape, v);
  const m = new Int32Array(v.length);
  jsBackend.gatherStrided(
    mask.storage,
    mask.offset,
    broadcastStrides(mask.shape, mask.strides, value.shape),
    value.shape,
    m,
  );
  for (let i = 0; i < v.length; i++) if (m[i]) v[i] = 0;
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
  for (let i = 0; i < src.length; i++) out[i] = Math.min(Math.max(src[i], lo), hi);
  const result = new Tensor(out, x.shape);
  return record(result, 'Clamp', [x], (g) => {
    const gd = g.data;
    const r = allocate(g.dtype, gd.length);
    for (let i = 0; i < gd.length; i++) r[i] = src[i] >= lo && src[i] <= hi ? gd[i] : 0;
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
    const t = target.storage;
    const to = target.offset;
    const v = src.storage;
    const so = src.offset;
    if (op === 'add') for (let i = 0; i < n; i++) t[to + i] += alpha * v[so + i];
    else if (op === 'mul') for (let i = 0; i < n; i++) t[to + i] *= alpha * v[so + i];
    else for (let i = 0; i < n; i++) t[to + i] = alpha * v[so + i];
    return;
  }
  // Read the source broadcast to the target's shape, scaled by alpha.
  let values = allocate(target.dtype === 'int32' ? 'float64' : target.dtype, n);
  if (!shapesEqual(broadcastShapes(shape, src.shape), shape)) {
    throw new RangeError(
      `output with shape [${shape.join(', ')}] doesn't match the broadcast shape [${broadcastShapes(shape, src.shape).join(', ')}]`,
    );
  }
  jsBackend.gatherStrided(
    src.storage,
    src.offset,
    broadcastStrides(src.shape, src.strides, shape),
    shape,
    values,
  );
  if (alpha !== 1) for (let i = 0; i < n; i++) values[i] *= alpha;
  if (op !== null) {
    const current = allocate(values instanceof Float64Array ? 'float64' : target.dtype, n);
    jsBackend.gatherStrided(target.storage, target.offset, target.strides, shape, current);
    if (op === 'add') for (let i = 0; i < n; i++) current[i] += values[i];
    else if (op === 'mul') for (let i = 0; i < n; i++) current[i] *= values[i];
    else for (let i = 0; i < n; i++) current[i] /= values[i];
    values = current;
  }
  if (targetContiguous) {
    const base = target.offset;
    const s = target.storage;
    if (target.dtype === 'int32') for (let i = 0; i < n; i++) s[base + i] = Math.trunc(values[i]);
    else s.set(values, base);
  } else {
    jsBackend.scatterStrided(values, target.storage, target.offset, target.strides, shape);
  }
}

export type { Shape };
