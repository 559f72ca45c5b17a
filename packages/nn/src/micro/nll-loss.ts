import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import {
  checkReduction,
  checkRows,
  checkSameLength,
  checkTargets,
  type Reduction,
} from './checks.js';

/**
 * Negative log-likelihood of class indices under rows of log-probabilities (PyTorch's
 * `F.nll_loss`): `−mean(logProbs[i][targets[i]])`. `nllLoss(logSoftmax(x), t)` equals
 * `crossEntropy(x, t)`. Only the picked entries receive a gradient (−1/n each for `'mean'`).
 *
 * @example
 * ```ts
 * const logProbs = [[Math.log(0.5), Math.log(0.5)], [Math.log(0.25), Math.log(0.75)]];
 * console.log(nllLoss(logProbs, [0, 1]).data.toFixed(6)); // 0.490415  (−(log 0.5 + log 0.75)/2)
 * ```
 */
export function nllLoss(
  logProbs: readonly (readonly ValueLike[])[],
  targets: readonly number[],
  options: { reduction?: Reduction } = {},
): Value {
  const reduction = options.reduction ?? 'mean';
  checkReduction('nllLoss', reduction);
  const numClasses = checkRows('nllLoss', 'logProbs', logProbs);
  checkSameLength('nllLoss', 'logProbs', logProbs, 'targets', targets);
  checkTargets('nllLoss', targets, numClasses);
  let total = toValue(logProbs[0][targets[0]]);
  for (let i = 1; i < logProbs.length; i++) total = total.add(logProbs[i][targets[i]]);
  return total.mul(reduction === 'mean' ? -1 / logProbs.length : -1);
}
