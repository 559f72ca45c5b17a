import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import {
  createModel,
  type LanguageModel,
  type ModelConfig,
  registerFamily,
  saveCheckpoint,
  unregisterFamily,
} from '@llm-playground/makemore';
import { Embedding, F, Module } from '@llm-playground/nn';
import type { Tensor } from '@llm-playground/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli.js';
import { bufferIO, type CliIO } from '../io.js';
import { lmp } from './test-words.js';

// Until the GPT family lands, a throw-away family of the lecture's first model: the bigram
// language model of "let's build GPT" (`token_embedding_table = nn.Embedding(V, V)`), whose forward
// maps ids [B, T] to logits [B, T, V] like the GPT's.
class TextBigram extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  table: Embedding;
  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    this.config = config;
    this.table = new Embedding(config.vocabSize, config.vocabSize, options);
  }
  forward(ids: Tensor): Tensor {
    return this.table.forward(ids);
  }
  logits(contexts: Tensor): Tensor {
    const out = this.forward(contexts);
    return out.select(1, out.shape[1] - 1);
  }
  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.forward(contexts).view(-1, this.config.vocabSize), targets.view(-1));
  }
}

const TEXT = 'Moby Dick!\n'; // every character once: the greedy chain is the text, round and round
let cwd = '';

beforeAll(() => {
  registerFamily({
    name: 'test-text-bigram',
    title: "let's build GPT's bigram model (test)",
    schema: [
      {
        name: 'blockSize',
        type: 'int',
        default: 8,
        min: 1,
        max: 64,
        help: 'context',
        scale: 'linear',
      },
    ],
    trainable: true,
    defaults: {
      optimizer: 'adamw',
      lr: 1e-3,
      steps: 10,
      batchSize: 4,
      schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
    },
    trainsOn: (config) => ({ examples: 'contexts', blockSize: config.blockSize, split: 'train' }),
    estimate: (config) => [
      {
        name: 'table.weight',
        shape: [config.vocabSize, config.vocabSize],
        bytes: 4 * config.vocabSize ** 2,
        dependsOn: [],
        trainable: true,
      },
    ],
    create: (config, options = {}) => new TextBigram(config, options),
  });
  cwd = mkdtempSync(join(tmpdir(), 'lmp-generate-'));
  const tokenizer = CharTokenizer.fromText(TEXT);
  const save = (dir: string, model: LanguageModel, config: ModelConfig) =>
    saveCheckpoint(join(cwd, dir), { config, tokenizer, model, step: 1 });
  // Row i of the table prefers the character after i in TEXT (logit 4 against 0): greedy decoding
  // spells the text, sampling mostly does.
  const config: ModelConfig = {
    kind: 'test-text-bigram',
    vocabSize: tokenizer.vocabSize,
    blockSize: 8,
  };
  const model = createModel(config, { generator: new Generator(1) }) as TextBigram;
  const ids = tokenizer.encodeText(TEXT);
  const weight = model.table.weight.data;
  weight.fill(0);
  ids.forEach((id, i) => {
    weight[id * tokenizer.vocabSize + ids[(i + 1) % ids.length]] = 4;
  });
  save('text', model, config);
  const mlpConfig: ModelConfig = {
    kind: 'mlp',
    vocabSize: tokenizer.vocabSize,
    blockSize: 3,
    nEmbd: 2,
    nHidden: 8,
  };
  save('mlp', createModel(mlpConfig), mlpConfig);
});
afterAll(() => unregisterFamily('test-text-bigram'));

describe('lmp generate', () => {
  it('continues the prompt greedily at temperature 0', async () => {
    const { code, out, err } = await lmp(
      ['generate', '--from', 'text', '--prompt', 'Mo', '-n', '18', '--temperature', '0'],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe('Moby Dick!\nMoby Dick\n');
    const topK = await lmp(['generate', '--from', 'text', '-p', 'Di', '-n', '4', '--top-k', '1'], {
      cwd,
    });
    expect(topK.out).toBe('Dick!\n');
  });

  it('streams one character per write, seeded and reproducible', async () => {
    const writes: string[] = [];
    const io: CliIO = {
      stdout: { write: (chunk: string) => writes.push(chunk) > 0 },
      stderr: { write: () => true },
      cwd,
    };
    expect(
      await run(['generate', '--from', 'text', '--prompt', 'M', '-n', '40', '--seed', '5'], io),
    ).toBe(0);
    expect(writes[0]).toBe('M');
    expect(writes.slice(1, 41).every((chunk) => chunk.length === 1)).toBe(true);
    const text = writes.join('');
    expect(text.length).toBeGreaterThanOrEqual(41);
    const again = await lmp(
      ['generate', '--from', 'text', '--prompt', 'M', '-n', '40', '--seed', '5'],
      { cwd },
    );
    expect(again.out).toBe(text.endsWith('\n') ? text : `${text}\n`);
    const other = await lmp(
      ['generate', '--from', 'text', '--prompt', 'M', '-n', '40', '--seed', '6'],
      { cwd },
    );
    expect(other.out).not.toBe(again.out);
    // logit 4 against 0 over 10 others: p(the text's next character) = e⁴ / (e⁴ + 10) ≈ 0.845.
    const long = await lmp(['generate', '--from', 'text', '-p', 'M', '-n', '2000'], { cwd });
    const chars = Array.from(long.out.slice(0, 2001));
    let follows = 0;
    for (let i = 1; i < chars.length; i++) {
      if (TEXT[(TEXT.indexOf(chars[i - 1]) + 1) % TEXT.length] === chars[i]) follows++;
    }
    expect(follows / 2000).toBeGreaterThan(0.8);
    expect(follows / 2000).toBeLessThan(0.89);
  });

  it('starts an empty prompt from token 0, the newline', async () => {
    const { code, out } = await lmp(['generate', '--from', 'text', '-n', '5', '-t', '0'], { cwd });
    expect(code).toBe(0);
    expect(out).toBe('Moby \n'); // \n → M o b y ' ', token 0 itself not printed
  });

  it('names the prompt characters the model does not know', async () => {
    const { code, err } = await lmp(['generate', '--from', 'text', '--prompt', 'Call me'], { cwd });
    expect(code).toBe(2);
    const known = JSON.stringify(CharTokenizer.fromText(TEXT).itos.join('')); // "\n !DMbcikoy"
    expect(err).toBe(
      `lmp: error: --prompt: Unknown characters 'C', 'a', 'l', 'm', 'e' (not in the vocabulary of 11 characters); the model knows ${known} (see 'lmp generate --help')\n`,
    );
  });

  it('refuses a model that only predicts the next token, and bad flags', async () => {
    const mlp = await lmp(['generate', '--from', 'mlp', '--prompt', 'Mo'], { cwd });
    expect(mlp.code).toBe(1);
    expect(mlp.err).toBe(
      'lmp: the mlp model in mlp predicts only the next character from a fixed context (MLP.logits: contexts must be int32 [B, 3] (blockSize 3), got [1, 1]), it cannot continue a text — use lmp sample --from mlp for it, or train a sequence model (gpt, transformer)\n',
    );
  });

  it.each([
    [['--prompt', 'x'], '--from DIR is required (a directory written by lmp train)'],
    [['-t', '-1'], "--temperature must be a number >= 0, got '-1'"],
    [['-n', '-3'], "--max-new-tokens must be a non-negative integer, got '-3'"],
    [['-n', '2.5'], "--max-new-tokens must be a non-negative integer, got '2.5'"],
    [['--top-k', '0'], "--top-k must be a positive integer, got '0'"],
    [['--seed', 'x'], "--seed must be an integer >= 0 and <= 9007199254740991, got 'x'"],
    [
      ['-p', '-Call'],
      "option '-p' needs a value; to give one that starts with '-', write --prompt=-…",
    ],
    [['--temprature', '0'], "unknown option '--temprature'"],
    [['Call me'], "unexpected argument 'Call me'"],
  ])('usage error %j: one line, exit 2, nothing generated', async (args, message) => {
    const from = args[0] === '--prompt' ? [] : ['--from', 'text'];
    const { code, out, err } = await lmp(['generate', ...from, ...args], { cwd });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`lmp: error: ${message} (see 'lmp generate --help')\n`);
  });

  it('reads --prompt=-… as a prompt that starts with a dash, as the hint says', async () => {
    const { code, err } = await lmp(['generate', '--from', 'text', '--prompt=-x'], { cwd });
    expect(code).toBe(2);
    expect(err).toContain("--prompt: Unknown characters '-', 'x' (not in the vocabulary");
  });

  it('has a help page with examples', async () => {
    const io = bufferIO();
    expect(await run(['generate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('lmp generate --from lmp-out/gpt --prompt "Call me" -n 500');
    expect(io.out()).toContain('--max-new-tokens');
    const examples = io.out().split('\nExamples:\n')[1]?.trimEnd().split('\n') ?? [];
    expect(examples).toHaveLength(3);
    for (const line of examples) expect(line).toMatch(/^ {2}lmp generate --from /);
  });
});
