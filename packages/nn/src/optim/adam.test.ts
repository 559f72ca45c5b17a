import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { lossOf, makeWeight, trajectory } from './test-problem.js';

// PyTorch 1.13: Adam(lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1), float64.
const TORCH_ADAM = [
  [0.9900000038461524, -2.009999998717949, 0.4900000029197072],
  [0.980003676569184, -2.020002134843937, 0.48000138911164225],
  [0.9700134093864478, -2.0300077855541576, 0.4700050270958298],
];

/** Adam by hand, in plain numbers (with L2 weight decay). */
function adamByHand(
  steps: number,
  lr: number,
  [b1, b2]: [number, number],
  eps: number,
  wd: number,
) {
  const w = [1.0, -2.0, 0.5];
  const c = [1, 2, 3];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < 3; i++) {
      const g = 1.5 * w[i] ** 2 + c[i] + wd * w[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const mHat = m[i] / (1 - b1 ** t); // bias correction
      const vHat = v[i] / (1 - b2 ** t);
      w[i] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    out.push([...w]);
  }
  return out;
}

describe('Adam', () => {
  it('matches the bias-corrected update by hand and PyTorch', () => {
    const w = makeWeight();
    const path = trajectory(
      w,
      new Adam([w], { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1 }),
    );
    expectClose(path, adamByHand(3, 0.01, [0.8, 0.9], 1e-6, 0.1), { atol: 1e-12 });
    expectClose(path, TORCH_ADAM, { atol: 1e-12 });
  });

  it('has PyTorch defaults (lr 1e-3, betas 0.9/0.999, eps 1e-8, no decay) and counts steps per parameter', () => {
    const w = makeWeight();
    const adam = new Adam([w]);
    expect(adam.paramGroups[0]).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
    });
    const path = trajectory(w, adam, 2);
    expectClose(path, adamByHand(2, 1e-3, [0.9, 0.999], 1e-8, 0), { atol: 1e-14 });
    expect(adam.stateDict().state['0'].step).toBe(2);
  });

  it('trains float32 parameters with float32 buffers', () => {
    const w = makeWeight('float32');
    const adam = new Adam([w], { lr: 0.1 });
    const before = lossOf(w).item();
    trajectory(w, adam, 5);
    expect(lossOf(w).item()).toBeLessThan(before);
    expect(adam.stateDict().state['0'].expAvg).toBeInstanceOf(Float32Array);
  });

  it('validates hyperparameters', () => {
    const w = makeWeight();
    expect(() => new Adam([w], { betas: [1, 0.9] })).toThrow(
      'Invalid beta parameter at index 0: 1',
    );
    expect(() => new Adam([w], { eps: -1 })).toThrow('Invalid epsilon value: -1');
  });
});
