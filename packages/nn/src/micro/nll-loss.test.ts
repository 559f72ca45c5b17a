import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';
import { logSoftmax } from './log-softmax.js';
import { nllLoss } from './nll-loss.js';

describe('nllLoss', () => {
  it('is −mean(logProbs[i][targets[i]])', () => {
    const logProbs = [
      [Math.log(0.5), Math.log(0.5)],
      [Math.log(0.25), Math.log(0.75)],
    ];
    const expected = -(Math.log(0.5) + Math.log(0.75)) / 2;
    expect(nllLoss(logProbs, [0, 1]).data).toBeCloseTo(expected, 15);
    expect(nllLoss(logProbs, [0, 1], { reduction: 'sum' }).data).toBeCloseTo(expected * 2, 15);
    expect(nllLoss(logProbs, [0, 1]).data.toFixed(6)).toBe('0.490415'); // documented example
  });

  it('gives −1/n to each picked entry and 0 elsewhere', () => {
    const rows = [
      [new Value(-1), new Value(-2)],
      [new Value(-3), new Value(-4)],
    ];
    nllLoss(rows, [1, 0]).backward();
    expect(rows.map((row) => row.map((v) => v.grad))).toEqual([
      [0, -0.5],
      [-0.5, 0],
    ]);
  });

  it('composed with logSoftmax equals crossEntropy, value and gradient', () => {
    const point = [0.3, -1.2, 2.2, 0.7, 0.0, -0.4];
    const viaNll = (xs: Value[]) =>
      nllLoss([logSoftmax(xs.slice(0, 3)), logSoftmax(xs.slice(3))], [1, 2]);
    const viaCe = (xs: Value[]) => crossEntropy([xs.slice(0, 3), xs.slice(3)], [1, 2]);
    const a = gradcheck(viaNll, point);
    const b = gradcheck(viaCe, point);
    expect(a.ok).toBe(true);
    expect(viaNll(point.map((x) => new Value(x))).data).toBeCloseTo(
      viaCe(point.map((x) => new Value(x))).data,
      14,
    );
    a.analytic.forEach((g, i) => {
      expect(g).toBeCloseTo(b.analytic[i], 14);
    });
  });

  it('rejects out-of-range targets', () => {
    expect(() => nllLoss([[-1, -2, -3]], [3])).toThrow(
      'nllLoss: Target 3 is out of bounds for 3 classes',
    );
    expect(() => nllLoss([[-1]], [0, 0])).toThrow(
      "'logProbs' and 'targets' must have the same length, got logProbs.length=1 and targets.length=2",
    );
  });
});
