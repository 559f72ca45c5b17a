import { Generator } from '@llm-playground/core';
import { captureStep, DTypeError, ones, randn, type Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { CausalSelfAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { ConfigError } from './errors.js';
import { Linear } from './linear.js';
import { SGD } from './optim/sgd.js';

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
  it('refuses int32 input, naming Dropout', () => {
    const x = tensor([1, 2, 3], { dtype: 'int32' });
    expect(() => new Dropout(0.5).forward(x)).toThrow(DTypeError);
    expect(() => new Dropout(0.5).forward(x)).toThrow(
      "Dropout: expected a floating point input (float32 or float64), got int32; cast it first with .to('float32')",
    );
  });
});

// A tiny training step with Dropout(0.1) on a hidden layer and in a CausalSelfAttention (on the
// attention weights and the output): replaying a captured step must draw a fresh mask every step
// from the module's generator, exactly as eager steps do with the same seed.
function dropoutModel() {
  // one generator for the weights and every mask, as makemore's models use theirs
  const g = new Generator(11);
  const attention = new CausalSelfAttention(8, 2, 4, { dropout: 0.1, generator: g });
  const hidden = new Linear(8, 16, { generator: g });
  const dropout = new Dropout(0.1, { generator: g });
  const head = new Linear(16, 8, { generator: g });
  const params = [...attention.parameters(), ...hidden.parameters(), ...head.parameters()];
  const optimizer = new SGD(params, { lr: 0.1 });
  const step = (x: Tensor, y: Tensor) => {
    optimizer.zeroGrad();
    const dropped = dropout.forward(hidden.forward(attention.forward(x)).tanh());
    const loss = head.forward(dropped).sub(y).square().mean();
    loss.backward();
    optimizer.step();
    // which hidden units the mask dropped this step (tanh of a random projection is never exactly 0)
    return { loss, dropped: dropped.eq(0).to('float32') };
  };
  return { params, step };
}

describe('Dropout inside a captured step', () => {
  it('replays draw fresh masks and equal eager steps with the same seed, bit for bit', () => {
    const g = new Generator(5);
    const data = Array.from({ length: 8 }, () => [
      randn([3, 4, 8], { generator: g }),
      randn([3, 4, 8], { generator: g }),
    ]);
    const eager = dropoutModel();
    const eagerRuns = data.map(([x, y]) => {
      const { loss, dropped } = eager.step(x, y);
      return { loss: loss.item(), dropped: Array.from(dropped.data) };
    });
    const replayed = dropoutModel();
    const captured = captureStep(replayed.step, data[0]);
    // each replay overwrites the output tensors: read them before the next
    const read = (out: { loss: Tensor; dropped: Tensor }) => ({
      loss: out.loss.item(),
      dropped: Array.from(out.dropped.data),
    });
    const runs = [read(captured.output)];
    for (const [x, y] of data.slice(1)) runs.push(read(captured.replay(x, y)));
    expect(runs.map((r) => r.loss)).toEqual(eagerRuns.map((r) => r.loss));
    expect(runs.map((r) => r.dropped)).toEqual(eagerRuns.map((r) => r.dropped));
    replayed.params.forEach((p, i) => {
      expect(Array.from(p.data)).toEqual(Array.from(eager.params[i].data));
    });
    // the masks differ between steps, and drop about a tenth of the 3·4·16 = 192 units (19.2 ± 4.2)
    const zeroCounts = eagerRuns.map((r) => r.dropped.reduce((a, b) => a + b, 0));
    expect(new Set(eagerRuns.map((r) => r.dropped.join())).size).toBe(data.length);
    expect(zeroCounts).toEqual([9, 20, 22, 19, 15, 18, 18, 17]);
    expect(runs.every((r) => Number.isFinite(r.loss))).toBe(true);
  });
});
