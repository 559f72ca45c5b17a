import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { buildContexts, CharTokenizer } from '@llm-playground/data';
import { F, Module } from '@llm-playground/nn';
import { randn, type Tensor, tensor } from '@llm-playground/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { ConfigError } from '../errors.js';
import type { LanguageModel, ModelConfig } from '../model.js';
import { languageModelTask } from '../tasks/language-model.js';
import { Trainer } from '../trainer.js';
import { parseConfig } from './config-schema.js';
import { bytesOf, checkModelSize, estimateSize, type ModelFamily } from './family.js';
import {
  createModel,
  familyConfig,
  getFamily,
  listFamilies,
  registerFamily,
  unregisterFamily,
} from './registry.js';

// ---- a throw-away family, defined entirely here: the proof that a family touches no other file.

/** P(next) ignores the context: one logit per token (`b`), scaled by a temperature setting. */
class Unigram extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  b: Tensor;
  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    this.config = config;
    this.b = randn([config.vocabSize], { generator: options.generator, requiresGrad: true });
  }
  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }
  logits(contexts: Tensor): Tensor {
    const B = contexts.shape[0];
    return this.b
      .div(this.config.temperature as number)
      .view(1, -1)
      .expand(B, this.config.vocabSize);
  }
  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }
}

const unigramFamily: ModelFamily = {
  name: 'unigram',
  title: 'Unigram (context ignored)',
  schema: [
    {
      name: 'temperature',
      type: 'float',
      default: 1,
      min: 0.1,
      max: 10,
      help: 'divides the logits',
      scale: 'log',
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
      name: 'b',
      shape: [config.vocabSize],
      bytes: bytesOf([config.vocabSize]),
      dependsOn: [],
      trainable: true,
    },
  ],
  create: (config, options = {}) => new Unigram(config, options),
};

describe('model families', () => {
  afterEach(() => {
    unregisterFamily('unigram');
  });

  it('a family registered in a test trains, saves and loads through the generic API', () => {
    registerFamily(unigramFamily);
    expect(listFamilies().map((f) => f.name)).toEqual([
      'bigram',
      'bigram-net',
      'mlp',
      'mlp-bn',
      'deep-mlp',
      'wavenet',
      'bow',
      'rnn',
      'gru',
      'transformer',
      'gpt',
      'unigram',
    ]);
    const words = ['aab', 'abba', 'b', 'aaaa'];
    const tokenizer = CharTokenizer.fromWords(words);
    const family = getFamily('unigram');
    const config = familyConfig(
      'unigram',
      { temperature: '2' },
      { vocabSize: tokenizer.vocabSize },
    );
    expect(config).toEqual({ kind: 'unigram', vocabSize: 3, blockSize: 1, temperature: 2 });
    const model = createModel(config, { generator: new Generator(5) });
    const { blockSize } = family.trainsOn(config);
    const data = buildContexts(words, tokenizer, blockSize);
    const { defaults } = family;
    const trainer = new Trainer(languageModelTask(model, data, { batchSize: defaults.batchSize }), {
      steps: defaults.steps,
      optimizer: { kind: defaults.optimizer, lr: defaults.lr },
      schedule: defaults.schedule(defaults),
      generator: new Generator(1),
    });
    const progress = trainer.run();
    expect(progress.stoppedBecause).toBe('done');
    // The unigram optimum is the token frequencies: 12 tokens over 16 positions… (. a b)
    const counts = [4, 8, 5];
    const entropy = -counts.reduce((s, c) => s + (c / 17) * Math.log(c / 17), 0);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length;
    expect(mean(progress.losses.slice(-10))).toBeLessThan(mean(progress.losses.slice(0, 10)));
    expect(mean(progress.losses.slice(-10))).toBeLessThan(entropy + 0.1);

    const dir = mkdtempSync(join(tmpdir(), 'unigram-'));
    try {
      saveCheckpoint(dir, { config, tokenizer, model, step: trainer.step });
      const loaded = loadCheckpoint(dir);
      expect(loaded.config).toEqual(config);
      expect(loaded.model).toBeInstanceOf(Unigram);
      expect((loaded.model as Unigram).b.tolist()).toEqual((model as Unigram).b.tolist());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad registrations and unknown names', () => {
    registerFamily(unigramFamily);
    expect(() => registerFamily(unigramFamily)).toThrow(
      "registerFamily: a family named 'unigram' is already registered (pass { replace: true } to replace it)",
    );
    registerFamily({ ...unigramFamily, title: 'again' }, { replace: true });
    expect(getFamily('unigram').title).toBe('again');
    expect(() => registerFamily({ ...unigramFamily, name: 'Uni Gram' })).toThrow('kebab-case');
    expect(() =>
      registerFamily({
        ...unigramFamily,
        name: 'bad-default',
        schema: [{ name: 'n', type: 'int', default: 0, min: 1, help: 'n' }],
      }),
    ).toThrow("family 'bad-default': the default of 'n' must be an integer ≥ 1, got 0");
    expect(() => getFamily('lstm')).toThrow(
      "unknown model 'lstm'; known: bigram, bigram-net, mlp, mlp-bn, deep-mlp, wavenet, bow, rnn, gru, transformer, gpt, unigram",
    );
  });

  it('built-in families: configs, defaults, what they train on', () => {
    expect(familyConfig('mlp', {}, { vocabSize: 27 })).toEqual({
      kind: 'mlp',
      vocabSize: 27,
      blockSize: 3,
      nEmbd: 10,
      nHidden: 200,
    });
    // An old checkpoint config (blockSize 1 stored for a bigram model) still validates.
    expect(
      familyConfig('bigram-net', { blockSize: 1, regularization: 0.01 }, { vocabSize: 27 }),
    ).toEqual({
      kind: 'bigram-net',
      vocabSize: 27,
      blockSize: 1,
      regularization: 0.01,
      allWords: false,
    });
    const lecture = familyConfig('bigram-net', { allWords: 'true' }, { vocabSize: 27 });
    expect(getFamily('bigram-net').trainsOn(lecture)).toEqual({
      examples: 'contexts',
      blockSize: 1,
      split: 'all',
    });
    expect(getFamily('mlp').defaults.schedule({ lr: 0.1, steps: 200_000 })).toEqual({
      kind: 'PiecewiseConstantLR',
      boundaries: [100_000],
      values: [0.1, 0.01],
    });
    expect(getFamily('bigram').trainable).toBe(false);
    expect(
      createModel({ kind: 'bigram', vocabSize: 3, blockSize: 1 })
        .namedBuffers()
        .map(([n]) => n),
    ).toEqual(['counts']);
    expect(() => familyConfig('mlp', { nHidden: 200, depth: 3 }, { vocabSize: 27 })).toThrow(
      "mlp config: unknown setting 'depth'; known: blockSize, nEmbd, nHidden",
    );
  });

  it('refuses sizes that cannot fit before allocating, naming the tensor and the flags', () => {
    const mlp = getFamily('mlp');
    const config = { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 100_000 };
    expect(estimateSize(mlp, config).parameters).toBe(
      27 * 10 + 30 * 100_000 + 100_000 + 100_000 * 27 + 27,
    );
    expect(() =>
      checkModelSize(mlp, { ...config, blockSize: 64, nEmbd: 1024 }, { maxBytes: 2e9 }),
    ).toThrow(
      'mlp: needs 26.2 GB for W1 [65536, 100000] and the other tensors: lower --block-size, --n-embd or --n-hidden (the limit is 2.0 GB)',
    );
    expect(() => checkModelSize(mlp, config, { maxBytes: 2e9, training: true })).not.toThrow();
    expect(() =>
      checkModelSize(getFamily('bigram-net'), {
        kind: 'bigram-net',
        vocabSize: 100_000,
        blockSize: 1,
      }),
    ).toThrow(
      'bigram-net: needs 40.0 GB for W [100000, 100000]: use a smaller vocabulary (the limit is 2.0 GB)',
    );
  });
});

describe('parseConfig', () => {
  const schema = [
    {
      name: 'nHidden',
      type: 'int',
      default: 200,
      min: 1,
      max: 1000,
      help: 'hidden units',
      scale: 'log',
    },
    { name: 'lr', type: 'float', default: 0.1, min: 0, help: 'rate', flag: 'learning-rate' },
    { name: 'act', type: 'enum', default: 'tanh', choices: ['tanh', 'relu'], help: 'activation' },
    { name: 'bias', type: 'boolean', default: true, help: 'biases' },
  ] as const;

  it('strict: reads strings and JSON values, names the field, the flag, the range and the value', () => {
    expect(parseConfig(schema, { nHidden: '300', lr: 0.5, act: 'relu', bias: 'false' })).toEqual({
      nHidden: 300,
      lr: 0.5,
      act: 'relu',
      bias: false,
    });
    expect(() => parseConfig(schema, { nHidden: '1e9' }, { source: 'mlp config' })).toThrow(
      new ConfigError(
        "mlp config: nHidden (--n-hidden) must be an integer in [1, 1000], got '1e9'",
      ),
    );
    expect(() => parseConfig(schema, { lr: -1 })).toThrow(
      'config: lr (--learning-rate) must be a number ≥ 0, got -1',
    );
    expect(() => parseConfig(schema, { act: 'gelu' })).toThrow(
      "config: act (--act) must be one of 'tanh', 'relu', got 'gelu'",
    );
    expect(() => parseConfig(schema, { nHidden: 2.5 })).toThrow(
      'must be an integer in [1, 1000], got 2.5',
    );
  });

  it('clamp: clamps numbers, rounds integers, falls back to defaults, reports each change', () => {
    const changes: string[] = [];
    const values = parseConfig(
      schema,
      { nHidden: '5000', lr: 'abc', act: 'gelu', bias: 'yes', extra: 1 },
      {
        mode: 'clamp',
        onAdjust: (field, given, used) =>
          changes.push(`${field.name}: ${String(given)} → ${String(used)}`),
      },
    );
    expect(values).toEqual({ nHidden: 1000, lr: 0.1, act: 'tanh', bias: true });
    expect(changes).toEqual([
      'nHidden: 5000 → 1000',
      'lr: abc → 0.1',
      'act: gelu → tanh',
      'bias: yes → true',
    ]);
    expect(parseConfig(schema, { nHidden: '2.6' }, { mode: 'clamp' }).nHidden).toBe(3);
  });

  it('a tensor from the past still loads into a Module (one loader, PyTorch wording)', () => {
    const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 });
    expect(() => model.loadStateDict({ W: tensor([[1, 2]]) })).toThrow(
      'size mismatch for W: copying a param with shape [1, 2] from checkpoint, the shape in current model is [3, 3].',
    );
  });
});
