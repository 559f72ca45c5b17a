import { Generator } from '@llm-playground/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { randn } from '../random.js';
import { assertGradcheck, expectClose } from '../testing/index.js';

const r = (shape: number[], seed = 3) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('reductions', () => {
  const x = tensor(
    [
      [1, 5, 3],
      [4, 2, 6],
    ],
    { dtype: 'float32' },
  );

  it('sum / mean over dims with keepdim', () => {
    expect(x.sum().item()).toBe(21);
    expectClose(x.sum(0), [5, 7, 9]);
    expectClose(x.sum(1), [9, 12]);
    expect(x.sum(1, { keepdim: true }).shape).toEqual([2, 1]);
    expect(x.sum([0, 1]).shape).toEqual([]);
    expect(x.sum(-1).shape).toEqual([2]);
    expectClose(x.mean(0), [2.5, 3.5, 4.5]);
    expect(x.mean().item()).toBe(3.5);
  });

  it('max / min with values and indices, argmax', () => {
    const m = x.max(1);
    expectClose(m.values, [5, 6]);
    expect(Array.from(m.indices.data)).toEqual([1, 2]);
    expect(x.max().item()).toBe(6);
    expect(x.min().item()).toBe(1);
    expect(Array.from(x.min(0).indices.data)).toEqual([0, 1, 0]);
    expect(x.argmax().item()).toBe(5);
    expect(Array.from(x.argmax(1).data)).toEqual([1, 2]);
    expect(x.argmax(1, { keepdim: true }).shape).toEqual([2, 1]);
    expectClose(x.amax(0), [4, 5, 6]);
  });

  it('var / std, unbiased and not', () => {
    const v = tensor([1, 2, 3, 4], { dtype: 'float64' });
    expectClose(v.var(), [5 / 3]);
    expectClose(v.var(0, { unbiased: false }), [1.25]);
    expectClose(v.std(0, { correction: 0 }), [Math.sqrt(1.25)]);
  });

  it('logsumexp is stable', () => {
    const big = tensor(
      [
        [1000, 1000],
        [-1000, -1000],
      ],
      { dtype: 'float64' },
    );
    expectClose(big.logsumexp(1), [1000 + Math.log(2), -1000 + Math.log(2)]);
  });

  it('errors name the dimension', () => {
    expect(() => x.sum(2)).toThrow(
      'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    );
  });

  it('gradients', () => {
    assertGradcheck((a) => a.sum(), [r([3, 4])]);
    assertGradcheck((a) => a.sum(1), [r([3, 4])]);
    assertGradcheck((a) => a.sum([0, 2], { keepdim: true }), [r([2, 3, 4])]);
    assertGradcheck((a) => a.mean(0), [r([3, 4])]);
    assertGradcheck((a) => a.max(1).values, [r([3, 4])]);
    assertGradcheck((a) => a.min(0, { keepdim: true }).values, [r([3, 4])]);
    assertGradcheck((a) => a.amax([0, 1]), [r([3, 4])]);
    assertGradcheck((a) => a.var(1), [r([3, 4])]);
    assertGradcheck((a) => a.std(0, { unbiased: false }), [r([3, 4])]);
    assertGradcheck((a) => a.logsumexp(1), [r([3, 4])]);
    assertGradcheck((a) => a.logsumexp([0, 1], { keepdim: true }), [r([3, 4])]);
  });

  it('sum matches a naive reference for random shapes and dims (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        (shape, pick, keepdim) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const t = arange(n).float().reshape(shape);
          const dim = pick % shape.length;
          const out = t.sum(dim, { keepdim });
          // Naive: walk every element, drop its coordinate along `dim`.
          const outShape = shape.filter((_, i) => i !== dim);
          const expected = new Array(outShape.reduce((a, b) => a * b, 1)).fill(0);
          for (let flat = 0; flat < n; flat++) {
            let rem = flat;
            const coord: number[] = [];
            for (let i = shape.length - 1; i >= 0; i--) {
              coord.unshift(rem % shape[i]);
              rem = Math.floor(rem / shape[i]);
            }
            const kept = coord.filter((_, i) => i !== dim);
            let o = 0;
            for (let i = 0; i < kept.length; i++) o = o * outShape[i] + kept[i];
            expected[o] += flat;
          }
          expect(out.shape).toEqual(keepdim ? shape.map((s, i) => (i === dim ? 1 : s)) : outShape);
          expectClose(out, expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
