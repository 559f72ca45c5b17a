import { Generator } from '@llm-playground/core';
import { ones, randn } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { ConfigError } from './errors.js';

describe('Dropout', () => {
  it('zeroes a share p of the elements and scales the rest by exactly 1/(1 − p)', () => {
    const n = 100_000;
    for (const p of [0.1, 0.3, 0.5, 0.9]) {
      const y = new Dropout(p, { generator: new Generator(123) }).forward(ones([n]));
      const zeroShare = y.eq(0).sum().item() / n;
      // 5 standard deviations of a binomial share: √(p(1 − p)/n) ≤ 0.0016
      expect(Math.abs(zeroShare - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      const kept = y.data.filter((v) => v !== 0);
      expect(new Set(kept)).toEqual(new Set([Math.fround(1 / (1 - p))]));
      // the expectation is kept: mean ≈ 1, within 5 σ of the scaled Bernoulli mean √(p/((1 − p)n))
      expect(Math.abs(y.mean().item() - 1)).toBeLessThan(5 * Math.sqrt(p / ((1 - p) * n)));
    }
  });
  it('the gradient is the same mask and scale', () => {
    const x = randn([50, 40], { generator: new Generator(1), requiresGrad: true });
    const y = new Dropout(0.25, { generator: new Generator(2) }).forward(x);
    y.sum().backward();
    const grad = x.grad?.data as Float32Array;
    y.data.forEach((v, i) => {
      expect(grad[i]).toBe(v === 0 ? 0 : Math.fround(1 / 0.75));
    });
  });
  it('is seeded: the same generator seed gives the same mask, a new draw on every call', () => {
    const a = new Dropout(0.5, { generator: new Generator(7) });
    const b = new Dropout(0.5, { generator: new Generator(7) });
    const first = a.forward(ones([64])).tolist();
    expect(b.forward(ones([64])).tolist()).toEqual(first);
    expect(a.forward(ones([64])).tolist()).not.toEqual(first);
  });
  it('eval mode and p = 0 return the input itself; p = 1 gives zeros', () => {
    const x = randn([3, 4], { generator: new Generator(3) });
    const dropout = new Dropout(0.5);
    expect(dropout.eval().forward(x)).toBe(x);
    expect(new Dropout(0).forward(x)).toBe(x);
    expect(new Dropout(1).forward(x).abs().sum().item()).toBe(0);
    expect(dropout.train().training).toBe(true);
  });
  it("refuses p outside [0, 1] in PyTorch's words", () => {
    expect(() => new Dropout(1.5)).toThrow(
      'dropout probability has to be between 0 and 1, but got 1.5',
    );
    expect(() => new Dropout(-0.1)).toThrow(ConfigError);
    expect(() => new Dropout(Number.NaN)).toThrow(ConfigError);
    expect(String(new Dropout(0.1))).toBe('Dropout(p=0.1, inplace=False)');
  });
});
