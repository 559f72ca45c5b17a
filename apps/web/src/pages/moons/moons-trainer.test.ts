import { describe, expect, it } from 'vitest';
import { DEFAULT_MOONS_CONFIG, MoonsTrainer } from './moons-trainer.js';

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
