import { describe, expect, it } from 'vitest';
import { record } from './autograd.js';
import { tensor } from './creation.js';
import { AutogradError } from './errors.js';
import { Tensor } from './tensor.js';

describe('autograd', () => {
  it('sums the gradients of a tensor used twice, and accumulates across backward calls', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x.mul(x).add(x.mul(3)).sum().backward(); // d/dx (x² + 3x) = 2x + 3
    expect(x.grad?.tolist()).toEqual([5, 7]);
    x.mul(2).sum().backward();
    expect(x.grad?.tolist()).toEqual([7, 9]);
  });

  it('converts a gradient to the leaf dtype and accumulates into a strided .grad', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float32', requiresGrad: true });
    x.to('float64').mul(0.1).sum().backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(Array.from(x.grad?.data ?? [])).toEqual([0.1, 0.1, 0.1, 0.1].map(Math.fround));
    // A user-set grad that is a strided view (every other element of a buffer).
    const buffer = tensor([0, 9, 0, 9, 0, 9, 0, 9], { dtype: 'float32' });
    x.grad = buffer.view(4, 2).select(1, 0);
    x.mul(2).sum().backward();
    expect(buffer.tolist()).toEqual([2, 9, 2, 9, 2, 9, 2, 9]);
  });

  it('reports a backward that returns a gradient of the wrong shape (compared without strings)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const out = record(new Tensor(Float64Array.of(6), []), 'Broken', [x], () => [
      tensor([1, 1], { dtype: 'float64' }),
    ]);
    expect(() => out.backward()).toThrow(AutogradError);
    expect(() => out.backward()).toThrow(
      'Function BrokenBackward returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]',
    );
  });

  it('refuses a seed gradient of another shape, and a .grad of another shape', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1], { dtype: 'float64' }))).toThrow(
      'Mismatch in shape: grad_output[0] has a shape of [1] and output[0] has a shape of [2].',
    );
    x.grad = tensor([0, 0, 0], { dtype: 'float64' });
    expect(() => x.mul(2).sum().backward()).toThrow(/existing \.grad of shape \[3\]/);
  });
});
