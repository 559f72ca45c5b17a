import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { arange, tensor } from '../creation.js';
import { randn } from '../random.js';
import { assertGradcheck, expectClose } from '../testing/index.js';
import { matmul } from './matmul.js';

const r = (shape: number[], seed = 11) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

describe('matmul', () => {
  it('2-d, 1-d and batched shapes', () => {
    const a = arange(6).float().view(2, 3);
    const b = arange(12).float().view(3, 4);
    expect(a.matmul(b).tolist()).toEqual(naive(a.tolist() as number[][], b.tolist() as number[][]));
    expect(arange(3).float().matmul(arange(3).float()).item()).toBe(5);
    expect(arange(3).float().matmul(b).shape).toEqual([4]);
    expect(a.matmul(arange(3).float()).shape).toEqual([2]);
    expect(randn([5, 2, 3]).matmul(randn([3, 4])).shape).toEqual([5, 2, 4]);
    expect(randn([5, 2, 3]).matmul(randn([1, 3, 4])).shape).toEqual([5, 2, 4]);
  });

  it('reads transposed operands in place and matches a naive product for odd sizes', () => {
    for (const [M, K, N] of [
      [1, 1, 1],
      [5, 7, 3],
      [13, 65, 9],
      [4, 130, 6],
    ]) {
      const a = randn([M, K], { generator: new Generator(M + K), dtype: 'float64' });
      const b = randn([K, N], { generator: new Generator(N), dtype: 'float64' });
      const expected = naive(a.tolist() as number[][], b.tolist() as number[][]);
      expectClose(a.matmul(b), expected.flat(), { atol: 1e-9 });
      expectClose(a.T.contiguous().T.matmul(b), expected.flat(), { atol: 1e-9 });
      expectClose(a.matmul(b.T.contiguous().T), expected.flat(), { atol: 1e-9 });
    }
  });

  it('errors with the shapes', () => {
    expect(() => randn([2, 3]).matmul(randn([4, 5]))).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)',
    );
    expect(() => matmul(tensor(1, { dtype: 'float32' }), randn([2]))).toThrow('at least 1D');
  });

  it('gradients for every case', () => {
    assertGradcheck((a, b) => a.matmul(b), [r([3, 4], 1), r([4, 2], 2)]);
    assertGradcheck((a, b) => a.matmul(b.T), [r([3, 4], 1), r([2, 4], 2)]);
    assertGradcheck((a, b) => a.T.matmul(b), [r([4, 3], 1), r([4, 2], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([4], 1), r([4], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([4], 1), r([4, 3], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([3, 4], 1), r([4], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([2, 3, 4], 1), r([4, 2], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([2, 3, 4], 1), r([2, 4, 2], 2)]);
    assertGradcheck((a, b) => a.matmul(b), [r([2, 1, 3, 4], 1), r([3, 4, 2], 2)]);
  });
});
