import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { openHost } from '../../session/testing.js';
import { type LrFinderResult, mlpKind, type SamplesResult, toMlpProgress } from './mlp-kind.js';
import { DEFAULT_CONFIG, MlpTrainer, type TrainerConfig } from './trainer.js';

const words = bundledNames().words;
const config: TrainerConfig = { ...DEFAULT_CONFIG, nHidden: 32, steps: 300, evalEvery: 100 };
const open = () => openHost({ mlp: () => mlpKind });

describe('the MLP trainer in the training session', () => {
  it('answers start with ready (the vocabulary, the parameter count) and the embedding', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, config } });
    expect(events.map((e) => e.type)).toEqual(['ready', 'progress']);
    const ready = events[0] as Extract<(typeof events)[number], { type: 'ready' }>;
    const info = ready.info as MlpTrainer['info'];
    expect(info.chars.slice(0, 3)).toEqual(['.', '-', 'a']);
    expect(info.numParameters).toBe(28 * 10 + 30 * 32 + 32 + 32 * 28 + 28);
    const progress = toMlpProgress(events[1] as never);
    expect(progress).toMatchObject({ status: 'paused', step: 0, steps: 300, lr: 0.1 });
  });

  it('trains in slices to done: the same losses as the trainer alone, evaluations at 100/200/300', async () => {
    const { host, progress, last, until } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, config } });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'done');
    const slices = progress()
      .map(toMlpProgress)
      .filter((p) => p.losses.length > 0);
    expect(slices.length).toBeGreaterThan(1);
    let next = 0;
    for (const p of slices) {
      expect(p.firstStep).toBe(next);
      next += p.losses.length;
    }
    expect(next).toBe(300);
    const losses = slices.flatMap((p) => Array.from(p.losses));
    const reference = new MlpTrainer(words, config).advance(300).losses;
    expect(losses).toEqual(Array.from(reference));
    expect(slices.flatMap((p) => p.evaluations.map((e) => e.step))).toEqual([100, 200, 300]);
    expect(toMlpProgress(last())).toMatchObject({ status: 'done', step: 300 });
    expect(last().stats.stepsPerSecond).toBeGreaterThan(0);
    expect(last().snapshot?.step).toBe(300);
  });

  it('step advances a paused run by exactly that many steps, with the embedding', async () => {
    const { host, last, settle } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, config } });
    await settle();
    await host.handle({ type: 'step', count: 5 });
    await settle();
    expect(toMlpProgress(last())).toMatchObject({ status: 'paused', firstStep: 0, step: 5 });
    expect(last().slice.series.loss).toHaveLength(5);
    expect((last().snapshot!.value as { x: Float32Array }).x).toHaveLength(28);
  });

  it('a diverging rate stops with the explanation; resume is refused; reset starts over', async () => {
    const { host, last, until, events, settle } = open();
    const init = { words, config: { ...config, lr: 1e4, schedule: 'constant' as const } };
    await host.handle({ type: 'start', kind: 'mlp', init });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    const progress = toMlpProgress(last());
    expect(progress.divergence?.message).toMatch(
      /^Training diverged: .* try a lower learning rate/,
    );
    expect(progress.divergence?.step).toBe(progress.step);
    await host.handle({ type: 'resume' });
    await settle();
    expect(last().status).toBe('diverged');
    await host.handle({ type: 'configure', config: { ...init.config, lr: 0.1 } });
    await settle();
    expect(last().status).toBe('diverged'); // a live change does not undo a divergence
    await host.handle({ type: 'reset' });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(toMlpProgress(last())).toMatchObject({
      status: 'paused',
      step: 0,
      divergence: undefined,
    });
  });

  it('a structural change starts over (ready); a live one keeps the step', async () => {
    const { host, last, events, settle } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, config } });
    await host.handle({ type: 'step', count: 3 });
    await host.handle({ type: 'configure', config: { ...config, lr: 0.05 } });
    await settle();
    expect(toMlpProgress(last())).toMatchObject({ step: 3, lr: 0.05 });
    await host.handle({ type: 'configure', config: { ...config, nEmbd: 2 } });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
  });

  it('samples names and runs the learning-rate finder as calls', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, config } });
    await host.handle({
      type: 'call',
      id: 1,
      name: 'sample',
      args: { count: 4, temperature: 1, seed: 3 },
    });
    const samples = events.at(-1) as Extract<(typeof events)[number], { type: 'result' }>;
    expect(samples).toMatchObject({ type: 'result', id: 1, name: 'sample' });
    expect((samples.value as SamplesResult).samples).toHaveLength(4);
    await host.handle({ type: 'call', id: 2, name: 'lr-finder', args: { steps: 50 } });
    const finder = (events.at(-1) as { value: LrFinderResult }).value;
    expect(finder.lrs).toHaveLength(50);
    expect(finder.suggestion).toBeGreaterThan(0);
  });

  it('reports a bad word list as an error event', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words: ['a'], config } });
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringContaining("'words'"),
    });
  });
});
