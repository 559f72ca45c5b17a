import { Value } from '@llm-playground/core';

/**
 * L2 weight penalty `alpha · Σ p²` (micrograd's `alpha * sum((p*p for p in model.parameters()))`);
 * add it to the data loss. Its gradient is `2·alpha·p`, which pulls every weight toward 0.
 *
 * @example
 * ```ts
 * const params = [new Value(3), new Value(-4)];
 * console.log(l2Regularization(params, 0.01).data); // 0.25  (0.01 · (9 + 16))
 * ```
 */
export function l2Regularization(parameters: readonly Value[], alpha: number): Value {
  if (!Number.isFinite(alpha)) {
    throw new RangeError(
      `Argument 'alpha' passed to 'l2Regularization' must be a finite number, got ${alpha}`,
    );
  }
  if (parameters.length === 0) return new Value(0);
  let total = parameters[0].mul(parameters[0]);
  for (let i = 1; i < parameters.length; i++) total = total.add(parameters[i].mul(parameters[i]));
  return total.mul(alpha);
}
