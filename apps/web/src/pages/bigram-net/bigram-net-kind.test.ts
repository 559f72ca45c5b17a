import { existsSync, readFileSync } from 'node:fs';
import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import type { Slice } from '../../session/protocol.js';
import { openHost } from '../../session/testing.js';
import {
  type BigramNetInfo,
  BigramNetSessionTrainer,
  bigramNetKind,
  stepsPerSecond,
} from './bigram-net-kind.js';
import { centeredLogCounts, centerRows, equivalentSmoothing } from './bigram-net-math.js';

const words = bundledNames().words;
const init = { words, seed: 2147483647, lr: 50, lambda: 0.01 };
const open = () => openHost({ 'bigram-net': () => bigramNetKind });
const lectureNamesPath = new URL('../../../../../../shared/data/names.txt', import.meta.url);
const lectureNames = existsSync(lectureNamesPath)
  ? readFileSync(lectureNamesPath, 'utf8').split('\n').filter(Boolean)
  : null;

/** `steps` steps in one slice. */
const run = (trainer: BigramNetSessionTrainer, steps: number): Slice =>
  trainer.runSlice({ maxSteps: steps, maxMillis: 1e9 });
const weights = (trainer: BigramNetSessionTrainer) =>
  (trainer.snapshot().value.W as Float32Array).slice();

describe('the bigram net on the one Trainer', () => {
  it.skipIf(lectureNames === null)(
    "gives the lecture's 3.7686 → 2.4900 (100 updates) → 2.4830 (200) on names.txt",
    () => {
      const trainer = new BigramNetSessionTrainer({ ...init, words: lectureNames as string[] });
      const losses = run(trainer, 201).series.loss;
      expect(losses[0].toFixed(4)).toBe('3.7686');
      expect(losses[100].toFixed(4)).toBe('2.4900');
      expect(losses[200].toFixed(4)).toBe('2.4830');
    },
  );

  it("falls from 3.8538 toward the count model's loss on the bundled names (lr 50, λ 0.01)", () => {
    const trainer = new BigramNetSessionTrainer(init);
    expect(trainer.info.V).toBe(28);
    expect(trainer.info.counts.reduce((a, b) => a + b, 0)).toBe(59167);
    expect(trainer.info.countLoss.toFixed(4)).toBe('2.4187'); // = BigramCounts NLL with k = 0
    const { loss, dataLoss } = run(trainer, 301).series;
    expect(loss[0].toFixed(4)).toBe('3.8538');
    // W ~ randn: mean(W²) ≈ 1, so the penalty is about λ.
    expect(loss[0] - dataLoss[0]).toBeGreaterThan(0.005);
    expect(loss[0] - dataLoss[0]).toBeLessThan(0.015);
    expect(loss[300]).toBeLessThan(2.47);
    expect(dataLoss[300]).toBeGreaterThan(trainer.info.countLoss); // never below the optimum
    expect(dataLoss[300] - trainer.info.countLoss).toBeLessThan(0.03);
    expect(trainer.stop).toBeNull();
  });

  it('is seeded: reset replays the same losses; another seed differs', () => {
    const trainer = new BigramNetSessionTrainer({ ...init, seed: 7 });
    const a = Array.from(run(trainer, 2).series.loss);
    trainer.reset();
    expect(Array.from(run(trainer, 2).series.loss)).toEqual(a);
    trainer.configure({ seed: 8, lr: 50, lambda: 0.01 });
    expect(trainer.step).toBe(0);
    expect(run(trainer, 1).series.loss[0]).not.toBe(a[0]);
  });

  it('moves W toward the row-centred log-counts', () => {
    const trainer = new BigramNetSessionTrainer({ ...init, seed: 1, lambda: 0.001 });
    const target = centeredLogCounts(trainer.info.counts, trainer.info.V, 1);
    const distance = () => {
      const W = centerRows(weights(trainer), trainer.info.V);
      let s = 0;
      for (let i = 0; i < W.length; i++) s += (W[i] - target[i]) ** 2;
      return Math.sqrt(s / W.length);
    };
    const before = distance();
    run(trainer, 400);
    expect(distance()).toBeLessThan(before / 2);
  });

  it('behaves like smoothing as λ grows: a higher data loss, flatter rows', () => {
    const train = (lambda: number) => {
      const trainer = new BigramNetSessionTrainer({ ...init, seed: 3, lambda });
      const dataLoss = run(trainer, 301).series.dataLoss[300];
      return { trainer, dataLoss };
    };
    const small = train(0.01);
    const large = train(1);
    expect(large.dataLoss).toBeGreaterThan(small.dataLoss + 0.05);
    const kSmall = equivalentSmoothing(small.trainer.info.counts, 28, small.dataLoss);
    const kLarge = equivalentSmoothing(large.trainer.info.counts, 28, large.dataLoss);
    expect(kLarge).toBeGreaterThan(kSmall);
    const spread = (W: Float32Array) => Math.max(...W) - Math.min(...W);
    expect(spread(weights(large.trainer))).toBeLessThan(spread(weights(small.trainer)));
  });

  it('lr and λ apply live: same step and W, the new penalty in the next loss', () => {
    const trainer = new BigramNetSessionTrainer({ ...init, seed: 5 });
    run(trainer, 10);
    const W = weights(trainer);
    expect(trainer.configure({ seed: 5, lr: 10, lambda: 0.5 })).toBe('live');
    expect(trainer.step).toBe(10);
    expect(weights(trainer)).toEqual(W);
    expect(trainer.extra()).toEqual({ lr: 10, lambda: 0.5 });
    const next = run(trainer, 1);
    expect(next.firstStep).toBe(10);
    expect(next.series.loss[0] - next.series.dataLoss[0]).toBeGreaterThan(0.1);
  });

  it('lr 1e7 diverges by the Trainer rule (NaN with λ > 0, a runaway loss with λ = 0)', () => {
    for (const lambda of [0.01, 0]) {
      const trainer = new BigramNetSessionTrainer({ ...init, lr: 1e7, lambda });
      run(trainer, 1000);
      const stop = trainer.stop;
      expect(stop?.reason, `λ = ${lambda}`).toBe('diverged');
      expect(stop?.message).toMatch(
        /^Training diverged at step \d+: .* with learning rate 10000000; /,
      );
      expect(stop?.suggestedLr).toBeGreaterThan(0);
      expect(stop?.suggestedLr).toBeLessThan(1e7);
    }
  });
});

describe('the bigram net in the training session', () => {
  it('posts the counts with ready and the loss and data loss of every step, as the kind alone', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init });
    const info = (events[0] as { info: BigramNetInfo }).info;
    expect(info.V).toBe(28);
    expect(info.itos.slice(0, 3)).toEqual(['.', '-', 'a']);
    await host.handle({ type: 'step', count: 3 });
    await settle();
    const expected = run(new BigramNetSessionTrainer(init), 3);
    const slice = last().slice;
    expect(slice.firstStep).toBe(0);
    expect(Array.from(slice.series.loss)).toEqual(Array.from(expected.series.loss));
    expect(Array.from(slice.series.dataLoss)).toEqual(Array.from(expected.series.dataLoss));
    expect(slice.series.loss[0]).toBeCloseTo(3.8538, 4);
    expect((last().snapshot!.value as { W: Float32Array }).W).toHaveLength(28 * 28);
  });

  // Issue 10: the message said "step 1" while the status showed step 2.
  it('names, on divergence, the step count the status shows, and sends no blown-up W', async () => {
    const { host, last, until } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init: { ...init, lr: 1e7 } });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    const { step, stop, snapshot } = last();
    expect(stop?.step).toBe(step);
    expect(stop?.message).toContain(`Training diverged at step ${step}: `);
    expect(stop?.message).toContain('with learning rate 10000000');
    expect((snapshot!.value as { W: Float32Array | null }).W).toBeNull();
  });

  it('a new seed starts over; lr and λ apply live; speeds map to a pace', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'bigram-net', init });
    await host.handle({ type: 'step', count: 2 });
    await host.handle({ type: 'configure', config: { seed: init.seed, lr: 10, lambda: 0.1 } });
    await settle();
    expect(last()).toMatchObject({ step: 2, extra: { lr: 10, lambda: 0.1 } });
    await host.handle({ type: 'configure', config: { seed: 1, lr: 10, lambda: 0.1 } });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
    expect(stepsPerSecond('60')).toBe(60);
    expect(stepsPerSecond('max')).toBeNull();
  });
});
