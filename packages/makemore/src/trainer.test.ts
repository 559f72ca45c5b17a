import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { ConfigError, TrainingDivergedError } from './errors.js';
import { evaluate } from './evaluate.js';
import { familyConfig, getFamily } from './families/registry.js';
import { MLP } from './mlp.js';
import { languageModelTask } from './tasks/language-model.js';
import { Trainer, type TrainerState } from './trainer.js';

const words = bundledNames().words.filter((_, i) => i % 20 === 0);
const tokenizer = CharTokenizer.fromWords(words);
const data = buildContexts(splitWords(words).train, tokenizer, 3);
const config = familyConfig('mlp', { nHidden: 32 }, { vocabSize: tokenizer.vocabSize });
const newModel = () => new MLP(config, { generator: new Generator(2147483647) });
const options = (steps: number, lr = 0.1) => ({
  steps,
  optimizer: { kind: 'sgd', lr },
  schedule: getFamily('mlp').defaults.schedule({ lr, steps }),
  generator: new Generator(42),
});

describe('Trainer', () => {
  it('in slices, and resumed from its state through JSON, gives the losses of one run', () => {
    const whole = new Trainer(languageModelTask(newModel(), data), options(60)).run();
    expect(whole.stoppedBecause).toBe('done');
    expect(whole.losses.length).toBe(60);

    const model = newModel();
    const task = languageModelTask(model, data);
    const sliced = new Trainer(task, options(60));
    const first = sliced.runSlice({ maxSteps: 25 });
    expect(first).toMatchObject({
      step: 25,
      fromStep: 0,
      stoppedBecause: 'slice',
      finished: false,
    });
    const state: TrainerState = JSON.parse(JSON.stringify(sliced.state()));
    expect(state.scheduler.lastEpoch).toBe(25);
    const weights = model.stateDict();

    const resumedModel = newModel();
    resumedModel.loadStateDict(weights);
    const resumed = Trainer.resume(languageModelTask(resumedModel, data), state);
    const rest = resumed.run();
    expect(rest.fromStep).toBe(25);
    expect([...first.losses, ...rest.losses]).toEqual(Array.from(whole.losses));
    // The lecture decay happened at half the run, on the resumed side: 0.1 then 0.01.
    expect(resumed.lr).toBe(0.01);
  });

  it('runSlice never runs past its time budget by more than a step', () => {
    const trainer = new Trainer(languageModelTask(newModel(), data), options(1_000_000));
    const progress = trainer.runSlice({ maxMillis: 20 });
    expect(progress.stoppedBecause).toBe('slice');
    expect(progress.losses.length).toBeGreaterThanOrEqual(1);
    expect(progress.seconds).toBeLessThan(0.5);
  });

  it('checkpoints every N steps, on request, and at the end before the final evaluation', () => {
    const events: string[] = [];
    const trainer = new Trainer(languageModelTask(newModel(), data, { dev: data }), {
      ...options(30),
      evalEvery: 10,
      onEval: ({ step }) => events.push(`eval ${step}`),
      checkpoint: {
        everySteps: 12,
        onCheckpoint: ({ step, reason }) => events.push(`save ${step} ${reason}`),
      },
    });
    trainer.runSlice({ maxSteps: 5 });
    trainer.requestCheckpoint(); // between slices (a signal handler): saves at once
    trainer.run();
    expect(events).toEqual([
      'save 5 requested',
      'eval 10',
      'save 12 interval',
      'eval 20',
      'save 24 interval',
      'save 30 final',
      'eval 30',
    ]);
  });

  it('runAsync yields to the event loop, so an abort from a timer stops it', async () => {
    const controller = new AbortController();
    const trainer = new Trainer(languageModelTask(newModel(), data), {
      ...options(10_000_000),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    const progress = await trainer.runAsync({ sliceMillis: 5 });
    expect(progress.stoppedBecause).toBe('aborted');
    expect(progress.step).toBeGreaterThan(0);
    expect(progress.losses.length).toBe(progress.step);
  });

  it('a mean loss above max(2·ln V, 1.5·first loss) over 20 steps stops the run with a working rate', () => {
    // The lecture's MLP (200 hidden units) at lr 8 trains on at losses of 60–110 (issue 10): no
    // NaN, but no learning either. Its first loss here is 29.6, so the bound is 44.3.
    const big = () =>
      new MLP(familyConfig('mlp', {}, { vocabSize: tokenizer.vocabSize }), {
        generator: new Generator(2147483647),
      });
    const task = languageModelTask(big(), data);
    const progress = new Trainer(task, options(2000, 8)).run();
    expect(progress.stoppedBecause).toBe('diverged');
    const error = progress.diverged as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(Number.isFinite(error.bound)).toBe(true);
    expect(error.step).toBeLessThan(200);
    expect(error.message).toMatch(
      /^Training diverged at step \d+: the mean loss of the last 20 steps, [\d.]+, is above [\d.]+ \(2× the uniform-guess loss 3\.\d+, or 1\.5× the first loss\) with learning rate 8; the learning-rate finder suggests [\d.e-]+/,
    );
    const lr = error.suggestedLr as number;
    expect(lr).toBeGreaterThan(1e-3);
    expect(lr).toBeLessThan(8);
    const retry = new Trainer(languageModelTask(big(), data), options(300, lr)).run();
    expect(retry.stoppedBecause).toBe('done');
    expect(retry.lastLoss).toBeLessThan(retry.losses[0]);
  });

  it("evaluate: 'dev' measures the dev split and reports the mean loss of the last evalEvery steps as train", () => {
    const dev = buildContexts(splitWords(words).dev, tokenizer, 3);
    const model = newModel();
    const task = languageModelTask(model, data, { dev, evaluate: 'dev' });
    const losses: number[] = [];
    const seen: { step: number; train: number; dev: number; exactDev: number }[] = [];
    const trainer = new Trainer(task, {
      ...options(7),
      evalEvery: 3,
      onStep: (record) => losses.push(record.loss),
      onEval: ({ step, metrics }) =>
        seen.push({ step, train: metrics.train, dev: metrics.dev, exactDev: evaluate(model, dev) }),
    });
    trainer.evaluateNow(); // before any step: no train figure yet
    trainer.run();
    const mean = (from: number, to: number) =>
      losses.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    expect(seen.map((e) => e.step)).toEqual([0, 3, 6, 7]);
    expect(seen[0].train).toBeNaN();
    expect(seen[1].train).toBe(mean(0, 3));
    expect(seen[2].train).toBe(mean(3, 6));
    expect(seen[3].train).toBe(mean(4, 7)); // the last evalEvery steps, across the previous line
    for (const e of seen) expect(e.dev).toBe(e.exactDev);
    expect(seen[3].dev).toBeLessThan(seen[0].dev); // 7 steps of learning show on the dev split
    // The default measures the training data itself (the exact loss of the weights at the step).
    const exact = languageModelTask(newModel(), data, { dev }).evaluate?.(0, { recentLoss: 9 });
    expect(exact?.train).toBe(evaluate(newModel(), data));
    expect(() => languageModelTask(newModel(), data, { evaluate: 'test' as never })).toThrow(
      `evaluate must be 'train-and-dev' or 'dev', got "test"`,
    );
  });

  it('refuses a damaged state, naming the field', () => {
    const trainer = new Trainer(languageModelTask(newModel(), data), options(5));
    const state = trainer.state();
    const task = languageModelTask(newModel(), data);
    expect(() => Trainer.resume(task, { ...state, generator: null } as never)).toThrow(
      'trainer state: generator must be a generator state { mt, mti, … }, got null',
    );
    expect(() => Trainer.resume(task, { ...state, step: -1 })).toThrow(
      'trainer state: step must be an integer ≥ 0, got -1',
    );
    expect(() =>
      Trainer.resume(task, { ...state, optimizerSettings: { kind: 'sgd' } } as never),
    ).toThrow(ConfigError);
    expect(() => new Trainer(task, { steps: 1.5 })).toThrow(
      'Trainer: steps must be an integer ≥ 0, got 1.5',
    );
    expect(() => new Trainer(task, { ...options(10), optimizer: { kind: 'sgd', lr: 1 } })).toThrow(
      'Trainer: the schedule starts at lr 0.1 but optimizer.lr is 1',
    );
  });
});
