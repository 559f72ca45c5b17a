import { bundledNames } from '@llm-playground/data';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command, ProgressEvent, SessionEvent } from '../../session/protocol.js';
import { createSessionWorker } from '../../session/use-session.js';
import { readParams } from '../../state/url-state.js';
import {
  MlpSessionTrainer,
  type MlpSettings,
  type MlpProgress as Progress,
  toMlpProgress,
} from './mlp-kind.js';
import { mlpSchema, toMlpSettings } from './params.js';

const words = bundledNames().words;
const defaults = toMlpSettings(readParams(mlpSchema, new URLSearchParams()));
const settings: MlpSettings = {
  ...defaults,
  model: { ...defaults.model, nHidden: 64 },
  // lr 0.1 throughout (the family's schedule would decay to 0.01 from step 150 of 300).
  schedule: 'constant',
  steps: 300,
  evalEvery: 100,
};
const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s / (to - from);
};

/** The training session's worker, started as the MLP page starts it, with every message it posts. */
function startWorker() {
  const worker = createSessionWorker();
  const messages: SessionEvent[] = [];
  const errors: string[] = [];
  let wake = () => {};
  worker.onmessage = (event: MessageEvent<SessionEvent>) => {
    messages.push(event.data);
    wake();
  };
  worker.onerror = (event) => {
    errors.push(event.message);
    wake();
  };
  const post = (message: Command) => worker.postMessage(message);
  /** Resolves once `predicate` holds for the messages so far (or fails on a worker error). */
  const until = (predicate: (messages: SessionEvent[]) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (errors.length > 0) reject(new Error(`worker error: ${errors.join('; ')}`));
        else if (predicate(messages)) resolve();
      };
      wake = check;
      check();
    });
  return { worker, messages, post, until };
}

const progressOf = (messages: SessionEvent[]): Progress[] =>
  messages.filter((m): m is ProgressEvent => m.type === 'progress').map(toMlpProgress);

describe('the MLP training worker', () => {
  let worker: Worker | undefined;
  afterEach(() => worker?.terminate());

  it('trains a few hundred steps in slices; the posted loss falls; a main-thread run matches exactly', async () => {
    const session = startWorker();
    worker = session.worker;
    // The worker trains on the wasm backend by default; the main-thread reference below runs on js
    // (float32 sums in another order), so compare like with like.
    session.post({ type: 'backend', name: 'js' });
    session.post({ type: 'start', kind: 'mlp', init: { words, settings } });
    session.post({ type: 'resume' });
    await session.until((m) => progressOf(m).at(-1)?.status === 'done');

    const ready = session.messages.find((m) => m.type === 'ready');
    expect(ready).toMatchObject({ info: { vocabSize: 28, words: 8422, trainWords: 6737 } });
    const progress = progressOf(session.messages);
    // Slices whose losses continue each other, 300 in all (transferred as Float32Arrays).
    const slices = progress.filter((p) => p.losses.length > 0);
    expect(slices.length).toBeGreaterThan(1);
    let next = 0;
    for (const p of slices) {
      expect(p.losses).toBeInstanceOf(Float32Array);
      expect(p.firstStep).toBe(next);
      next += p.losses.length;
    }
    expect(next).toBe(300);
    const losses = Float32Array.from(slices.flatMap((p) => Array.from(p.losses)));
    expect(losses.every(Number.isFinite)).toBe(true);
    // From ~20 (random init, huge logits) down below 5 on average over the last 50 steps.
    expect(mean(losses, 0, 10)).toBeGreaterThan(10);
    expect(mean(losses, 250, 300)).toBeLessThan(5);
    const evaluations = progress.flatMap((p) => p.evaluations);
    expect(evaluations.map((e) => e.step)).toEqual([100, 200, 300]);
    expect(evaluations[2].dev).toBeLessThan(evaluations[0].dev);
    expect(evaluations[2].dev).toBeLessThan(5);
    const last = progress.at(-1) as Progress;
    expect(last).toMatchObject({ status: 'done', step: 300, steps: 300 });
    expect(last.stepsPerSecond).toBeGreaterThan(0);

    // Same engine, same seed: the kind run on this thread gives the very same losses.
    const reference = new MlpSessionTrainer({ words, settings }).runSlice({
      maxSteps: 300,
      maxMillis: 1e9,
    }).series.loss;
    expect(Array.from(losses)).toEqual(Array.from(Float32Array.from(reference)));
  });

  it('a diverging learning rate pauses with the explanation instead of posting garbage', async () => {
    const session = startWorker();
    worker = session.worker;
    session.post({
      type: 'start',
      kind: 'mlp',
      init: { words, settings: { ...settings, lr: 1e4, schedule: 'constant' } },
    });
    session.post({ type: 'resume' });
    await session.until((m) => progressOf(m).at(-1)?.status === 'diverged');
    const last = progressOf(session.messages).at(-1) as Progress;
    expect(last.divergence?.message).toMatch(
      /^Training diverged at step \d+: .* with learning rate 10000; the learning-rate finder suggests /,
    );
    expect(last.divergence?.step).toBe(last.step);
    expect(last.divergence?.suggestedLr).toBeGreaterThan(0);
    expect(last.divergence?.suggestedLr).toBeLessThan(1e4);
    const posted = progressOf(session.messages).flatMap((p) => Array.from(p.losses));
    expect(posted.every(Number.isFinite)).toBe(true);
  });
});
