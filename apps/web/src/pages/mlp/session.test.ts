import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import type { Progress, WorkerMessage } from './protocol.js';
import { MlpSession } from './session.js';
import { DEFAULT_CONFIG, type TrainerConfig } from './trainer.js';

const words = bundledNames().words;
const config: TrainerConfig = { ...DEFAULT_CONFIG, nHidden: 32, steps: 300, evalEvery: 100 };
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function open(options: { sliceMs?: number } = {}) {
  const messages: WorkerMessage[] = [];
  const session = new MlpSession((m) => messages.push(m), {
    defer: (fn) => setImmediate(fn),
    sliceMs: options.sliceMs ?? 5,
  });
  const progress = () => messages.filter((m): m is Progress => m.type === 'progress');
  const last = () => progress().at(-1) as Progress;
  const until = async (predicate: () => boolean) => {
    for (let i = 0; i < 10_000 && !predicate(); i++) await tick();
    expect(predicate()).toBe(true);
  };
  return { messages, session, progress, last, until };
}

describe('MlpSession', () => {
  it('answers init with ready, a first progress and the embedding', () => {
    const { messages, session } = open();
    session.handle({ type: 'init', words, config });
    expect(messages.map((m) => m.type)).toEqual(['ready', 'progress', 'embedding']);
    const ready = messages[0] as Extract<WorkerMessage, { type: 'ready' }>;
    expect(ready.info.chars.slice(0, 3)).toEqual(['.', '-', 'a']);
    expect(ready.info.numParameters).toBe(28 * 10 + 30 * 32 + 32 + 32 * 28 + 28);
    expect((messages[1] as Progress).status).toBe('paused');
  });

  it('trains in slices whose losses continue each other, with evaluations, until done', async () => {
    const { session, progress, last, until } = open();
    session.handle({ type: 'init', words, config });
    session.handle({ type: 'play' });
    await until(() => last().status === 'done');
    const slices = progress().filter((p) => p.losses.length > 0);
    expect(slices.length).toBeGreaterThan(1);
    let next = 0;
    for (const p of slices) {
      expect(p.firstStep).toBe(next);
      next += p.losses.length;
    }
    expect(next).toBe(300);
    expect(progress().flatMap((p) => p.evaluations.map((e) => e.step))).toEqual([100, 200, 300]);
    expect(last().step).toBe(300);
    expect(last().stepsPerSecond).toBeGreaterThan(0);
    expect(last().runningSeconds).toBeGreaterThan(0);
  });

  it('pause stops training; step advances a paused run by exactly that many steps', async () => {
    const { session, last, until, messages } = open();
    session.handle({ type: 'init', words, config });
    session.handle({ type: 'play' });
    await until(() => last().step > 0);
    session.handle({ type: 'pause' });
    const paused = last();
    expect(paused.status).toBe('paused');
    for (let i = 0; i < 20; i++) await tick();
    expect(last().step).toBe(paused.step);
    session.handle({ type: 'step', count: 5 });
    expect(last()).toMatchObject({
      status: 'paused',
      firstStep: paused.step,
      step: paused.step + 5,
    });
    expect(last().losses).toHaveLength(5);
    expect(messages.at(-1)?.type).toBe('embedding');
  });

  it('a diverging learning rate stops with the explanation, and play is refused until reset', async () => {
    const { session, last, until, messages } = open();
    session.handle({ type: 'init', words, config: { ...config, lr: 1e4, schedule: 'constant' } });
    session.handle({ type: 'play' });
    await until(() => last().status === 'diverged');
    expect(last().divergence?.message).toMatch(/^Training diverged: .* try a lower learning rate/);
    const count = messages.length;
    session.handle({ type: 'play' });
    await tick();
    expect(last().status).toBe('diverged');
    expect(messages.length).toBe(count + 1);
    session.handle({ type: 'configure', config: { ...config, lr: 0.1 } });
    expect(last().status).toBe('diverged'); // a live change does not undo a divergence
    session.handle({ type: 'reset' });
    expect(messages.at(-3)?.type).toBe('ready');
    expect(last()).toMatchObject({ status: 'paused', step: 0, divergence: undefined });
  });

  it('a structural change starts over (ready); a live one keeps the step', () => {
    const { session, last, messages } = open();
    session.handle({ type: 'init', words, config });
    session.handle({ type: 'step', count: 3 });
    session.handle({ type: 'configure', config: { ...config, lr: 0.05 } });
    expect(last()).toMatchObject({ step: 3, lr: 0.05 });
    session.handle({ type: 'configure', config: { ...config, nEmbd: 2 } });
    expect(messages.filter((m) => m.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
  });

  it('samples names and runs the learning-rate finder', () => {
    const { session, messages } = open();
    session.handle({ type: 'init', words, config });
    session.handle({ type: 'sample', count: 4, temperature: 1, seed: 3 });
    const samples = messages.at(-1) as Extract<WorkerMessage, { type: 'samples' }>;
    expect(samples.samples).toHaveLength(4);
    session.handle({ type: 'lr-finder', steps: 50 });
    const finder = messages.at(-1) as Extract<WorkerMessage, { type: 'lr-finder' }>;
    expect(finder.type).toBe('lr-finder');
    expect(finder.lrs).toHaveLength(50);
    expect(finder.suggestion).toBeGreaterThan(0);
  });

  it('reports errors as messages instead of throwing', () => {
    const { session, messages } = open();
    session.handle({ type: 'play' });
    expect(messages).toEqual([{ type: 'error', message: "the worker got 'play' before 'init'" }]);
    session.handle({ type: 'init', words: ['a'], config });
    expect(messages.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringContaining("'words'"),
    });
  });
});
