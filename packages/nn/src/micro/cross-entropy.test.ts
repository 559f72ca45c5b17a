import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';

/** −log softmax(row)[t] in plain float64, the textbook way (fine for small logits). */
function closedForm(row: number[], t: number): number {
  return -Math.log(Math.exp(row[t]) / row.reduce((s, x) => s + Math.exp(x), 0));
}

describe('crossEntropy', () => {
  const logits = [
    [1.5, -0.3, 0.2],
    [0.1, 0.1, 2.0],
  ];
  const targets = [0, 1];

  it('is the mean (or sum) of −log softmax(row)[target]', () => {
    const rows = logits.map((row, i) => closedForm(row, targets[i]));
    expect(crossEntropy(logits, targets).data).toBeCloseTo((rows[0] + rows[1]) / 2, 14);
    expect(crossEntropy(logits, targets, { reduction: 'sum' }).data).toBeCloseTo(
      rows[0] + rows[1],
      14,
    );
    expect(crossEntropy([[0, 0, 0]], [2]).data.toFixed(6)).toBe('1.098612'); // log 3
  });

  it('has gradient (softmax − onehot)/n, checked against central differences', () => {
    const row = [new Value(1.5), new Value(-0.3), new Value(0.2)];
    crossEntropy([row], [0]).backward();
    const z = [1.5, -0.3, 0.2].map(Math.exp);
    const total = z[0] + z[1] + z[2];
    expect(row[0].grad).toBeCloseTo(z[0] / total - 1, 14);
    expect(row[1].grad).toBeCloseTo(z[1] / total, 14);
    const check = gradcheck(
      (xs) => crossEntropy([xs.slice(0, 3), xs.slice(3)], [2, 0]),
      [1.5, -0.3, 0.2, 0.1, 0.1, 2.0],
    );
    expect(check.ok).toBe(true);
    expect(check.maxAbsError).toBeLessThan(1e-8);
  });

  it('is stable for huge logits like [1000, 0, −1000]', () => {
    const row = [new Value(1000), new Value(0), new Value(-1000)];
    const loss = crossEntropy([row], [0]);
    expect(loss.data).toBe(0);
    loss.backward();
    expect(row.map((v) => v.grad)).toEqual([0, 0, 0]);
    expect(crossEntropy([[1000, 0, -1000]], [1]).data).toBe(1000);
    const far = [new Value(1000), new Value(0), new Value(-1000)];
    const worst = crossEntropy([far], [2]);
    expect(worst.data).toBe(2000);
    worst.backward();
    expect(far.map((v) => v.grad)).toEqual([1, 0, -1]);
  });

  it('rejects out-of-range targets, ragged rows and length mismatches', () => {
    expect(() => crossEntropy([[1, 2, 3]], [5])).toThrow(
      'crossEntropy: Target 5 is out of bounds for 3 classes',
    );
    expect(() => crossEntropy([[1, 2, 3]], [-1])).toThrow('Target -1 is out of bounds');
    expect(() => crossEntropy([[1, 2, 3]], [0.5])).toThrow('Target 0.5 is out of bounds');
    expect(() => crossEntropy([[1, 2], [3]], [0, 0])).toThrow(
      "crossEntropy: every row of 'logits' must have 2 classes like logits[0], got logits[1].length=1",
    );
    expect(() => crossEntropy([[1, 2]], [0, 1])).toThrow(
      "'logits' and 'targets' must have the same length, got logits.length=1 and targets.length=2",
    );
    expect(() => crossEntropy([], [])).toThrow(
      "Argument 'logits' passed to 'crossEntropy' must be a non-empty array of rows",
    );
  });
});
