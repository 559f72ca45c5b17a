import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import { checkSameLength, type Reduction, reduce } from './checks.js';

/**
 * The SVM "max-margin" (hinge) loss of micrograd's moons demo: `mean(relu(margin − y·s))` over
 * scores `s` and labels `y ∈ {+1, −1}`. A sample costs nothing once its score is on the right side
 * by at least `margin`; otherwise it pushes the score linearly.
 *
 * Builds micrograd's graph: `(1 + -yi*scorei).relu()`, then `sum(losses) * (1 / n)`.
 *
 * @example
 * ```ts
 * // relu(1 − 2) = 0, relu(1 − 0.5) = 0.5, relu(1 + 1) = 2 → mean 2.5 / 3
 * console.log(maxMarginLoss([2, 0.5, 1], [1, 1, -1]).data); // 0.8333333333333333
 * ```
 */
export function maxMarginLoss(
  scores: readonly ValueLike[],
  labels: readonly number[],
  options: { margin?: number; reduction?: Reduction } = {},
): Value {
  checkSameLength('maxMarginLoss', 'scores', scores, 'labels', labels);
  const margin = options.margin ?? 1;
  if (!Number.isFinite(margin)) {
    throw new RangeError(
      `Argument 'margin' passed to 'maxMarginLoss' must be a finite number, got ${margin}`,
    );
  }
  labels.forEach((label, i) => {
    if (label !== 1 && label !== -1) {
      throw new RangeError(
        `Argument 'labels' passed to 'maxMarginLoss' must hold +1 or -1, got ${label} at index ${i} (for 0/1 labels pass y * 2 - 1)`,
      );
    }
  });
  const losses = scores.map((s, i) => toValue(s).mul(-labels[i]).add(margin).relu());
  return reduce('maxMarginLoss', losses, options.reduction ?? 'mean');
}
