/**
 * Cross-entropy from logits as ONE fused op: the training hot path of every classifier here.
 *
 * Forward, per row i with target t (stable: the row maximum m is subtracted before exp):
 *   lseᵢ = m + log Σ_c exp(x_ic − m),   nllᵢ = lseᵢ − x_it
 *   with label smoothing ε (PyTorch's formula: the target distribution is (1 − ε)·onehot + ε/C):
 *   lossᵢ = (1 − ε)·nllᵢ + ε·(lseᵢ − mean_c x_ic)
 * Rows whose target is `ignoreIndex` contribute nothing, and 'mean' divides by the rows that count.
 *
 * Backward, in closed form (no softmax or one-hot tensor is built):
 *   ∂lossᵢ/∂x_ic = softmax(xᵢ)_c − (1 − ε)·[c = t] − ε/C,   times dℓ (÷ count for 'mean').
 * The forward keeps exp(x − m) and 1/Σexp, so the backward needs no second exp.
 */
import { DTypeError, type Tensor, Tensor as TensorClass } from '@llm-playground/tensor';
import { customOp } from '../custom-op.js';
import { ConfigError } from '../errors.js';
import { classProblem } from './class-targets.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface CrossEntropyOptions {
  /** Target value whose rows are skipped (default −100, PyTorch's). */
  ignoreIndex?: number;
  /** 'mean' (default) over non-ignored rows, 'sum', or 'none' (one loss per row). */
  reduction?: Reduction;
  /** ε in [0, 1]: mix the one-hot target with the uniform distribution (default 0). */
  labelSmoothing?: number;
}

function allocateLike(x: Float32Array | Float64Array, n: number): Float32Array | Float64Array {
  return x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * PyTorch's `F.cross_entropy(logits, target)`: the negative log-likelihood of `target` under
 * softmax(`logits`). `logits` is `[N, C]` (or `[C]` with a 0-d target), `target` holds int32 class
 * indices. Stable for any logits, with a fused closed-form backward.
 * NOTE: unlike PyTorch, class-probability targets and per-class `weight` are not supported.
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]], { dtype: 'float64', requiresGrad: true });
 * const loss = crossEntropy(logits, tensor([0, 1]));
 * loss.item(); // ≈ 0.3185397696
 * loss.backward();
 * logits.grad.sum(1).tolist(); // ≈ [0, 0]
 * crossEntropy(tensor([[1000, 0, -1000]], { dtype: 'float32' }), tensor([2])).item(); // 2000
 * crossEntropy(logits, tensor([0, 30])); // throws IndexError
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'crossEntropy';
  const ignoreIndex = options.ignoreIndex ?? -100;
  const reduction = checkReduction(options.reduction ?? 'mean', op);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) {
    throw new ConfigError(`${op}: label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  }
  if (logits.dtype === 'int32') throw new DTypeError(`${op}: expected float logits, got int32`);
  const { rows, classes: C, x, y } = classProblem(logits, target, ignoreIndex, op);

  // ---- forward: one pass per row (max, then exp and Σexp, Σx), keeping exp(x − m) and 1/Σexp ----
  const expShifted = allocateLike(x, rows * C); // the softmax numerators, reused by the backward
  const inverseSum = new Float64Array(rows);
  const perRow = reduction === 'none' ? allocateLike(x, rows) : null;
  let total = 0;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const t = y[i];
    if (t === ignoreIndex) continue;
    const base = i * C;
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) if (x[base + c] > m) m = x[base + c];
    if (m === Number.NEGATIVE_INFINITY) m = 0; // a row of −∞: keep exp finite, the loss is +∞ or NaN
    let sumExp = 0;
    let sumX = 0;
    for (let c = 0; c < C; c++) {
      const v = x[base + c];
      const e = Math.exp(v - m);
      expShifted[base + c] = e;
      sumExp += e;
      sumX += v;
    }
    inverseSum[i] = 1 / sumExp;
    const lse = m + Math.log(sumExp);
    let loss = lse - x[base + t];
    if (eps > 0) loss = (1 - eps) * loss + eps * (lse - sumX / C);
    if (perRow) perRow[i] = loss;
    total += loss;
    count++;
  }
  let out: Tensor;
  if (perRow) out = new TensorClass(perRow, logits.ndim === 2 ? [rows] : []);
  else {
    const value = allocateLike(x, 1);
    value[0] = reduction === 'mean' ? total / count : total; // all rows ignored: 0/0 = NaN, as PyTorch
    out = new TensorClass(value, []);
  }

  // ---- backward: dx = (softmax − (1 − ε)·onehot − ε/C) · dℓ, one pass ----
  return customOp(out, 'CrossEntropy', [logits], (grad) => {
    const g = grad.data;
    const dx = allocateLike(x, rows * C);
    const offValue = eps / C;
    const onValue = 1 - eps;
    for (let i = 0; i < rows; i++) {
      const t = y[i];
      if (t === ignoreIndex) continue;
      const scale = perRow ? g[i] : reduction === 'mean' ? g[0] / count : g[0];
      const base = i * C;
      const inv = inverseSum[i];
      for (let c = 0; c < C; c++) dx[base + c] = scale * (expShifted[base + c] * inv - offValue);
      dx[base + t] -= scale * onValue;
    }
    return [new TensorClass(dx, logits.shape)];
  });
}
