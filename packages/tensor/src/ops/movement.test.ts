import { Generator } from '@llm-playground/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { randn } from '../random.js';
import type { Tensor } from '../tensor.js';
import { assertGradcheck, expectClose } from '../testing/index.js';
import { cat, stack } from './movement.js';

const r = (shape: number[], seed = 5) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('shape and movement', () => {
  const x = arange(6).reshape(2, 3);

  it('view / reshape / flatten with -1', () => {
    expect(x.view(3, 2).tolist()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(x.view(-1).shape).toEqual([6]);
    expect(arange(24).view(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(() => x.view(4, -1)).toThrow("shape '[4, -1]' is invalid for input of size 6");
    expect(() => x.T.view(6)).toThrow('view size is not compatible');
    expect(x.T.reshape(6).tolist()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('view of a non-contiguous tensor where the strides allow it (PyTorch computeStride)', () => {
    // The attention's q, k, v: a `split` slice of [B, T, 3C] viewed [B, T, nh, hs], no copy.
    const base = arange(0, 72, 1, { dtype: 'float64', requiresGrad: true });
    const qkv = base.view(2, 3, 12);
    const [, k] = qkv.split(4, 2);
    const heads = k.view(2, 3, 2, 2);
    expect(heads.storage).toBe(qkv.storage);
    expect(heads.strides).toEqual([36, 12, 2, 1]);
    expect(heads.tolist()).toEqual(k.contiguous().view(2, 3, 2, 2).tolist());
    heads
      .mul(arange(0, 24, 1, { dtype: 'float64' }).view(2, 3, 2, 2))
      .sum()
      .backward();
    const grad = base.grad?.view(2, 3, 12).tolist() as number[][][];
    expect(grad[1][2]).toEqual([0, 0, 0, 0, 20, 21, 22, 23, 0, 0, 0, 0]);
    // Merging dims across a gap, splitting a transposed dim: refused as in PyTorch.
    expect(() => k.view(2, 12)).toThrow('view size is not compatible');
    expect(arange(12).view(3, 4).T.view(2, 2, 3).strides).toEqual([2, 1, 4]);
    expect(() => arange(12).view(3, 4).T.view(12)).toThrow('view size is not compatible');
    expect(arange(24).view(2, 3, 4).slice(1, 0, 2).view(2, 2, 2, 2).strides).toEqual([12, 4, 2, 1]);
    expect(arange(6).view(2, 3).T.view(3, 1, 2).strides).toEqual([1, 6, 3]);
  });

  it('transpose / permute / T share storage', () => {
    const t = x.T;
    expect(t.shape).toEqual([3, 2]);
    expect(t.storage).toBe(x.storage);
    expect(t.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(arange(24).view(2, 3, 4).permute(2, 0, 1).shape).toEqual([4, 2, 3]);
  });

  it('unsqueeze / squeeze / expand', () => {
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(1).squeeze().shape).toEqual([2, 3]);
    expect(
      tensor([[1], [2]])
        .expand(2, 3)
        .tolist(),
    ).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(() => tensor([1, 2]).expand(3, 3)).toThrow(
      'The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1',
    );
  });

  it('slice / select / split / chunk / cat / stack', () => {
    const y = arange(10).view(2, 5);
    expect(y.slice(1, 1, 4).tolist()).toEqual([
      [1, 2, 3],
      [6, 7, 8],
    ]);
    expect(y.slice(1, null, null, 2).tolist()).toEqual([
      [0, 2, 4],
      [5, 7, 9],
    ]);
    expect(y.slice(1, -2).tolist()).toEqual([
      [3, 4],
      [8, 9],
    ]);
    expect(y.select(0, 1).tolist()).toEqual([5, 6, 7, 8, 9]);
    expect(y.select(1, -1).tolist()).toEqual([4, 9]);
    expect(() => y.select(0, 2)).toThrow(
      'select(): index 2 out of range for tensor of size [2, 5] at dimension 0',
    );
    expect(y.split(2, 1).map((p) => p.shape[1])).toEqual([2, 2, 1]);
    expect(y.chunk(2, 1).map((p) => p.shape[1])).toEqual([3, 2]);
    expect(cat([y, y], 0).shape).toEqual([4, 5]);
    expect(cat([y, y.slice(1, 0, 2)], 1).tolist()).toEqual([
      [0, 1, 2, 3, 4, 0, 1],
      [5, 6, 7, 8, 9, 5, 6],
    ]);
    expect(stack([y, y], 1).shape).toEqual([2, 2, 5]);
    expect(() => cat([y, arange(3)], 0)).toThrow(
      'Tensors must have same number of dimensions: got 2 and 1',
    );
  });

  it('gradients through views and copies', () => {
    assertGradcheck((a) => a.view(4, 3).mul(a.view(4, 3)), [r([3, 4])]);
    assertGradcheck((a) => a.T.exp(), [r([3, 4])]);
    assertGradcheck((a) => a.permute(2, 0, 1).reshape(4, 6).tanh(), [r([2, 3, 4])]);
    assertGradcheck((a) => a.unsqueeze(1).expand(3, 5, 4).tanh(), [r([3, 4])]);
    assertGradcheck((a) => a.slice(1, 1, null, 2).square(), [r([3, 5])]);
    assertGradcheck((a) => a.select(0, 1).exp(), [r([3, 4])]);
    assertGradcheck((a, b) => cat([a, b], 1).tanh(), [r([2, 3], 1), r([2, 2], 2)]);
    assertGradcheck((a, b) => stack([a, b], 0).square(), [r([2, 3], 1), r([2, 3], 2)]);
    assertGradcheck((a) => stack(a.split(2, 1), 0).sum(0), [r([3, 4])]);
  });

  it("split's pieces write their gradients into one buffer, exactly, whatever else uses the input", () => {
    const x = arange(0, 12, 1, { dtype: 'float64' }).reshape(2, 6).requiresGrad_();
    const [a, b, c] = x.split(2, 1);
    // x also feeds a product between the pieces; piece b is weighted 3, c squared.
    a.sum().add(x.mul(10).sum()).add(b.mul(3).sum()).add(c.square().sum()).backward();
    expect(x.grad?.tolist()).toEqual([
      [11, 11, 13, 13, 18, 20],
      [11, 11, 13, 13, 30, 32],
    ]);
    // An unused piece leaves zeros; the backward of a later piece fills the first one's buffer in
    // place (returns that same tensor) while it is the input's pending gradient.
    const y = arange(0, 6, 1, { dtype: 'float64' }).reshape(1, 6).requiresGrad_();
    const [p, q] = y.split(2, 1);
    const ones = tensor([[1, 1]], { dtype: 'float64' });
    const first = p.gradFn?.backward(ones)[0] as Tensor;
    expect(first.tolist()).toEqual([[1, 1, 0, 0, 0, 0]]);
    const second = q.gradFn?.backward(ones.mul(2), (t) => (t === y ? first : undefined))[0];
    expect(second).toBe(first);
    expect(first.tolist()).toEqual([[1, 1, 2, 2, 0, 0]]);
    // Not the pending gradient (something else was summed into it): a fresh buffer.
    const third = q.gradFn?.backward(ones, () => undefined)[0] as Tensor;
    expect(third).not.toBe(first);
    expect(third.tolist()).toEqual([[0, 0, 1, 1, 0, 0]]);
    assertGradcheck(
      (t) => {
        const [u, v, w] = t.split([1, 3, 2], 1);
        return cat([w.exp(), u.mul(t.slice(1, 0, 1, 1)), v.tanh()], 1);
      },
      [r([3, 6])],
    );
  });

  it('reshape round-trips for random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        (shape) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const t = arange(n).reshape(shape);
          expect(t.shape).toEqual(shape);
          const perm = shape.map((_, i) => shape.length - 1 - i);
          const back = t.permute(perm).contiguous().permute(perm);
          expectClose(
            back,
            Array.from({ length: n }, (_, i) => i),
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});
