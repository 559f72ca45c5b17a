import { toValue, type Value, type ValueLike } from '@llm-playground/core';
import { maxData } from './checks.js';

/**
 * `exp(x_j) / Σ_k exp(x_k)` for one row of logits (PyTorch's `F.softmax` over the last dim),
 * stable: `exp(x_j − m)` with `m` the row's largest value (a constant), which cancels in the ratio.
 *
 * @example
 * ```ts
 * console.log(softmax([0, Math.log(3)]).map((p) => p.data.toFixed(2)).join(' ')); // 0.25 0.75
 * ```
 */
export function softmax(logits: readonly ValueLike[]): Value[] {
  if (logits.length === 0) throw new RangeError("Argument 'logits' passed to 'softmax' is empty");
  const m = maxData(logits);
  const exps = logits.map((x) => toValue(x).add(-m).exp());
  let total = exps[0];
  for (let j = 1; j < exps.length; j++) total = total.add(exps[j]);
  const inverse = total.pow(-1); // one reciprocal node shared by every output
  return exps.map((e) => e.mul(inverse));
}
