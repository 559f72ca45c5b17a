import { tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './cross-entropy.js';
import { nllLoss } from './nll-loss.js';

const X = [
  [1.0, 2.0, 0.5, -1.0],
  [0.3, -0.2, 2.5, 0.0],
  [3.0, 1.0, -2.0, 0.5],
];
const f64 = (requiresGrad = false) => tensor(X, { dtype: 'float64', requiresGrad });

describe('nllLoss', () => {
  it('matches PyTorch (F.nll_loss on raw values)', () => {
    // torch 1.13: nll_loss(X, [1, -100, 3]) = -1.25; nll_loss(X, [1, 0, 3], reduction='sum') = -2.8
    expectClose(nllLoss(f64(), tensor([1, -100, 3])).item(), -1.25, { atol: 1e-12 });
    expectClose(nllLoss(f64(), tensor([1, 0, 3]), { reduction: 'sum' }).item(), -2.8, {
      atol: 1e-12,
    });
    expectClose(nllLoss(f64(), tensor([1, 0, 3]), { reduction: 'none' }), [-2, -0.3, -0.5]);
  });

  it('composed with logSoftmax equals crossEntropy', () => {
    const y = tensor([3, 1, -100]);
    expectClose(nllLoss(f64().logSoftmax(1), y).item(), crossEntropy(f64(), y).item(), {
      atol: 1e-12,
    });
  });

  it('passes gradcheck', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      assertGradcheck((x) => nllLoss(x, tensor([1, -100, 3]), { reduction }), [f64(true)]);
    }
    assertGradcheck(
      (x) => nllLoss(x, tensor(2)),
      [tensor(X[0], { dtype: 'float64', requiresGrad: true })],
    );
  });

  it('checks targets', () => {
    expect(() => nllLoss(f64(), tensor([4, 0, 0]))).toThrow('Target 4 is out of bounds.');
    expect(() => nllLoss(f64(), tensor([[0, 0, 0]]))).toThrow('multi-target not supported');
  });
});
