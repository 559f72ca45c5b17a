import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import { checkSameLength, type Reduction, reduce } from './checks.js';

/**
 * Mean squared error `(1/n) Σ (prediction − target)²` (PyTorch's `F.mse_loss`); with
 * `reduction: 'sum'` the plain sum, as in micrograd's first lecture (`sum((yout - ygt)**2)`).
 *
 * @example
 * ```ts
 * console.log(mseLoss([1, 2, 3], [1, 0, 0]).data); // 4.333333333333333  ((0 + 4 + 9) / 3)
 * console.log(mseLoss([1, 2, 3], [1, 0, 0], { reduction: 'sum' }).data); // 13
 * ```
 */
export function mseLoss(
  predictions: readonly ValueLike[],
  targets: readonly ValueLike[],
  options: { reduction?: Reduction } = {},
): Value {
  checkSameLength('mseLoss', 'predictions', predictions, 'targets', targets);
  const squares = predictions.map((p, i) => {
    const diff = toValue(p).sub(targets[i]);
    return diff.mul(diff);
  });
  return reduce('mseLoss', squares, options.reduction ?? 'mean');
}
