import { readFileSync } from 'node:fs';
import { Generator } from '@llm-playground/core';
import { ones, tensor, zeros } from '@llm-playground/tensor';
import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import {
  calculateGain,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros_,
} from './init.js';

// nn.init after torch.manual_seed(seed), recorded from PyTorch 1.13 by scripts/torch_nn_fixtures.py.
const torchInit: {
  cases: {
    fn: string;
    shape: number[];
    seed: number;
    kwargs: { nonlinearity?: 'tanh' | 'relu'; mode?: 'fan_out'; a?: number; gain?: number };
    values: number[];
  }[];
} = JSON.parse(readFileSync(new URL('./fixtures/torch-init.json', import.meta.url), 'utf8'));
const initializers = {
  kaiming_normal_: kaimingNormal_,
  kaiming_uniform_: kaimingUniform_,
  xavier_normal_: xavierNormal_,
  xavier_uniform_: xavierUniform_,
};

const stats = (values: ArrayLike<number>) => {
  const xs = Array.from(values);
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
};

describe('init', () => {
  it("calculateGain follows PyTorch's table", () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('relu')).toBe(Math.SQRT2);
    expect(calculateGain('leaky_relu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(calculateGain('leakyRelu', Math.sqrt(5))).toBe(Math.sqrt(1 / 3));
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish' as 'relu')).toThrow('Unsupported nonlinearity swish');
  });

  it("uniform_ draws PyTorch's numbers (t.uniform_(a, b, generator=g)) in float32 and float64", () => {
    const t = uniform_(zeros([5]), { a: -2, b: 3, generator: new Generator(0) });
    expect(t.tolist()).toEqual([
      0.48128294944763184, 1.841109037399292, -1.5576128959655762, -1.3398475646972656,
      -0.46288591623306274,
    ]);
    const d = uniform_(zeros([3], { dtype: 'float64' }), {
      a: -2,
      b: 3,
      generator: new Generator(0),
    });
    expectClose(d, [2.8502650090327655, 1.5390993219989397, 0.29691471563725436], { atol: 1e-15 });
  });

  it('normal_ has the requested mean and std, and is randn for the defaults', () => {
    const s = stats(
      normal_(zeros([20000]), { mean: 3, std: 0.5, generator: new Generator(1) }).data,
    );
    expect(Math.abs(s.mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 0.5)).toBeLessThan(0.01);
    // torch.manual_seed(2147483647); torch.randn(5) = -0.9800, -1.6578, -0.0572, -0.3409, 2.0992
    expectClose(
      normal_(zeros([5]), { generator: new Generator(2147483647) }),
      [-0.98, -1.6578, -0.0572, -0.3409, 2.0992],
      { atol: 1e-4 },
    );
  });

  it('kaiming: std = gain/√fan, uniform bound = √3·std, by fan-in or fan-out', () => {
    const w = kaimingNormal_(zeros([200, 500]), {
      nonlinearity: 'relu',
      generator: new Generator(2),
    });
    expect(Math.abs(stats(w.data).std - Math.sqrt(2 / 500))).toBeLessThan(0.001);
    const wOut = kaimingNormal_(zeros([200, 500]), {
      mode: 'fanOut',
      nonlinearity: 'tanh',
      generator: new Generator(2),
    });
    expect(Math.abs(stats(wOut.data).std - 5 / 3 / Math.sqrt(200))).toBeLessThan(0.002);
    const u = stats(kaimingUniform_(zeros([300, 100]), { generator: new Generator(3) }).data);
    const bound = (Math.sqrt(3) * Math.sqrt(2 / (1 + 0))) / Math.sqrt(100);
    expect(u.max).toBeLessThanOrEqual(bound);
    expect(u.min).toBeGreaterThanOrEqual(-bound);
    expect(u.max).toBeGreaterThan(0.99 * bound);
    // fan of a 3-d tensor includes the receptive field: [4, 3, 5] → fan_in 15
    const conv = stats(
      kaimingUniform_(zeros([64, 3, 5]), { nonlinearity: 'linear', generator: new Generator(4) })
        .data,
    );
    expect(conv.max).toBeLessThanOrEqual(Math.sqrt(3 / 15));
    expect(() => kaimingNormal_(zeros([5]))).toThrow(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [5])',
    );
  });

  for (const c of torchInit.cases) {
    it(`${c.fn}(${JSON.stringify(c.kwargs)}) on [${c.shape}] draws PyTorch's numbers`, () => {
      const fn = initializers[c.fn as keyof typeof initializers];
      const w = fn(zeros(c.shape), { ...c.kwargs, generator: new Generator(c.seed) });
      expectClose(w, c.values, { atol: 1e-7, rtol: 1e-6 });
    });
  }

  it("uses PyTorch's std formulas: kaiming gain/√fan, xavier gain·√(2/(fan_in + fan_out))", () => {
    // normal_ is std·randn with the same generator, so the ratio to randn is the std itself.
    const unit = normal_(zeros([200, 30], { dtype: 'float64' }), { generator: new Generator(8) });
    const stdOf = (w: ReturnType<typeof zeros>) => w.div(unit).mean().item();
    const draw = () => zeros([200, 30], { dtype: 'float64' });
    const generator = () => new Generator(8);
    // the lecture's W1: (5/3)/√30 = 0.3043 for tanh, fan_in = 30 ([out, in] = [200, 30])
    const lecture = kaimingNormal_(draw(), { nonlinearity: 'tanh', generator: generator() });
    expect(stdOf(lecture)).toBeCloseTo(5 / 3 / Math.sqrt(30), 12);
    const fanOut = kaimingNormal_(draw(), {
      mode: 'fan_out',
      nonlinearity: 'tanh',
      generator: generator(),
    });
    expect(stdOf(fanOut)).toBeCloseTo(5 / 3 / Math.sqrt(200), 12);
    expect(stdOf(xavierNormal_(draw(), { generator: generator() }))).toBeCloseTo(
      Math.sqrt(2 / 230),
      12,
    );
    expect(stdOf(xavierNormal_(draw(), { gain: 5 / 3, generator: generator() }))).toBeCloseTo(
      (5 / 3) * Math.sqrt(2 / 230),
      12,
    );
    const u = stats(xavierUniform_(draw(), { gain: 2, generator: generator() }).data);
    expect(u.max).toBeLessThanOrEqual(2 * Math.sqrt(6 / 230));
    expect(u.max).toBeGreaterThan(0.99 * 2 * Math.sqrt(6 / 230));
    expect(() => kaimingNormal_(draw(), { mode: 'fan_avg' as 'fanIn' })).toThrow(
      'Mode fan_avg not supported, please use one of fanIn, fanOut',
    );
    expect(() => xavierUniform_(zeros([3]))).toThrow('Fan in and fan out can not be computed');
  });

  it('fill parameters in place without recording a graph', () => {
    const p = tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    expect(zeros_(p)).toBe(p);
    expect(p.tolist()).toEqual([0, 0, 0]);
    expect(ones_(p).tolist()).toEqual([1, 1, 1]);
    expect(p.isLeaf && p.requiresGrad).toBe(true);
    expect(zeros_(ones([2])).tolist()).toEqual([0, 0]);
    expect(() => normal_(zeros([2], { dtype: 'int32' }))).toThrow(
      'normal_: expected a floating-point tensor, got int32',
    );
  });
});
