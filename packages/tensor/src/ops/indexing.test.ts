import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { randn } from '../random.js';
import { assertGradcheck, expectClose } from '../testing/index.js';

const r = (shape: number[], seed = 9) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('indexing', () => {
  const C = arange(12).float().view(4, 3);

  it('C[Xb]: embedding lookup for any index shape', () => {
    const X = tensor([
      [0, 1, 1],
      [3, 0, 2],
    ]);
    const emb = C.index(X);
    expect(emb.shape).toEqual([2, 3, 3]);
    expect(emb.tolist()).toEqual([
      [
        [0, 1, 2],
        [3, 4, 5],
        [3, 4, 5],
      ],
      [
        [9, 10, 11],
        [0, 1, 2],
        [6, 7, 8],
      ],
    ]);
    expect(C.index(tensor(2)).tolist()).toEqual([6, 7, 8]);
    expect(C.index(tensor([-1])).tolist()).toEqual([[9, 10, 11]]);
  });

  it('the pluck logits[arange(n), ys]', () => {
    const picked = C.index(arange(4), tensor([0, 2, 1, 0]));
    expect(picked.tolist()).toEqual([0, 5, 7, 9]);
  });

  it('indexSelect and gather', () => {
    expect(C.indexSelect(1, [2, 0]).tolist()).toEqual([
      [2, 0],
      [5, 3],
      [8, 6],
      [11, 9],
    ]);
    expect(C.gather(1, tensor([[0], [2], [1], [0]])).tolist()).toEqual([[0], [5], [7], [9]]);
    expect(C.gather(0, tensor([[3, 0, 1]])).tolist()).toEqual([[9, 1, 5]]);
  });

  it('errors in PyTorch words', () => {
    expect(() => C.index(tensor([4]))).toThrow(
      'index 4 is out of bounds for dimension 0 with size 4',
    );
    expect(() => C.index(tensor([1.5], { dtype: 'float32' }))).toThrow(
      'tensors used as indices must be long, byte or bool tensors',
    );
    expect(() => C.index(tensor([0]), tensor([0]), tensor([0]))).toThrow('too many indices');
  });

  it('backward scatter-adds repeated rows', () => {
    const W = r([4, 3]);
    const X = tensor([
      [0, 1, 1],
      [3, 0, 1],
    ]);
    W.index(X).sum().backward();
    // Row k's gradient is the number of times k appears, for every column.
    expectClose(W.grad!, [2, 2, 2, 3, 3, 3, 0, 0, 0, 1, 1, 1]);
    assertGradcheck((w) => w.index(X).tanh(), [r([4, 3])]);
    assertGradcheck((w) => w.index(arange(4), tensor([0, 2, 1, 0])).exp(), [r([4, 3])]);
    assertGradcheck((w) => w.indexSelect(1, [2, 0, 2]).square(), [r([4, 3])]);
    assertGradcheck(
      (w) =>
        w
          .gather(
            1,
            tensor([
              [0, 0],
              [2, 1],
              [1, 1],
              [0, 2],
            ]),
          )
          .exp(),
      [r([4, 3])],
    );
    assertGradcheck((w) => w.T.index(tensor([2, 0])).exp(), [r([4, 3])]);
  });
});
