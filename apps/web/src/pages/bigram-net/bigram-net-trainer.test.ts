import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import {
  BigramNetTrainer,
  centeredLogCounts,
  centerRows,
  equivalentSmoothing,
  smoothedCountLoss,
} from './bigram-net-trainer.js';

const words = bundledNames().words;

describe('BigramNetTrainer', () => {
  it("falls from ~3.85 toward the count model's loss with the lecture's lr 50, λ 0.01", () => {
    const trainer = new BigramNetTrainer(words, { seed: 2147483647, lr: 50, lambda: 0.01 });
    expect(trainer.V).toBe(28);
    expect(trainer.total).toBe(59167);
    expect(trainer.countLoss.toFixed(4)).toBe('2.4187'); // = BigramCounts NLL with k = 0
    const first = trainer.step();
    expect(first.step).toBe(0);
    expect(first.loss.toFixed(4)).toBe('3.8538');
    // W ~ randn: mean(W²) ≈ 1, so the penalty is about λ.
    expect(first.loss - first.dataLoss).toBeGreaterThan(0.005);
    expect(first.loss - first.dataLoss).toBeLessThan(0.015);
    let last = first;
    for (let i = 0; i < 300; i++) last = trainer.step();
    expect(last.step).toBe(300);
    expect(last.loss).toBeLessThan(2.47);
    expect(last.dataLoss).toBeGreaterThan(trainer.countLoss); // never below the optimum
    expect(last.dataLoss - trainer.countLoss).toBeLessThan(0.03);
    expect(trainer.divergence(last)).toBeNull();
  });

  it('is seeded: reset(seed) replays the same losses', () => {
    const trainer = new BigramNetTrainer(words, { seed: 7, lr: 50, lambda: 0.01 });
    const a = [trainer.step().loss, trainer.step().loss];
    trainer.reset(7);
    expect([trainer.step().loss, trainer.step().loss]).toEqual(a);
    trainer.reset(8);
    expect(trainer.step().loss).not.toBe(a[0]);
  });

  it('moves W toward the row-centred log-counts', () => {
    const trainer = new BigramNetTrainer(words, { seed: 1, lr: 50, lambda: 0.001 });
    const target = centeredLogCounts(trainer.counts, trainer.V, 1);
    const distance = () => {
      const W = centerRows(trainer.weights(), trainer.V);
      let s = 0;
      for (let i = 0; i < W.length; i++) s += (W[i] - target[i]) ** 2;
      return Math.sqrt(s / W.length);
    };
    const before = distance();
    for (let i = 0; i < 400; i++) trainer.step();
    expect(distance()).toBeLessThan(before / 2);
  });

  it('behaves like smoothing as λ grows: a higher data loss, flatter rows', () => {
    const run = (lambda: number) => {
      const trainer = new BigramNetTrainer(words, { seed: 3, lr: 50, lambda });
      let result = trainer.step();
      for (let i = 0; i < 300; i++) result = trainer.step();
      return { trainer, result };
    };
    const small = run(0.01);
    const large = run(1);
    expect(large.result.dataLoss).toBeGreaterThan(small.result.dataLoss + 0.05);
    const kSmall = equivalentSmoothing(small.trainer.counts, 28, small.result.dataLoss);
    const kLarge = equivalentSmoothing(large.trainer.counts, 28, large.result.dataLoss);
    expect(kLarge).toBeGreaterThan(kSmall);
    const spread = (W: Float32Array) => Math.max(...W) - Math.min(...W);
    expect(spread(large.trainer.weights())).toBeLessThan(spread(small.trainer.weights()));
  });

  it('configure changes lr and λ without resetting W', () => {
    const trainer = new BigramNetTrainer(words, { seed: 5, lr: 50, lambda: 0.01 });
    for (let i = 0; i < 10; i++) trainer.step();
    const W = trainer.weights();
    trainer.configure({ lambda: 0.5, lr: 10 });
    expect(trainer.weights()).toEqual(W);
    expect([trainer.lr, trainer.lambda]).toEqual([10, 0.5]);
    const result = trainer.step();
    // The new penalty is part of the loss at once.
    expect(result.loss - result.dataLoss).toBeGreaterThan(0.1);
    expect(() => trainer.configure({ lr: Number.NaN })).toThrow(
      "Argument 'lr' passed to 'BigramNetTrainer.configure' must be a finite number ≥ 0, got NaN",
    );
  });

  it('reports divergence with lr 1e7 (NaN with λ > 0, an exploded loss with λ = 0)', () => {
    for (const lambda of [0.01, 0]) {
      const trainer = new BigramNetTrainer(words, { seed: 2147483647, lr: 1e7, lambda });
      let diverged = null;
      for (let i = 0; i < 100 && !diverged; i++) diverged = trainer.divergence(trainer.step());
      expect(diverged, `λ = ${lambda}`).not.toBeNull();
      expect(diverged?.message).toMatch(
        /Training diverged: the loss .* with learning rate 10000000/,
      );
      expect(diverged?.message).toMatch(/Try a lower learning rate \(e\.g\. 100000\)/);
    }
  });
});

describe('smoothedCountLoss and equivalentSmoothing', () => {
  it('match the closed form and invert each other', () => {
    const counts = Float64Array.from([1, 3, 0, 4]); // rows: [1, 3], [0, 4]
    // k = 0: −(1·log¼ + 3·log¾ + 4·log 1) / 8
    expect(smoothedCountLoss(counts, 2, 0)).toBeCloseTo(
      -(Math.log(1 / 4) + 3 * Math.log(3 / 4)) / 8,
      12,
    );
    // k = 1: −(1·log(2/6) + 3·log(4/6) + 4·log(5/6)) / 8
    expect(smoothedCountLoss(counts, 2, 1)).toBeCloseTo(
      -(Math.log(2 / 6) + 3 * Math.log(4 / 6) + 4 * Math.log(5 / 6)) / 8,
      12,
    );
    for (const k of [0.5, 2, 30]) {
      expect(equivalentSmoothing(counts, 2, smoothedCountLoss(counts, 2, k))).toBeCloseTo(k, 6);
    }
    expect(equivalentSmoothing(counts, 2, 0)).toBe(0);
    expect(equivalentSmoothing(counts, 2, Math.log(2))).toBe(Infinity);
  });

  it('centerRows removes each row mean', () => {
    expect(Array.from(centerRows([1, 3, 10, 20], 2))).toEqual([-1, 1, -5, 5]);
  });
});
