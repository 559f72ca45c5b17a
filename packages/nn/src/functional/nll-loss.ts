/**
 * Negative log-likelihood of class indices given log-probabilities, fused like `crossEntropy`:
 *   lossᵢ = −x_it,   ∂lossᵢ/∂x_ic = −[c = t] (÷ count for 'mean'); ignored rows contribute nothing.
 */
import { replayEagerly, type Tensor, Tensor as TensorClass, zeros } from '@llm-playground/tensor';
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
  const dtype = logProbs.dtype;
  const rows = logProbs.ndim === 2 ? logProbs.shape[0] : 1;
  const C = logProbs.shape[logProbs.ndim - 1] ?? 1;
  const make = (n: number) => zeros([n], { dtype }).storage as Float32Array | Float64Array;
  const perRow = reduction === 'none' ? make(rows) : null;
  const value = perRow ? null : make(1);
  let count = 0;
  // JavaScript loops over the values and targets: eager islands, re-run by captured-step replays.
  replayEagerly(() => {
    const { x, y } = classProblem(logProbs, target, ignoreIndex, op);
    let total = 0;
    count = 0;
    for (let i = 0; i < rows; i++) {
      const t = y[i];
      if (t === ignoreIndex) continue;
      const loss = -x[i * C + t];
      if (perRow) perRow[i] = loss;
      total += loss;
      count++;
    }
    if (value) value[0] = reduction === 'mean' ? total / count : total;
  });
  const out = perRow
    ? new TensorClass(perRow, logProbs.ndim === 2 ? [rows] : [])
    : new TensorClass(value as Float32Array, []);
  return customOp(out, 'NllLoss', [logProbs], (grad) => {
    const g = grad.contiguous().data;
    const dx = make(rows * C);
    replayEagerly(() => {
      const y = target.data as Int32Array;
      dx.fill(0);
      for (let i = 0; i < rows; i++) {
        const t = y[i];
        if (t === ignoreIndex) continue;
        dx[i * C + t] = -(perRow ? g[i] : reduction === 'mean' ? g[0] / count : g[0]);
      }
    });
    return [new TensorClass(dx, logProbs.shape)];
  });
}
