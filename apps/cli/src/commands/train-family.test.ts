// A model family the CLI has never heard of: defined and registered in this test only, it appears
// in `lmp train --help` with its schema's flag, trains, saves, resumes and refuses bad values —
// with no CLI file naming it. (The flags come from the schema, the run from makemore's prepareRun.)
import { join } from 'node:path';
import type { Generator } from '@llm-playground/core';
import {
  bytesOf,
  type LanguageModel,
  listFamilies,
  loadCheckpoint,
  type ModelConfig,
  type ModelFamily,
  registerFamily,
  unregisterFamily,
} from '@llm-playground/makemore';
import { F, Module } from '@llm-playground/nn';
import { randn, type Tensor } from '@llm-playground/tensor';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lmp, WORDS, wordsDirectory } from './test-words.js';

/** Next-character logits that ignore the context: one bias per character, divided by a temperature. */
class LetterFrequency extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  bias: Tensor;
  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    this.config = config;
    this.bias = randn([config.vocabSize], { generator: options.generator, requiresGrad: true });
  }
  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }
  logits(contexts: Tensor): Tensor {
    return this.bias
      .div(this.config.temperature as number)
      .view(1, -1)
      .expand(contexts.shape[0], this.config.vocabSize);
  }
  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }
}

const letterFrequency: ModelFamily = {
  name: 'letter-frequency',
  title: 'Letter frequencies (context ignored)',
  schema: [
    {
      name: 'temperature',
      type: 'float',
      default: 1,
      min: 0.1,
      max: 10,
      help: 'divides the logits',
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'adam',
    lr: 0.1,
    steps: 50,
    batchSize: 16,
    schedule: ({ steps }) => ({ kind: 'CosineAnnealingLR', tMax: steps }),
  },
  trainsOn: () => ({ examples: 'contexts', blockSize: 1, split: 'train' }),
  estimate: (config) => [
    {
      name: 'bias',
      shape: [config.vocabSize],
      bytes: bytesOf([config.vocabSize]),
      dependsOn: [],
      trainable: true,
    },
  ],
  create: (config, options = {}) => new LetterFrequency(config, options),
};

const V = new Set(WORDS.join('')).size + 1;

describe('lmp train with a family registered by a test', () => {
  beforeEach(() => registerFamily(letterFrequency));
  afterEach(() => {
    unregisterFamily('letter-frequency');
  });

  it('lists the family and its schema flag in --help, under its own heading', async () => {
    const { code, out } = await lmp(['train', '--help']);
    expect(code).toBe(0);
    // The built-in families (their number grows with makemore's zoo), then the test's, last.
    const names = listFamilies().map((family) => family.name);
    expect(names.slice(0, 3)).toEqual(['bigram', 'bigram-net', 'mlp']);
    expect(names.at(-1)).toBe('letter-frequency');
    expect(out).toContain(`model family: ${names.join(', ')} (default: mlp)`);
    expect(out).toContain(
      'Options of --model letter-frequency — Letter frequencies (context ignored):',
    );
    expect(out).toMatch(
      /\n {6}--temperature X +divides the logits \(float 0\.1\.\.10\) \(default: 1\)\n/,
    );
    // the built-ins' flags, each under its family
    expect(out).toMatch(/Options of --model mlp — [^\n]*:\n(?: +--[^\n]*\n)*? +--n-hidden N /);
  });

  it('trains, saves, resumes and validates through --model with the family defaults', async () => {
    const cwd = wordsDirectory();
    const trained = await lmp(
      [
        'train',
        '--model',
        'letter-frequency',
        '-i',
        'words.txt',
        '--temperature',
        '2',
        '--samples',
        '2',
      ],
      { cwd },
    );
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toContain(`model letter-frequency: bias [${V}] = ${V} parameters\n`);
    expect(trained.out).toMatch(/\ntraining 50 steps, batch 16, adam, lr 0\.1, CosineAnnealingLR /);
    const losses = [...trained.out.matchAll(/^step +\d+\/50 +loss ([\d.]+)/gm)].map((m) =>
      Number(m[1]),
    );
    expect(losses.length).toBeGreaterThan(3);
    expect(losses.at(-1)).toBeLessThan(losses[0]); // it learns the letter frequencies
    const saved = loadCheckpoint(join(cwd, 'lmp-out/letter-frequency'));
    expect(saved.config).toEqual({
      kind: 'letter-frequency',
      vocabSize: V,
      blockSize: 1,
      temperature: 2,
    });
    expect(saved.step).toBe(50);
    expect(saved.trainerState?.step).toBe(50);

    const resumed = await lmp(
      ['train', '--resume', '-o', 'lmp-out/letter-frequency', '--steps', '60', '--samples', '0'],
      { cwd },
    );
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('training from step 50 to 60 steps');
    expect(loadCheckpoint(join(cwd, 'lmp-out/letter-frequency')).step).toBe(60);

    const bad = await lmp(
      ['train', '-m', 'letter-frequency', '-i', 'words.txt', '--temperature', '100'],
      { cwd },
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "lmp: error: --temperature must be a number in [0.1, 10], got '100' (see 'lmp train --help')\n",
    );
    const foreign = await lmp(['train', '-m', 'letter-frequency', '--n-hidden', '5'], { cwd });
    expect(foreign.err).toBe(
      "lmp: error: --n-hidden is not a setting of the letter-frequency model (its settings: --temperature) (see 'lmp train --help')\n",
    );
  });
});
