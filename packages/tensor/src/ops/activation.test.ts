import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { randn } from '../random.js';
import { assertGradcheck, expectClose } from '../testing/index.js';

const r = (shape: number[], seed = 13) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('softmax / logSoftmax', () => {
  it('rows sum to one and match the closed form', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [1, 1, 1],
      ],
      { dtype: 'float64' },
    );
    const p = x.softmax(1);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(p, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3, 1 / 3, 1 / 3], {
      atol: 1e-12,
    });
    expectClose(x.logSoftmax(1), Array.from(p.data).map(Math.log), { atol: 1e-12 });
    expectClose(x.softmax(0).sum(0), [1, 1, 1]);
  });

  it('is stable for huge logits', () => {
    const x = tensor([[1000, 0, -1000]], { dtype: 'float64' });
    expectClose(x.softmax(1), [1, 0, 0]);
    expectClose(x.logSoftmax(1), [0, -1000, -2000]);
    expect(
      Number.isFinite(tensor([[-Infinity, 0]], { dtype: 'float64' }).logSoftmax(1).data[1]),
    ).toBe(true);
  });

  it('gradients along any dim', () => {
    assertGradcheck((a) => a.softmax(1), [r([3, 5])]);
    assertGradcheck((a) => a.softmax(0), [r([3, 5])]);
    assertGradcheck((a) => a.logSoftmax(-1), [r([2, 3, 4])]);
    assertGradcheck((a) => a.logSoftmax(1), [r([2, 3, 4])]);
  });
});
