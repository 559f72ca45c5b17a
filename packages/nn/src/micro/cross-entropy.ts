import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import {
  checkReduction,
  checkRows,
  checkSameLength,
  checkTargets,
  maxData,
  type Reduction,
  reduce,
} from './checks.js';

/**
 * Cross-entropy of a batch of logits against class indices, PyTorch's
 * `F.cross_entropy(logits, target)`: per row `logsumexp(row) − row[target]`, then the mean (or sum).
 *
 * Numerically stable: the row's largest logit `m` is subtracted *as a constant* before `exp`, since
 * `logsumexp(x) = m + log Σ exp(x − m)` for any `m`; its gradient is unchanged because `m` cancels
 * (d/dx_j = softmax(x)_j − [j = target]). So logits like `[1000, 0, −1000]` give finite losses and grads.
 *
 * @example
 * ```ts
 * console.log(crossEntropy([[0, 0, 0]], [2]).data.toFixed(6)); // 1.098612  (= log 3)
 * console.log(crossEntropy([[1000, 0, -1000]], [1]).data); // 1000
 * ```
 */
export function crossEntropy(
  logits: readonly (readonly ValueLike[])[],
  targets: readonly number[],
  options: { reduction?: Reduction } = {},
): Value {
  const reduction = options.reduction ?? 'mean';
  checkReduction('crossEntropy', reduction);
  const numClasses = checkRows('crossEntropy', 'logits', logits);
  checkSameLength('crossEntropy', 'logits', logits, 'targets', targets);
  checkTargets('crossEntropy', targets, numClasses);
  const losses = logits.map((row, i) => {
    const m = maxData(row);
    let sumExp = toValue(row[0]).add(-m).exp();
    for (let j = 1; j < row.length; j++) sumExp = sumExp.add(toValue(row[j]).add(-m).exp());
    return sumExp.log().add(m).sub(row[targets[i]]);
  });
  return reduce('crossEntropy', losses, reduction);
}
