import { describe, expect, it } from 'vitest';
import { getBackend } from '../backend.js';

const sgd = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false };
const adam = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false };

describe('SGD kernel', () => {
  it('plain: w −= lr · (g + λw)', () => {
    const w = Float64Array.of(1, -2);
    getBackend().sgdStep(w, Float64Array.of(0.5, 1), null, 2, { ...sgd, weightDecay: 0.1 }, true);
    expect(w[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.1), 15);
    expect(w[1]).toBeCloseTo(-2 - 0.1 * (1 - 0.2), 15);
  });

  it('momentum: the buffer starts at g, then b = μb + (1 − τ)g', () => {
    const w = Float64Array.of(0);
    const b = new Float64Array(1);
    const h = { ...sgd, momentum: 0.9, dampening: 0.5 };
    getBackend().sgdStep(w, Float64Array.of(1), b, 1, h, true);
    expect(b[0]).toBe(1);
    expect(w[0]).toBeCloseTo(-0.1, 15);
    getBackend().sgdStep(w, Float64Array.of(2), b, 1, h, false);
    expect(b[0]).toBeCloseTo(0.9 + 0.5 * 2, 15);
    expect(w[0]).toBeCloseTo(-0.1 - 0.1 * 1.9, 15);
  });

  it('nesterov steps along g + μb', () => {
    const w = Float64Array.of(0);
    const b = new Float64Array(1);
    const h = { ...sgd, momentum: 0.9, nesterov: true };
    getBackend().sgdStep(w, Float64Array.of(1), b, 1, h, true);
    expect(w[0]).toBeCloseTo(-0.1 * (1 + 0.9), 15);
    getBackend().sgdStep(w, Float64Array.of(1), b, 1, h, false);
    expect(b[0]).toBeCloseTo(1.9, 15);
    expect(w[0]).toBeCloseTo(-0.19 - 0.1 * (1 + 0.9 * 1.9), 15);
  });
});

describe('Adam kernel', () => {
  it('first step moves every weight by lr · g / (|g| + ε)', () => {
    const g = Float64Array.of(0.5, -3, 1e-3);
    const w = Float64Array.of(1, 1, 1);
    const m = new Float64Array(3);
    const v = new Float64Array(3);
    getBackend().adamStep(w, g, m, v, 3, { ...adam, step: 1 });
    g.forEach((gi, i) => {
      expect(w[i]).toBeCloseTo(1 - (0.01 * gi) / (Math.abs(gi) + 1e-8), 12);
      expect(m[i]).toBeCloseTo(0.1 * gi, 15);
      expect(v[i]).toBeCloseTo(0.001 * gi * gi, 15);
    });
  });

  it('second step uses the bias-corrected averages', () => {
    const w = Float64Array.of(0);
    const m = new Float64Array(1);
    const v = new Float64Array(1);
    getBackend().adamStep(w, Float64Array.of(1), m, v, 1, { ...adam, step: 1 });
    getBackend().adamStep(w, Float64Array.of(3), m, v, 1, { ...adam, step: 2 });
    const mHat = (0.9 * 0.1 + 0.1 * 3) / (1 - 0.9 ** 2);
    const vHat = (0.999 * 0.001 + 0.001 * 9) / (1 - 0.999 ** 2);
    const first = -0.01 / (1 + 1e-8);
    expect(w[0]).toBeCloseTo(first - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 12);
  });

  it('Adam adds λw to the gradient; AdamW decays the weight instead', () => {
    const l2 = Float64Array.of(2);
    getBackend().adamStep(l2, Float64Array.of(0), new Float64Array(1), new Float64Array(1), 1, {
      ...adam,
      weightDecay: 0.5,
      step: 1,
    });
    // g = 0 + 0.5·2 = 1: a full lr step.
    expect(l2[0]).toBeCloseTo(2 - 0.01 / (1 + 1e-8), 12);
    const decoupled = Float64Array.of(2);
    getBackend().adamStep(
      decoupled,
      Float64Array.of(0),
      new Float64Array(1),
      new Float64Array(1),
      1,
      { ...adam, weightDecay: 0.5, decoupled: true, step: 1 },
    );
    // g = 0: only the decay w·(1 − lr·λ) acts.
    expect(decoupled[0]).toBeCloseTo(2 * (1 - 0.01 * 0.5), 15);
  });
});
