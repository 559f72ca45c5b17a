import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { maxMarginLoss } from './max-margin-loss.js';

describe('maxMarginLoss', () => {
  it('is mean(relu(margin − y·s))', () => {
    const scores = [2, 0.5, 1, -0.25];
    const labels = [1, 1, -1, -1];
    const closed = (margin: number) =>
      scores.map((s, i) => Math.max(0, margin - labels[i] * s)).reduce((a, b) => a + b, 0);
    expect(maxMarginLoss(scores, labels).data).toBeCloseTo(closed(1) / 4, 15);
    expect(maxMarginLoss(scores, labels, { reduction: 'sum' }).data).toBeCloseTo(closed(1), 15);
    expect(maxMarginLoss(scores, labels, { margin: 0.3 }).data).toBeCloseTo(closed(0.3) / 4, 15);
    expect(maxMarginLoss([2, 0.5, 1], [1, 1, -1]).data).toBe(0.8333333333333333); // documented
  });

  it('has gradient −y/n on samples inside the margin and 0 outside', () => {
    const scores = [new Value(2), new Value(0.5), new Value(1)];
    maxMarginLoss(scores, [1, 1, -1]).backward();
    expect(scores.map((s) => s.grad)).toEqual([0, -1 / 3, 1 / 3]);
    // Away from the kinks (y·s = margin) it matches central differences.
    const check = gradcheck((xs) => maxMarginLoss(xs, [1, -1, 1, -1]), [0.2, 0.4, 1.7, -3]);
    expect(check.ok).toBe(true);
    expect(check.maxAbsError).toBeLessThan(1e-8);
  });

  it('rejects labels that are not ±1 and mismatched lengths', () => {
    expect(() => maxMarginLoss([1, 2], [1, 0])).toThrow(
      "Argument 'labels' passed to 'maxMarginLoss' must hold +1 or -1, got 0 at index 1 (for 0/1 labels pass y * 2 - 1)",
    );
    expect(() => maxMarginLoss([1, 2], [1])).toThrow(
      "'scores' and 'labels' must have the same length, got scores.length=2 and labels.length=1",
    );
    expect(() => maxMarginLoss([1], [1], { margin: Number.NaN })).toThrow(
      "Argument 'margin' passed to 'maxMarginLoss' must be a finite number, got NaN",
    );
  });
});
