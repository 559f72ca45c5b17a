import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { createModel, type MLP, train } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { openHost } from '../../session/testing.js';
import { readParams } from '../../state/url-state.js';
import {
  devEvalExamples,
  type Evaluation,
  type LrFinderResult,
  type MlpInfo,
  MlpSessionTrainer,
  type MlpSettings,
  mlpKind,
  needsRestart,
  type SamplesResult,
  toMlpProgress,
} from './mlp-kind.js';
import { mlpSchema, toMlpSettings } from './params.js';

const words = bundledNames().words;
const defaults = toMlpSettings(readParams(mlpSchema, new URLSearchParams()));
const settings: MlpSettings = {
  ...defaults,
  model: { ...defaults.model, nHidden: 32 },
  steps: 300,
  evalEvery: 100,
};
const open = () => openHost({ mlp: () => mlpKind });
const slice = (trainer: MlpSessionTrainer, steps: number) =>
  trainer.runSlice({ maxSteps: steps, maxMillis: 1e9 });
const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s / (to - from);
};

describe('the MLP kind: a makemore family on the one Trainer', () => {
  it("takes makemore's train() steps with the same seed (same init, minibatches and losses)", () => {
    const trainer = new MlpSessionTrainer({
      words,
      settings: { ...defaults, steps: 20, schedule: 'constant' },
    });
    const losses = slice(trainer, 20).series.loss;
    const tokenizer = CharTokenizer.fromWords(words);
    const split = splitWords(words, { seed: 42 });
    const g = new Generator(2147483647);
    const model = createModel(
      { kind: 'mlp', vocabSize: tokenizer.vocabSize, blockSize: 3 },
      { generator: g },
    );
    const reference = train(model, buildContexts(split.train, tokenizer, 3), {
      steps: 20,
      lr: 0.1,
      generator: g,
    });
    expect(Array.from(losses)).toEqual(Array.from(reference.losses));
    expect(trainer.info).toMatchObject({
      vocabSize: 28,
      numParameters: 12108,
      words: 8422,
      trainWords: 6737,
    });
  });

  it("decays by the family's rule: 0.1, then 0.01 from half the run (as the CLI)", () => {
    const trainer = new MlpSessionTrainer({ words, settings: { ...settings, steps: 10 } });
    const lrs: number[] = [];
    for (let i = 0; i < 10; i++) {
      lrs.push(trainer.extra().lr as number);
      slice(trainer, 1);
    }
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.01]);
  });

  it('is seeded; the loss falls; evaluations every evalEvery steps and at the end', () => {
    const a = slice(new MlpSessionTrainer({ words, settings }), 30).series.loss;
    const b = slice(new MlpSessionTrainer({ words, settings }), 30).series.loss;
    const c = slice(new MlpSessionTrainer({ words, settings: { ...settings, seed: 1 } }), 30).series
      .loss;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const trainer = new MlpSessionTrainer({ words, settings: { ...settings, steps: 250 } });
    const run = slice(trainer, 1000);
    expect(run.series.loss).toHaveLength(250);
    expect(mean(run.series.loss, 200, 250)).toBeLessThan(mean(run.series.loss, 0, 10));
    expect((run.events as Evaluation[]).map((e) => e.step)).toEqual([100, 200, 250]);
    expect(trainer.stop).toEqual({ reason: 'done', step: 250, message: '' });
  });

  it('frequent evaluations average over the first 4096 dev examples, rare ones over all', () => {
    expect(devEvalExamples(100, 22_655)).toBe(4096);
    expect(devEvalExamples(1000, 22_655)).toBe(22_655);
    expect(devEvalExamples(10, 300)).toBe(300);
    const often = new MlpSessionTrainer({ words, settings: { ...settings, steps: 100 } });
    expect((slice(often, 100).events[0] as Evaluation).devExamples).toBe(4096);
  });

  it('uses only N training words when asked, and then overfits: train loss falls below dev loss', () => {
    const trainer = new MlpSessionTrainer({
      words,
      settings: { ...settings, trainWords: 50, schedule: 'constant', steps: 1500, evalEvery: 1500 },
    });
    expect(trainer.info.trainWords).toBe(50);
    expect(trainer.trainSet.size).toBeLessThanOrEqual(50);
    const [evaluation] = slice(trainer, 1500).events as Evaluation[];
    expect(evaluation.train).toBeLessThan(2);
    expect(evaluation.dev - evaluation.train).toBeGreaterThan(0.7);
  });

  it('gives the embedding (first two dims of C) and marked samples', () => {
    const trainer = new MlpSessionTrainer({ words, settings });
    const { x, y } = trainer.embedding();
    const C = (trainer.model as MLP).C.data;
    expect(x.length).toBe(28);
    expect([x[1], y[1]]).toEqual([C[10], C[11]]);
    slice(trainer, 300);
    const result = trainer.call('sample', { count: 20, temperature: 1, seed: 7 })
      .value as SamplesResult;
    expect(result.samples).toHaveLength(20);
    for (const s of result.samples) {
      expect(s.mark).toBe(
        trainer.trainSet.has(s.word) ? 'train' : trainer.allWords.has(s.word) ? 'held-out' : 'new',
      );
    }
    expect(trainer.call('sample', { count: 20, temperature: 1, seed: 7 }).value).toEqual(result);
  });

  it('the LR finder sweeps a fresh model and leaves the trained one alone', () => {
    const trainer = new MlpSessionTrainer({ words, settings });
    slice(trainer, 3);
    const W1 = (trainer.model as MLP).W1;
    const before = Float32Array.from(W1.data as Float32Array);
    const { lrs, losses, suggestion } = trainer.call('lr-finder', { steps: 200 })
      .value as LrFinderResult;
    expect(lrs[0]).toBeCloseTo(1e-3, 12);
    expect(lrs[199]).toBeCloseTo(1, 12);
    expect(losses.length).toBe(200);
    expect(suggestion).toBeGreaterThan(1e-3);
    expect(suggestion).toBeLessThan(1);
    expect(Array.from(W1.data)).toEqual(Array.from(before));
  });

  // Issue 9/10: at lr 5–10 the MLP trained on at loss 60–110 with no warning.
  it('lr 8 stops as diverged with the rule, the step, and a rate the LR finder found that trains', () => {
    const trainer = new MlpSessionTrainer({
      words,
      settings: { ...settings, lr: 8, schedule: 'constant', steps: 2000 },
    });
    const run = slice(trainer, 2000);
    const stop = trainer.stop;
    expect(stop?.reason).toBe('diverged');
    expect(run.series.loss.length).toBeLessThan(2000);
    expect(stop?.step).toBe(trainer.step);
    expect(stop?.message).toMatch(
      /^Training diverged at step \d+: the mean loss of the last 20 steps, [\d.]+, is above [\d.]+ \(2× the uniform-guess loss 3\.33, or 1\.5× the first loss\) with learning rate 8; the learning-rate finder suggests /,
    );
    const suggested = stop?.suggestedLr as number;
    expect(suggested).toBeGreaterThan(0);
    expect(suggested).toBeLessThan(8);
    const retry = new MlpSessionTrainer({
      words,
      settings: { ...settings, lr: suggested, schedule: 'constant', steps: 300 },
    });
    const again = slice(retry, 300);
    expect(retry.stop?.reason).toBe('done');
    expect(mean(again.series.loss, 250, 300)).toBeLessThan(3.33);
  });

  it('needsRestart: the model, optimizer, seeds and training words; not lr, batch, steps', () => {
    expect(needsRestart(settings, { ...settings, model: { ...settings.model, nEmbd: 2 } })).toBe(
      true,
    );
    expect(needsRestart(settings, { ...settings, trainWords: 10 })).toBe(true);
    expect(
      needsRestart(settings, { ...settings, lr: 1, batchSize: 8, steps: 10, evalEvery: 7 }),
    ).toBe(false);
  });

  it('names the problem when the list is too short, or the model too large for a tab', () => {
    expect(() => new MlpSessionTrainer({ words: ['ab', 'c'], settings })).toThrow(
      "Argument 'words' passed to the MLP trainer must hold at least 3 words",
    );
    expect(
      () =>
        new MlpSessionTrainer({
          words,
          settings: { ...settings, model: { blockSize: 64, nEmbd: 1024, nHidden: 100_000 } },
        }),
    ).toThrow(/needs .* GB/);
  });
});

describe('the MLP kind in the training session', () => {
  it('answers start with ready (the vocabulary, the parameter count) and the embedding', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, settings } });
    expect(events.map((e) => e.type)).toEqual(['ready', 'progress']);
    const ready = events[0] as Extract<(typeof events)[number], { type: 'ready' }>;
    const info = ready.info as MlpInfo;
    expect(info.chars.slice(0, 3)).toEqual(['.', '-', 'a']);
    expect(info.numParameters).toBe(28 * 10 + 30 * 32 + 32 + 32 * 28 + 28);
    const progress = toMlpProgress(events[1] as never);
    expect(progress).toMatchObject({ status: 'paused', step: 0, steps: 300, lr: 0.1 });
  });

  it('trains in slices to done: the same losses as the kind alone, evaluations at 100/200/300', async () => {
    const { host, progress, last, until } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, settings } });
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
    const reference = slice(new MlpSessionTrainer({ words, settings }), 300).series.loss;
    expect(losses).toEqual(Array.from(Float32Array.from(reference)));
    expect(slices.flatMap((p) => p.evaluations.map((e) => e.step))).toEqual([100, 200, 300]);
    expect(toMlpProgress(last())).toMatchObject({ status: 'done', step: 300 });
    expect(last().stats.stepsPerSecond).toBeGreaterThan(0);
    expect(last().snapshot?.step).toBe(300);
  });

  it('step advances a paused run by exactly that many steps, with the embedding', async () => {
    const { host, last, settle } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, settings } });
    await settle();
    await host.handle({ type: 'step', count: 5 });
    await settle();
    expect(toMlpProgress(last())).toMatchObject({ status: 'paused', firstStep: 0, step: 5 });
    expect(last().slice.series.loss).toHaveLength(5);
    expect((last().snapshot!.value as { x: Float32Array }).x).toHaveLength(28);
  });

  it('a diverging rate stops with the explanation; resume is refused; reset starts over', async () => {
    const { host, last, until, events, settle } = open();
    const init = { words, settings: { ...settings, lr: 1e4, schedule: 'constant' as const } };
    await host.handle({ type: 'start', kind: 'mlp', init });
    await host.handle({ type: 'resume' });
    await until(() => last().status === 'diverged');
    const progress = toMlpProgress(last());
    expect(progress.divergence?.message).toMatch(/^Training diverged at step \d+: /);
    expect(progress.divergence?.step).toBe(progress.step);
    await host.handle({ type: 'resume' });
    await settle();
    expect(last().status).toBe('diverged');
    await host.handle({ type: 'configure', config: { ...init.settings, lr: 0.1 } });
    await settle();
    expect(last().status).toBe('diverged'); // a live change does not undo a divergence
    await host.handle({ type: 'reset' });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(toMlpProgress(last())).toMatchObject({
      status: 'paused',
      step: 0,
      lr: 0.1,
      divergence: undefined,
    });
  });

  it('a structural change starts over (ready); a live one keeps the step and the stream', async () => {
    const { host, last, events, settle } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, settings } });
    await host.handle({ type: 'step', count: 3 });
    await host.handle({ type: 'configure', config: { ...settings, lr: 0.05 } });
    await settle();
    expect(toMlpProgress(last())).toMatchObject({ step: 3, lr: 0.05 });
    await host.handle({
      type: 'configure',
      config: { ...settings, lr: 0.05, model: { ...settings.model, nEmbd: 2 } },
    });
    await settle();
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
    expect(last().step).toBe(0);
  });

  it('a live change continues the same run: 3 steps + 3 steps equal 6 straight', () => {
    const straight = slice(new MlpSessionTrainer({ words, settings }), 6).series.loss;
    const trainer = new MlpSessionTrainer({ words, settings });
    const first = slice(trainer, 3).series.loss;
    expect(trainer.configure({ ...settings, evalEvery: 50 })).toBe('live');
    const rest = slice(trainer, 3);
    expect(rest.firstStep).toBe(3);
    expect([...first, ...rest.series.loss]).toEqual(Array.from(straight));
  });

  it('samples names and runs the learning-rate finder as calls', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'mlp', init: { words, settings } });
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
    await host.handle({ type: 'start', kind: 'mlp', init: { words: ['a'], settings } });
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      message: expect.stringContaining("'words'"),
    });
  });
});
