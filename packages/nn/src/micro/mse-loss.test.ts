import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { mseLoss } from './mse-loss.js';

describe('mseLoss', () => {
  it('is the mean (or sum) of squared differences', () => {
    expect(mseLoss([1, 2, 3], [1, 0, 0]).data).toBeCloseTo(13 / 3, 15);
    expect(mseLoss([1, 2, 3], [1, 0, 0], { reduction: 'sum' }).data).toBe(13);
    expect(mseLoss([1, 2, 3], [1, 0, 0]).data).toBe(4.333333333333333); // documented example
  });

  it('has gradient 2(p − t)/n, checked against central differences', () => {
    const p = [new Value(0.5), new Value(-1)];
    mseLoss(p, [1, 1]).backward();
    expect(p.map((v) => v.grad)).toEqual([(2 * (0.5 - 1)) / 2, (2 * (-1 - 1)) / 2]);
    const targets = [0.3, -0.2, 1.1];
    for (const reduction of ['mean', 'sum'] as const) {
      const check = gradcheck((xs) => mseLoss(xs, targets, { reduction }), [0.5, 0.1, -2]);
      expect(check.ok).toBe(true);
      expect(check.maxAbsError).toBeLessThan(1e-8);
    }
  });

  it('rejects mismatched lengths and bad reductions', () => {
    expect(() => mseLoss([1, 2], [1])).toThrow(
      "mseLoss: 'predictions' and 'targets' must have the same length, got predictions.length=2 and targets.length=1",
    );
    expect(() => mseLoss([], [])).toThrow("mseLoss: 'predictions' must not be empty");
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad call from JavaScript
    expect(() => mseLoss([1], [1], { reduction: 'none' as any })).toThrow(
      "Argument 'reduction' passed to 'mseLoss' must be 'mean' or 'sum', got none",
    );
  });
});
