import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { record } from '../ops/record.js';
import { Tensor } from '../tensor.js';
import { assertGradcheck, expectClose, gradcheck } from './index.js';

describe('testing helpers', () => {
  it('expectClose passes within tolerance and names the first mismatch', () => {
    expectClose(tensor([0.1 + 0.2], { dtype: 'float64' }), [0.3]);
    expect(() => expectClose([1, 2, 3], [1, 2.5, 3])).toThrow(
      'element 1 differs: actual 2, expected 2.5',
    );
    expect(() => expectClose(tensor([1, 2]), tensor([[1, 2]]))).toThrow('shape mismatch');
  });

  it('gradcheck catches a wrong backward', () => {
    // x² with a deliberately wrong derivative (x instead of 2x).
    const badSquare = (x: Tensor) => {
      const out = new Tensor(
        Float64Array.from(x.data, (v) => v * v),
        x.shape,
      );
      return record(out, 'BadSquare', [x], (g) => [g.mul(x)]);
    };
    const x = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
    const report = gradcheck(badSquare, [x]);
    expect(report.ok).toBe(false);
    expect(report.maxAbsError).toBeGreaterThan(1);
    expect(report.worst?.input).toBe(0);
    expect(() => assertGradcheck(badSquare, [x])).toThrow('gradcheck failed');
    expect(gradcheck((t) => t.square(), [x]).ok).toBe(true);
  });
});
