import { Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MOONS_CONFIG,
  type MOONS_LOSSES,
  MoonsTrainer,
  moonsLoss,
  SUGGESTED_LR,
} from './moons-trainer.js';

describe('moonsLoss', () => {
  // Scores and labels chosen to hit every regime: wrong side, inside the margin, past it.
  const scores = [2, 0.5, -0.25, 1.5];
  const labels = [1, -1, -1, -1];
  const margins = scores.map((s, i) => s * labels[i]); // [2, −0.5, 0.25, −1.5]

  it('max-margin is mean(max(0, 1 − m)), as micrograd', () => {
    const expected = (0 + 1.5 + 0.75 + 2.5) / 4;
    expect(moonsLoss('max-margin', scores, labels).data).toBeCloseTo(expected, 14);
  });

  it('mse is mean((score − y)²) = mean((1 − m)²)', () => {
    const expected = (1 + 2.25 + 0.5625 + 6.25) / 4;
    expect(moonsLoss('mse', scores, labels).data).toBeCloseTo(expected, 14);
    const viaMargins = margins.reduce((t, m) => t + (1 - m) ** 2, 0) / 4;
    expect(moonsLoss('mse', scores, labels).data).toBeCloseTo(viaMargins, 14);
  });

  it('cross-entropy over [0, score] is the logistic loss mean(log(1 + e^(−m)))', () => {
    expect(moonsLoss('cross-entropy', [0], [1]).data).toBeCloseTo(Math.LN2, 14);
    expect(moonsLoss('cross-entropy', [0], [-1]).data).toBeCloseTo(Math.LN2, 14);
    const expected = margins.reduce((t, m) => t + Math.log(1 + Math.exp(-m)), 0) / 4;
    expect(moonsLoss('cross-entropy', scores, labels).data).toBeCloseTo(expected, 14);
    // Large margins stay finite (the max logit is subtracted before exp): log(1 + e^−800) ≈ 0,
    // log(1 + e^800) ≈ 800.
    expect(moonsLoss('cross-entropy', [800], [1]).data).toBeCloseTo(0, 14);
    expect(moonsLoss('cross-entropy', [800], [-1]).data).toBeCloseTo(800, 10);
  });

  it('backward gives each closed-form derivative d loss / d score', () => {
    const grad = (loss: (typeof MOONS_LOSSES)[number], s: number, y: number) => {
      const score = new Value(s);
      moonsLoss(loss, [score], [y]).backward();
      return score.grad;
    };
    // hinge: −y inside the margin, 0 past it
    expect(grad('max-margin', 0.5, 1)).toBe(-1);
    expect(grad('max-margin', 0.5, -1)).toBe(1);
    expect(grad('max-margin', 2, 1)).toBe(0);
    // squared error: 2(score − y)
    expect(grad('mse', 0.5, 1)).toBeCloseTo(-1, 14);
    expect(grad('mse', 2, 1)).toBeCloseTo(2, 14); // "too right" is pushed back
    // logistic: −y·σ(−y·score)
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(grad('cross-entropy', 0.5, 1)).toBeCloseTo(-sigmoid(-0.5), 14);
    expect(grad('cross-entropy', 0.5, -1)).toBeCloseTo(sigmoid(0.5), 14);
    expect(grad('cross-entropy', 2, 1)).toBeCloseTo(-sigmoid(-2), 14); // never exactly 0
  });

  it('names the argument and the bad value for an unknown loss', () => {
    expect(() => moonsLoss('hinge' as never, [1], [1])).toThrow(
      "Argument 'loss' passed to 'moonsLoss' must be one of max-margin, mse, cross-entropy, got hinge",
    );
    expect(() => new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, loss: 'l1' as never })).toThrow(
      /Argument 'config.loss' passed to 'MoonsTrainer'.*got l1/,
    );
  });
});

describe('MoonsTrainer', () => {
  it('the default run (seed 1337, as `lmp micrograd moons`) reaches 100% accuracy in 100 steps', () => {
    const trainer = new MoonsTrainer(DEFAULT_MOONS_CONFIG);
    expect(trainer.model.numParameters()).toBe(337);
    const records = [];
    while (!trainer.done) records.push(trainer.step()!);
    expect(records).toHaveLength(100);
    // The same numbers as nn's moons-training test (micrograd's demo in TypeScript).
    expect(records[0].loss).toBeCloseTo(0.807066, 5);
    expect(records[0].accuracy).toBe(0.66);
    expect(records[0].lr).toBe(1);
    expect(records[99].lr).toBeCloseTo(1 - (0.9 * 99) / 100, 15);
    expect(records[99].loss).toBeLessThan(0.02);
    expect(trainer.accuracy()).toBe(1);
    expect(trainer.step()).toBeNull();
  });

  it('an unset loss is max-margin: the same run step for step', () => {
    const { loss: _, ...withoutLoss } = DEFAULT_MOONS_CONFIG;
    const a = new MoonsTrainer({ ...withoutLoss, steps: 3 }).runFor(Infinity);
    const b = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, steps: 3 }).runFor(Infinity);
    expect(a).toEqual(b);
    expect(a[0].loss).toBeCloseTo(0.807066, 5);
  });

  it('cross-entropy (seed 1337, lr 1) trains to ≥ 95% accuracy', () => {
    const trainer = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, loss: 'cross-entropy' });
    const records = trainer.runFor(Infinity);
    expect(records).toHaveLength(100);
    // Before training the scores are small, so the loss starts near log 2 = 0.693.
    expect(records[0].loss).toBeCloseTo(0.6374, 3);
    expect(records[99].loss).toBeLessThan(records[0].loss / 5); // measured 0.074
    expect(trainer.accuracy()).toBeGreaterThanOrEqual(0.95); // measured 0.99
  });

  it('mse (seed 1337, its suggested lr 0.1) trains to ≥ 95% accuracy', () => {
    const trainer = new MoonsTrainer({
      ...DEFAULT_MOONS_CONFIG,
      loss: 'mse',
      lr: SUGGESTED_LR.mse,
    });
    const records = trainer.runFor(Infinity);
    expect(records).toHaveLength(100);
    expect(records[0].loss).toBeCloseTo(0.9932, 3);
    expect(records[99].loss).toBeLessThan(records[0].loss / 4); // measured 0.155
    expect(trainer.accuracy()).toBeGreaterThanOrEqual(0.95); // measured 0.98
  });

  it('mse with a huge learning rate diverges and suggests its own smaller rates', () => {
    const trainer = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, loss: 'mse', lr: 1e6 });
    const records = trainer.runFor(Infinity);
    expect(records.length).toBeLessThan(100);
    expect(records.every((r) => Number.isFinite(r.loss))).toBe(true);
    expect(trainer.diverged).toMatch(/^Training diverged at step \d+: .*\(try 0\.1 or 0\.01\)/);
  });

  it('minibatches: batch size 20 draws 20 points per step and still learns', () => {
    const trainer = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, batchSize: 20, steps: 150 });
    const records = trainer.runFor(Infinity);
    expect(records).toHaveLength(150);
    // Accuracy on a batch of 20 moves in steps of 5%.
    expect(
      records.every((r) => Math.abs(r.accuracy * 20 - Math.round(r.accuracy * 20)) < 1e-9),
    ).toBe(true);
    const firstTen = records.slice(0, 10).reduce((s, r) => s + r.loss, 0) / 10;
    const lastTen = records.slice(-10).reduce((s, r) => s + r.loss, 0) / 10;
    expect(lastTen).toBeLessThan(firstTen / 2);
    expect(trainer.accuracy()).toBeGreaterThan(0.9);
  });

  it('a learning rate of 1e6 diverges and stops with an explanation instead of NaN records', () => {
    const trainer = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, lr: 1e6 });
    const records = trainer.runFor(Infinity);
    expect(trainer.done).toBe(true);
    expect(records.length).toBeLessThan(100);
    expect(records.every((r) => Number.isFinite(r.loss))).toBe(true);
    expect(trainer.diverged).toMatch(
      new RegExp(
        `^Training diverged at step ${records.length}: the loss became (NaN|Infinity).*Lower the learning rate`,
      ),
    );
  });

  it('runFor stops at the time budget (a fake clock: 3 steps of 10 ms in a 25 ms budget)', () => {
    const trainer = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, samples: 20 });
    let t = 0;
    const records = trainer.runFor(25, () => {
      t += 5; // each call advances 5 ms: one before the loop, one per step
      return t;
    });
    expect(records.map((r) => r.step)).toEqual([0, 1, 2, 3, 4]);
    expect(trainer.runFor(1000, () => 0, 2).map((r) => r.step)).toEqual([5, 6]);
  });

  it('is deterministic: the same seed gives the same run; another seed, other data', () => {
    const a = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, steps: 5 }).runFor(Infinity);
    const b = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, steps: 5 }).runFor(Infinity);
    expect(a).toEqual(b);
    const c = new MoonsTrainer({ ...DEFAULT_MOONS_CONFIG, seed: 3 });
    expect(c.X[0]).not.toEqual(new MoonsTrainer(DEFAULT_MOONS_CONFIG).X[0]);
  });
});
