import { Generator } from '@llm-playground/core';
import { tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';

describe('Linear', () => {
  it('computes x·Wᵀ + b with weight [out, in]', () => {
    const layer = new Linear(3, 2, { dtype: 'float64' });
    expect(layer.weight.shape).toEqual([2, 3]);
    expect(layer.bias!.shape).toEqual([2]);
    const x = tensor(
      [
        [1, 2, 3],
        [-1, 0, 0.5],
      ],
      { dtype: 'float64' },
    );
    const W = layer.weight.tolist() as number[][];
    const b = layer.bias!.tolist() as number[];
    const expected = [
      [1, 2, 3],
      [-1, 0, 0.5],
    ].map((row) => W.map((w, o) => w[0] * row[0] + w[1] * row[1] + w[2] * row[2] + b[o]));
    expectClose(layer.forward(x), expected, { atol: 1e-12 });
    expect(layer.forward(tensor([[[1, 2, 3]]], { dtype: 'float64' })).shape).toEqual([1, 1, 2]);
    expect(new Linear(3, 2, { bias: false }).bias).toBeNull();
    expect(new Linear(3, 2, { bias: false }).parameters()).toHaveLength(1);
  });

  it('passes gradcheck for input, weight and bias', () => {
    const layer = new Linear(3, 2, { dtype: 'float64' });
    const x = tensor(
      [
        [0.5, -1, 2],
        [1, 0.3, -0.7],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    assertGradcheck(
      (input, weight, bias) => {
        layer.weight = weight;
        layer.bias = bias;
        return layer.forward(input).tanh();
      },
      [x, layer.weight, layer.bias!],
    );
  });

  it("draws PyTorch's default init U(−1/√in, 1/√in), weight then bias, from the generator", () => {
    const layer = new Linear(400, 300, { generator: new Generator(0) });
    const w = Array.from(layer.weight.data);
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expectClose(variance, bound ** 2 / 3, { rtol: 0.02 }); // Var U(−a, a) = a²/3
    const b = Array.from(layer.bias!.data);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    // Same seed, same layer; the bias comes after the weight in the stream.
    const again = new Linear(400, 300, { generator: new Generator(0) });
    expect(Array.from(again.bias!.data)).toEqual(b);
    const g = new Generator(0);
    new Linear(400, 300, { generator: g, bias: false });
    expect(new Linear(1, 300, { generator: g, bias: false }).weight.data[0]).not.toBe(0);
  });

  it('holds the same numbers as torch.manual_seed(s); nn.Linear(…) (PyTorch 1.13)', () => {
    const layer = new Linear(3, 2, { generator: new Generator(2147483647) });
    expect(layer.weight.tolist()).toEqual([
      [0.24032650887966156, -0.16831018030643463, -0.45560750365257263],
      [0.11505946516990662, -0.47291436791419983, -0.47357404232025146],
    ]);
    expect(layer.bias!.tolist()).toEqual([0.4413807690143585, 0.5643323063850403]);
    const wide = new Linear(20, 40, { generator: new Generator(5) });
    expect((wide.weight.tolist() as number[][])[7].slice(0, 3)).toEqual([
      -0.18221375346183777, 0.20948676764965057, -0.08991716057062149,
    ]);
    expect((wide.bias!.tolist() as number[]).slice(-3)).toEqual([
      0.04372984543442726, 0.1352066546678543, -0.13320259749889374,
    ]);
  });

  it('names bad sizes and bad inputs', () => {
    expect(() => new Linear(0, 2)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    expect(() => new Linear(2, 1.5)).toThrow(
      'Linear: outFeatures must be a positive integer, got 1.5',
    );
    expect(() => new Linear(3, 2).forward(tensor([[1, 2]], { dtype: 'float32' }))).toThrow(
      'mat1 and mat2 shapes cannot be multiplied (1x2 and 3x2)',
    );
  });
});
