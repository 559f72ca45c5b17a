import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { arange, eye, tensor, zeros, zerosLike } from './creation.js';
import { multinomial, rand, randn } from './random.js';
import { zeroGrad } from './zero-grad.js';

// Each of these was silently ignored before: `x.sum(1, true)` summed without keeping the dimension.
const x = tensor(
  [
    [1, 5, 2],
    [7, 2, 3],
  ],
  { dtype: 'float64' },
);

describe("PyTorch's positional keepdim is honoured", () => {
  it('sum, mean, amax, amin, logsumexp', () => {
    expect(x.sum(1, true).shape).toEqual([2, 1]);
    expect(x.sum(1, true).tolist()).toEqual([[8], [12]]);
    expect(x.mean(0, true).shape).toEqual([1, 3]);
    expect(x.mean(0, true).tolist()).toEqual([[4, 3.5, 2.5]]);
    expect(x.amax(1, true).tolist()).toEqual([[5], [7]]);
    expect(x.amin([0, 1], true).shape).toEqual([1, 1]);
    expect(x.logsumexp(1, true).shape).toEqual([2, 1]);
    expect(x.sum(1, false).shape).toEqual([2]);
  });

  it('max, min, argmax, argmin along a dim', () => {
    const m = x.max(1, true);
    expect(m.values.tolist()).toEqual([[5], [7]]);
    expect(m.indices.tolist()).toEqual([[1], [0]]);
    expect(x.min(0, true).values.tolist()).toEqual([[1, 2, 2]]);
    expect(x.argmax(1, true).tolist()).toEqual([[1], [0]]);
    expect(x.argmin(undefined, true).shape).toEqual([1, 1]);
  });

  it('var and std take (dim, unbiased, keepdim) positionally, as in PyTorch', () => {
    const v = tensor([1, 2, 3, 4], { dtype: 'float64' });
    expect(v.var(0, false).item()).toBeCloseTo(1.25, 15);
    expect(v.var(0, true).item()).toBeCloseTo(5 / 3, 15);
    expect(v.std(0, false, true).shape).toEqual([1]);
    expect(v.std(0, false, true).item()).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(x.var(1, { unbiased: false, keepdim: true }).shape).toEqual([2, 1]);
  });

  it('gradients flow through the kept dimension', () => {
    const w = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    w.mean(1, true)
      .mul(tensor([[6]], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(w.grad?.tolist()).toEqual([[2, 2, 2]]);
  });

  it('multinomial(p, n, true) samples with replacement; zeroGrad(tensors, false) keeps zeros', () => {
    const p = tensor([0.5, 0.5], { dtype: 'float32' });
    // 5 draws from 2 categories is only possible with replacement.
    expect(multinomial(p, 5, true).shape).toEqual([5]);
    expect(() => multinomial(p, 5, false)).toThrow(/without replacement/);
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    w.sum().backward();
    zeroGrad([w], false);
    expect(w.grad?.tolist()).toEqual([0, 0]);
  });
});

describe('anything else where an options object is expected is an error, never ignored', () => {
  it('a number, a string or a misspelt key for keepdim', () => {
    expect(() => x.sum(1, 1 as never)).toThrow(/sum\(\): expected an options object \{ keepdim \}/);
    expect(() => x.mean(0, { keepDim: true } as never)).toThrow(/unknown option 'keepDim'/);
    expect(() => x.max(1, 'true' as never)).toThrow(TypeError);
    expect(() => x.amax(1, { keepdim: 1 } as never)).toThrow(/keepdim must be a boolean/);
    expect(() => x.max(undefined as never, true as never)).toThrow(/keepdim needs a dim/);
    expect(() => x.max([0, 1] as never)).toThrow(/use amax/);
    expect(() => x.max(x as never)).toThrow(/use maximum\(other\)/);
    expect(() => x.var(0, { keepdim: true }, true)).toThrow(/positional unbiased/);
  });

  it('alpha is keyword-only in add, sub, add_, sub_ (as in PyTorch)', () => {
    expect(() => x.add(x, 2 as never)).toThrow(
      /alpha is keyword-only.*add\(other, \{ alpha: 2 \}\)/,
    );
    expect(() => x.clone().sub_(x, 2 as never)).toThrow(/keyword-only/);
    expect(x.sub(x, { alpha: 2 }).tolist()).toEqual([
      [-1, -5, -2],
      [-7, -2, -3],
    ]);
    expect(() => x.add(x, { aplha: 2 } as never)).toThrow(/unknown option 'aplha'/);
  });

  it('creation, random and printing options', () => {
    expect(() => zeros([2], 3 as never)).toThrow(/zeros\(\): expected an options object/);
    expect(() => zerosLike(x, { dtype: 'float32', requires_grad: true } as never)).toThrow(
      /unknown option 'requires_grad'/,
    );
    expect(() => tensor([1], 'float64' as never)).toThrow(/tensor\(\)/);
    expect(() => arange(0, 4, 1, 'int32' as never)).toThrow(/arange\(\)/);
    expect(() => eye(2, 2, true as never)).toThrow(/eye\(\)/);
    const g = new Generator(1);
    expect(() => randn([2], 'float64' as never)).toThrow(/randn\(\)/);
    expect(() => rand([2], { generator: g, seed: 3 } as never)).toThrow(/unknown option 'seed'/);
    expect(() => multinomial(tensor([1, 1], { dtype: 'float32' }), 1, 1 as never)).toThrow(
      /multinomial\(\)/,
    );
    expect(() => x.toString(2 as never)).toThrow(/toString\(\)/);
    expect(() => zeroGrad([], 0 as never)).toThrow(/zeroGrad\(\)/);
  });
});
