import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import { maxData } from './checks.js';

/**
 * `x_j − logsumexp(x)` for one row of logits (PyTorch's `F.log_softmax` over the last dim),
 * computed stably: the row's largest value is subtracted as a constant first, so every `exp`
 * argument is ≤ 0.
 *
 * @example
 * ```ts
 * console.log(logSoftmax([0, 0]).map((v) => v.data.toFixed(6)).join(' ')); // -0.693147 -0.693147
 * ```
 */
export function logSoftmax(logits: readonly ValueLike[]): Value[] {
  if (logits.length === 0)
    throw new RangeError("Argument 'logits' passed to 'logSoftmax' is empty");
  const m = maxData(logits);
  const shifted = logits.map((x) => toValue(x).add(-m));
  let sumExp = shifted[0].exp();
  for (let j = 1; j < shifted.length; j++) sumExp = sumExp.add(shifted[j].exp());
  const logSumExp = sumExp.log();
  return shifted.map((x) => x.sub(logSumExp));
}
