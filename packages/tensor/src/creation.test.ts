import { describe, expect, it } from 'vitest';
import { arange, eye, full, linspace, oneHot, ones, tensor, zeros, zerosLike } from './creation.js';
import { expectClose } from './testing/index.js';

describe('creation', () => {
  it('infers shape and dtype from nested arrays', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('int32');
    expect(tensor([1.5, 2]).dtype).toBe('float32');
    expect(tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('float64');
    expect(() => tensor([[1, 2], [3]])).toThrow('expected sequence of length 2 at dim 1 (got 1)');
    expect(() => tensor([1.5], { dtype: 'int32' })).toThrow('non-integer');
  });

  it('constants, ranges, identity, one-hot', () => {
    expect(zeros([2, 3]).tolist()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(ones([2]).dtype).toBe('float32');
    expect(full([2], 7).tolist()).toEqual([7, 7]);
    expect(zerosLike(tensor([1, 2])).dtype).toBe('int32');
    expect(arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expectClose(linspace(-3, 0, 4), [-3, -2, -1, 0]);
    expect(linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(oneHot(tensor([0, 2]), 3).tolist()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(() => oneHot(tensor([3]), 3)).toThrow('Class values must be smaller than num_classes.');
    expect(() => zeros([2, -1])).toThrow('negative dimension');
  });
});
