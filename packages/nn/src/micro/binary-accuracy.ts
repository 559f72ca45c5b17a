import type { ValueLike } from '@llm-playground/core';
import { checkSameLength, dataOf } from './checks.js';

/**
 * Fraction of samples whose predicted side matches the label: `(score > 0) === (label > 0)`.
 * Works for ±1 labels (micrograd's demo) and 0/1 labels alike. A plain number, not a `Value`.
 *
 * @example
 * ```ts
 * console.log(binaryAccuracy([2, -0.5, 0.1, -3], [1, -1, -1, -1])); // 0.75
 * ```
 */
export function binaryAccuracy(scores: readonly ValueLike[], labels: readonly number[]): number {
  checkSameLength('binaryAccuracy', 'scores', scores, 'labels', labels);
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    if (dataOf(scores[i]) > 0 === labels[i] > 0) correct++;
  }
  return correct / scores.length;
}
