import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { l2Regularization } from './l2-regularization.js';

describe('l2Regularization', () => {
  it('is alpha · Σ p² with gradient 2·alpha·p', () => {
    const params = [new Value(3), new Value(-4)];
    const penalty = l2Regularization(params, 0.01);
    expect(penalty.data).toBe(0.25);
    penalty.backward();
    expect(params[0].grad).toBeCloseTo(0.06, 15);
    expect(params[1].grad).toBeCloseTo(-0.08, 15);
    const check = gradcheck((xs) => l2Regularization(xs, 1e-4), [0.3, -0.8, 1.5]);
    expect(check.ok).toBe(true);
    expect(l2Regularization([], 1).data).toBe(0);
  });

  it('rejects a non-finite alpha', () => {
    expect(() => l2Regularization([], Number.POSITIVE_INFINITY)).toThrow(
      "Argument 'alpha' passed to 'l2Regularization' must be a finite number, got Infinity",
    );
  });
});
