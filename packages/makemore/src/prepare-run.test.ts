import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { ConfigError } from './errors.js';
import { BigramCounts } from './families/bigram-counts/index.js';
import { createModel, familyConfig, getFamily } from './families/registry.js';
import { prepareRun } from './prepare-run.js';
import { runSettings } from './run-settings.js';
import { languageModelTask } from './tasks/language-model.js';
import { requireCharTokenizer } from './text-tokenizer.js';
import { Trainer } from './trainer.js';
import { trainingData } from './training-data.js';

const words = bundledNames().words.filter((_, i) => i % 8 === 0);

describe('prepareRun', () => {
  it('gives the run the pieces would give by hand (same generator for weights, then batches)', () => {
    const run = prepareRun({
      family: 'mlp',
      rawConfig: { nHidden: '40', nEmbd: 5 },
      words,
      seed: 7,
      run: { steps: 80, lr: 0.2 },
    });
    expect(run.config).toMatchObject({ kind: 'mlp', blockSize: 3, nEmbd: 5, nHidden: 40 });
    expect(run.settings.schedule).toEqual({
      kind: 'PiecewiseConstantLR',
      boundaries: [40],
      values: [0.2, 0.02],
    });
    expect(run.splitFingerprint).toEqual({
      seed: 42,
      fractions: [0.8, 0.9],
      train: run.split.train.length,
      dev: run.split.dev.length,
      test: run.split.test.length,
    });
    const losses = run.createTrainer().run().losses;

    const tokenizer = CharTokenizer.fromWords(words);
    const config = familyConfig(
      'mlp',
      { nHidden: 40, nEmbd: 5 },
      { vocabSize: tokenizer.vocabSize },
    );
    const generator = new Generator(7);
    const model = createModel(config, { generator });
    const data = trainingData(getFamily('mlp'), config, splitWords(words), tokenizer);
    const settings = runSettings(getFamily('mlp'), { steps: 80, lr: 0.2 });
    const byHand = new Trainer(languageModelTask(model, data.train), {
      ...settings,
      generator,
    }).run().losses;
    expect(Array.from(losses)).toEqual(Array.from(byHand));
  });

  it('resumes a checkpoint with a trainer state bit for bit, and one without via its step', () => {
    const common = { family: 'mlp', rawConfig: { nHidden: 30 }, words, run: { steps: 60 } };
    const straight = prepareRun(common).createTrainer().run().losses;

    const first = prepareRun(common);
    const trainer = first.createTrainer();
    const half = trainer.runSlice({ maxSteps: 25 }).losses;
    const dir = join(mkdtempSync(join(tmpdir(), 'prepare-run-')), 'run');
    const { config, tokenizer, model } = first;
    saveCheckpoint(dir, { config, tokenizer, model, step: 25, trainerState: trainer.state() });
    const resumed = prepareRun({ ...common, run: {}, resume: loadCheckpoint(dir) });
    expect(resumed.startStep).toBe(25);
    expect(resumed.settings.steps).toBe(60);
    const rest = resumed.createTrainer().run().losses;
    expect([...half, ...rest]).toEqual(Array.from(straight));

    // An old checkpoint: step, optimizer and generator states only.
    const old = join(mkdtempSync(join(tmpdir(), 'prepare-run-')), 'run');
    const again = prepareRun(common);
    const t2 = again.createTrainer();
    t2.runSlice({ maxSteps: 25 });
    saveCheckpoint(old, {
      config,
      tokenizer,
      model: again.model,
      step: 25,
      optimizerState: t2.optimizer.stateDict() as never,
      generatorState: t2.generator.getState(),
    });
    const fromOld = prepareRun({ ...common, resume: loadCheckpoint(old) });
    expect(fromOld.startStep).toBe(25);
    expect(Array.from(fromOld.createTrainer().run().losses)).toEqual(Array.from(rest));
  });

  it('on resume, a new --steps rebuilds the schedule from the saved rate', () => {
    const first = prepareRun({ family: 'mlp', words, run: { steps: 20, lr: 0.3 } });
    const trainer = first.createTrainer();
    trainer.run();
    const dir = join(mkdtempSync(join(tmpdir(), 'prepare-run-')), 'run');
    const { config, tokenizer, model } = first;
    saveCheckpoint(dir, { config, tokenizer, model, step: 20, trainerState: trainer.state() });
    const more = prepareRun({
      family: 'mlp',
      words,
      run: { steps: 100 },
      resume: loadCheckpoint(dir),
    });
    expect(more.settings.optimizer.lr).toBe(0.3);
    expect(more.settings.schedule).toMatchObject({ boundaries: [50], values: [0.3, 0.03] });
    const progress = more.createTrainer().run();
    expect(progress.fromStep).toBe(20);
    expect(progress.losses.length).toBe(80);
  });

  it('fits a family that is not trained (the bigram counts) on the training split', () => {
    const run = prepareRun({ family: 'bigram', rawConfig: { smoothing: 0 }, words });
    expect(run.task).toBeNull();
    const expected = BigramCounts.fromWords(
      run.split.train,
      requireCharTokenizer(run.tokenizer, 'test'),
      { smoothing: 0 },
    );
    expect(Array.from((run.model as BigramCounts).counts.data)).toEqual(
      Array.from(expected.counts.data),
    );
    expect(() => run.createTrainer()).toThrow(/fitted, not trained/);
  });

  it('refuses bad input naming what to change', () => {
    expect(() => prepareRun({ family: 'mlp', rawConfig: { nHidden: 0 }, words })).toThrow(
      /nHidden \(--n-hidden\)/,
    );
    expect(() => prepareRun({ family: 'mlp', words: [] })).toThrow(ConfigError);
    expect(() => prepareRun({ family: 'mlp', words: ['ab'] })).toThrow(/training split is empty/);
    expect(() =>
      prepareRun({ family: 'mlp', rawConfig: { nEmbd: 1000, nHidden: 100000 }, words }),
    ).toThrow(/lower --block-size, --n-embd or --n-hidden/);
    expect(() => prepareRun({ family: 'lstm', words })).toThrow(ConfigError);
  });
});
