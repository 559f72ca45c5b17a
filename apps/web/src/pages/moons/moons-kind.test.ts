import { DEFAULT_MOONS_CONFIG, type MoonsConfig } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { openHost } from '../../session/testing.js';
import { SUGGESTED_LR } from './loss-curves.js';
import {
  type MoonsInfo,
  MoonsSessionTrainer,
  type MoonsSnapshot,
  moonsKind,
} from './moons-kind.js';

const config: MoonsConfig = { ...DEFAULT_MOONS_CONFIG, hidden: [16, 16] };
const open = () => openHost({ moons: () => moonsKind });

/** Runs a kind to its end in one slice and returns its series and stop. */
function runToEnd(settings: Partial<MoonsConfig>) {
  const trainer = new MoonsSessionTrainer({ ...config, ...settings });
  const slice = trainer.runSlice({ maxSteps: 100_000, maxMillis: 1e9 });
  return { trainer, slice, stop: trainer.stop };
}

describe('the moons kind: makemore moonsTask on the one Trainer', () => {
  it("runs micrograd's demo in the session: seed 1337, 0.8071 at 66% → 0.0172 at 100%", async () => {
    const { host, events, progress, last, until } = open();
    await host.handle({ type: 'start', kind: 'moons', init: config });
    const info = (events[0] as { info: MoonsInfo }).info;
    expect(info.X).toHaveLength(100);
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'done');
    const series = (name: string) =>
      progress().flatMap((p) => Array.from(p.slice.series[name] ?? []));
    const losses = series('loss');
    const accuracy = series('accuracy');
    const lrs = series('lr');
    expect(losses).toHaveLength(100);
    expect(losses[0].toFixed(4)).toBe('0.8071');
    expect(accuracy[0]).toBe(0.66);
    expect(losses[99].toFixed(4)).toBe('0.0172');
    expect(accuracy[99]).toBe(1);
    expect(lrs[0]).toBe(1);
    expect(lrs[99]).toBeCloseTo(1 - (0.9 * 99) / 100, 12);
    // The same numbers as the kind run in one slice (the session adds nothing of its own).
    expect(losses).toEqual(Array.from(runToEnd({}).slice.series.loss));
    const snapshot = last().snapshot?.value as MoonsSnapshot;
    expect(snapshot.accuracy).toBe(1);
    expect(snapshot.grid).toHaveLength(80 * 80);
    expect(last().stop).toEqual({ reason: 'done', step: 100, message: '' });
  });

  it('the same settings keep the run; new ones start a new run', async () => {
    const { host, events, last, settle } = open();
    await host.handle({ type: 'start', kind: 'moons', init: config });
    await host.handle({ type: 'step', count: 1 });
    await host.handle({ type: 'configure', config: { ...config } });
    await settle();
    expect(last().step).toBe(1);
    await host.handle({ type: 'configure', config: { ...config, seed: 3 } });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
  });

  it('lr 100 stops as diverged (not "done" at 1e93) with a learning rate that trains', async () => {
    const { host, last, until } = open();
    await host.handle({ type: 'start', kind: 'moons', init: { ...config, lr: 100 } });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    const stop = last().stop;
    expect(stop?.reason).toBe('diverged');
    expect(stop?.message).toMatch(
      /^Training diverged at step \d+: .* with learning rate [\d.]+; the learning-rate finder suggests /,
    );
    expect(stop?.step).toBe(last().step);
    expect(stop?.lr).toBeLessThanOrEqual(100);
    const suggested = stop?.suggestedLr as number;
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(100);
    const retry = runToEnd({ lr: suggested });
    expect(retry.stop?.reason).toBe('done');
    expect(retry.slice.series.accuracy[99]).toBeGreaterThan(0.8);
  }, 60_000);

  it('squared error at lr 1 diverges too; its suggested lr 0.1 trains to ≥ 95%', () => {
    const diverged = runToEnd({ loss: 'mse', lr: 1 });
    expect(diverged.stop?.reason).toBe('diverged');
    expect(diverged.stop?.suggestedLr).toBeLessThan(1);
    const { trainer, slice } = runToEnd({ loss: 'mse', lr: SUGGESTED_LR.mse });
    expect(slice.series.loss[0]).toBeCloseTo(0.9932, 3);
    expect(slice.series.loss[99]).toBeLessThan(slice.series.loss[0] / 4);
    expect(trainer.snapshot().value.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('cross-entropy (seed 1337, lr 1) starts near log 2 and trains to ≥ 95%', () => {
    const { trainer, slice } = runToEnd({ loss: 'cross-entropy' });
    expect(slice.series.loss[0]).toBeCloseTo(0.6374, 3);
    expect(slice.series.loss[99]).toBeLessThan(slice.series.loss[0] / 5);
    expect(trainer.snapshot().value.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('minibatches of 20: accuracy in steps of 5% per batch, and it still learns', () => {
    const { trainer, slice } = runToEnd({ batchSize: 20, steps: 150 });
    const accuracy = Array.from(slice.series.accuracy);
    expect(accuracy).toHaveLength(150);
    expect(accuracy.every((a) => Math.abs(a * 20 - Math.round(a * 20)) < 1e-9)).toBe(true);
    expect(trainer.snapshot().value.accuracy).toBeGreaterThan(0.9);
  });

  it('a slice stops at maxSteps and the next one continues where it stopped', () => {
    const trainer = new MoonsSessionTrainer({ ...config, steps: 5 });
    const a = trainer.runSlice({ maxSteps: 2, maxMillis: 1e9 });
    const b = trainer.runSlice({ maxSteps: 10, maxMillis: 1e9 });
    expect([a.firstStep, a.series.loss.length, b.firstStep, b.series.loss.length]).toEqual([
      0, 2, 2, 3,
    ]);
    expect(trainer.stop?.reason).toBe('done');
  });
});
