/**
 * Negative log-likelihood of class indices given log-probabilities, fused like `crossEntropy`:
 *   lossᵢ = −x_it,   ∂lossᵢ/∂x_ic = −[c = t] (÷ count for 'mean'); ignored rows contribute nothing.
 */
import { type Tensor, Tensor as TensorClass } from '@llm-playground/tensor';
import { customOp } from '../custom-op.js';
import { classProblem } from './class-targets.js';
import { checkReduction, type Reduction } from './reduction.js';

/**
 * PyTorch's `F.nll_loss(logProbs, target)`: `−logProbs[i, target[i]]`, averaged over the rows whose
 * target is not `ignoreIndex` (default −100). `crossEntropy(x, t)` equals `nllLoss(logSoftmax(x), t)`.
 *
 * @example
 * ```ts
 * const logProbs = tensor([[-0.5, -1.5], [-2, -0.2]], { dtype: 'float64' });
 * nllLoss(logProbs, tensor([0, 1])).item(); // ≈ 0.35
 * nllLoss(logProbs, tensor([0, -100])).item(); // 0.5
 * nllLoss(logProbs, tensor([0, 1]), { reduction: 'none' }).tolist(); // [0.5, 0.2]
 * ```
 */
export function nllLoss(
  logProbs: Tensor,
  target: Tensor,
  options: { ignoreIndex?: number; reduction?: Reduction } = {},
): Tensor {
  const op = 'nllLoss';
  const ignoreIndex = options.ignoreIndex ?? -100;
  const reduction = checkReduction(options.reduction ?? 'mean', op);
  const { rows, classes: C, x, y } = classProblem(logProbs, target, ignoreIndex, op);
  const make = (n: number) =>
    x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  const perRow = reduction === 'none' ? make(rows) : null;
  let total = 0;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const t = y[i];
    if (t === ignoreIndex) continue;
    const loss = -x[i * C + t];
    if (perRow) perRow[i] = loss;
    total += loss;
    count++;
  }
  let out: Tensor;
  if (perRow) out = new TensorClass(perRow, logProbs.ndim === 2 ? [rows] : []);
  else {
    const value = make(1);
    value[0] = reduction === 'mean' ? total / count : total;
    out = new TensorClass(value, []);
  }
  return customOp(out, 'NllLoss', [logProbs], (grad) => {
    const g = grad.data;
    const dx = make(rows * C);
    for (let i = 0; i < rows; i++) {
      const t = y[i];
      if (t === ignoreIndex) continue;
      dx[i * C + t] = -(perRow ? g[i] : reduction === 'mean' ? g[0] / count : g[0]);
    }
    return [new TensorClass(dx, logProbs.shape)];
  });
}
