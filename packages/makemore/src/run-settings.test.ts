import { Generator } from '@llm-playground/core';
import { bundledNames, CharTokenizer, readWords, splitWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../tools/lecture-names.js';
import { familyConfig, getFamily } from './families/registry.js';
import { runSettings } from './run-settings.js';
import { languageModelTask } from './tasks/language-model.js';
import { Trainer } from './trainer.js';
import { trainingData } from './training-data.js';

const names = lectureNamesPath();

describe('runSettings', () => {
  it("fills the family's defaults and rebuilds the schedule from the lr and steps given", () => {
    expect(runSettings(getFamily('mlp'))).toEqual({
      steps: 30_000,
      batchSize: 32,
      optimizer: { kind: 'sgd', lr: 0.1 },
      schedule: { kind: 'PiecewiseConstantLR', boundaries: [15_000], values: [0.1, 0.01] },
    });
    expect(
      runSettings(getFamily('mlp'), { lr: 0.05, steps: 1000, optimizer: 'adamw', weightDecay: 0 }),
    ).toEqual({
      steps: 1000,
      batchSize: 32,
      optimizer: { kind: 'adamw', lr: 0.05, weightDecay: 0 },
      schedule: { kind: 'PiecewiseConstantLR', boundaries: [500], values: [0.05, 0.005] },
    });
    expect(runSettings(getFamily('bigram-net')).schedule).toEqual({
      kind: 'ConstantLR',
      factor: 1,
    });
    expect(() => runSettings(getFamily('mlp'), { lr: Number.NaN })).toThrow(
      'lr (--lr) must be a finite number ≥ 0, got NaN',
    );
    expect(() => runSettings(getFamily('mlp'), { batchSize: 0 })).toThrow(
      'batchSize (--batch-size) must be an integer ≥ 1, got 0',
    );
  });
});

describe('trainingData', () => {
  const { words } = bundledNames();
  const tokenizer = CharTokenizer.fromWords(words);
  const split = splitWords(words);

  it('gives each family its block size, from the training split or from every word', () => {
    const mlp = familyConfig('mlp', { blockSize: 4 }, { vocabSize: tokenizer.vocabSize });
    const data = trainingData(getFamily('mlp'), mlp, split, tokenizer);
    expect(data.train.blockSize).toBe(4);
    expect(data.train.length).toBe(split.train.reduce((n, w) => n + w.length + 1, 0));
    expect(data.dev.length).toBe(split.dev.reduce((n, w) => n + w.length + 1, 0));
    const all = familyConfig('bigram-net', { allWords: true }, { vocabSize: tokenizer.vocabSize });
    const bigrams = trainingData(getFamily('bigram-net'), all, split, tokenizer);
    expect(bigrams.train.blockSize).toBe(1);
    expect(bigrams.train.length).toBe(words.reduce((n, w) => n + w.length + 1, 0));
  });

  it.skipIf(names === null)(
    "with allWords, the bigram net trains on the lecture's 228,146 bigrams and its numbers",
    () => {
      const lectureWords = readWords(names as string).words;
      const tk = CharTokenizer.fromWords(lectureWords);
      const family = getFamily('bigram-net');
      const config = familyConfig('bigram-net', { allWords: true }, { vocabSize: tk.vocabSize });
      const data = trainingData(family, config, splitWords(lectureWords), tk);
      expect(data.train.length).toBe(228_146);
      const model = family.create(config, { generator: new Generator(2147483647) });
      const settings = runSettings(family, { steps: 101 });
      const progress = new Trainer(
        languageModelTask(model, data.train, { batchSize: settings.batchSize }),
        {
          ...settings,
          generator: new Generator(2147483647),
        },
      ).run();
      expect(progress.losses[0]).toBeCloseTo(3.768619, 5);
      expect(progress.losses[100]).toBeCloseTo(2.489959, 5);
    },
  );
});
