// `lmp train --model gpt --tokenizer DIR`: the GPT on BPE tokens; the checkpoint keeps the
// tokenizer, so `lmp generate`, `sample` and `eval` read and write text through it; the dev loss
// is reported per token and per character.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { type GenerateModel, generate, loadCheckpoint } from '@llm-playground/makemore';
import { loadTokenizer } from '@llm-playground/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { lmp } from './test-words.js';
import { lossPerCharacterLine } from './train.js';

const TEXT =
  'Call me Ishmael. Some years ago — never mind how long — I thought I would sail. 😉 über\n'.repeat(
    12,
  );
let cwd = '';

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'lmp-train-bpe-'));
  writeFileSync(join(cwd, 'book.txt'), TEXT);
  const trained = await lmp(
    ['tokenize', 'train', '-i', 'book.txt', '--vocab-size', '300', '-o', 'tok'],
    { cwd },
  );
  expect(trained.code).toBe(0);
});

describe('lmp train --model gpt --tokenizer DIR', () => {
  it('trains on tokens, reports the loss per character, and generate/sample/eval use the tokenizer', async () => {
    const bpe = await loadTokenizer(join(cwd, 'tok'));
    const tokens = bpe.encodeOrdinary(TEXT);
    const n = Math.floor(tokens.length * 0.9);
    const tokensPerChar = (tokens.length - n) / [...bpe.decode(tokens.slice(n))].length;
    const args = ['train', '-m', 'gpt', '-i', 'book.txt', '--tokenizer', 'tok', '-o', 'gpt'];
    const model = ['--preset', 'bigram', '--steps', '30', '--lr', '0.1'];
    const { code, out, err } = await lmp([...args, ...model], { cwd });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`split: ${n} / ${tokens.length - n} tokens`);
    expect(out).toContain('random windows of 8 tokens');
    expect(out).toContain('tokenizer: byte-level BPE of 300 tokens');
    expect(out).toContain('tokenEmbeddingTable.weight [300, 300]');
    const dev = Number(/: loss train \d\.\d+, dev (\d\.\d+)/.exec(out)?.[1]);
    const perChar =
      /^dev loss per character (\d\.\d+) \(per token (\d\.\d+) × (\d\.\d+) tokens/m.exec(out);
    expect(Number(perChar?.[2])).toBe(dev);
    expect(Number(perChar?.[3])).toBeCloseTo(tokensPerChar, 4);
    expect(Number(perChar?.[1])).toBeCloseTo(dev * tokensPerChar, 3);
    expect(tokensPerChar).toBeLessThan(0.6); // 44 merges: 0.54 tokens per character

    const checkpoint = loadCheckpoint(join(cwd, 'gpt'));
    expect(checkpoint.config.vocabSize).toBe(300);

    const generated = await lmp(
      ['generate', '--from', 'gpt', '--prompt', 'Call me', '-n', '40', '--seed', '3'],
      { cwd },
    );
    expect(generated.code).toBe(0);
    expect(generated.out.startsWith('Call me')).toBe(true);
    // Streamed token by token through a TextDecoder: the same text as decoding all ids at once.
    const ids: number[] = [];
    generate(checkpoint.model as unknown as GenerateModel, Int32Array.from(bpe.encode('Call me')), {
      maxNewTokens: 40,
      temperature: 1,
      generator: new Generator(3),
      blockSize: checkpoint.config.blockSize,
      onToken: (id) => ids.push(id),
    });
    const expected = `Call me${bpe.decode(ids)}`;
    expect(generated.out).toBe(expected.endsWith('\n') ? expected : `${expected}\n`);
    const sampled = await lmp(['sample', '--from', 'gpt'], { cwd });
    expect(sampled.code).toBe(0);
    expect(sampled.err).toBe('');
    expect(sampled.out).toContain('continues a text: 500 tokens (seed');

    const resumed = await lmp(['train', '--resume', '-o', 'gpt', '--steps', '40'], { cwd });
    expect(resumed.err).toBe('');
    expect(resumed.out).toContain(`split: ${n} / ${tokens.length - n} tokens`);
    expect(loadCheckpoint(join(cwd, 'gpt')).step).toBe(40);
    const again = await lmp(['train', '--resume', '-o', 'gpt', '--tokenizer', 'tok'], { cwd });
    expect(again.code).toBe(2);
    expect(again.err).toContain("--resume continues with the checkpoint's own tokenizer");

    const evaluated = await lmp(['eval', '--from', 'gpt'], { cwd });
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toContain(`(${tokens.length - n} tokens)`);
    const evalDev = Number(/^dev +(\d\.\d+)/m.exec(evaluated.out)?.[1]);
    expect(evaluated.out).toContain(lossPerCharacterLine(evalDev, tokensPerChar).slice(0, 24));
  });

  it('refuses --tokenizer for a word model (usage, exit 2) and a corrupt tokenizer (data, exit 1)', async () => {
    const words = await lmp(['train', '-m', 'mlp', '--tokenizer', 'tok', '--steps', '1'], { cwd });
    expect(words.code).toBe(2);
    expect(words.err).toContain('--tokenizer is for a model that trains on a text');
    writeFileSync(join(cwd, 'broken.model'), 'minbpe v2\n');
    const broken = await lmp(
      ['train', '-m', 'gpt', '-i', 'book.txt', '--tokenizer', 'broken.model', '-o', 'x'],
      { cwd },
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("line 1: expected 'minbpe v1'");
  });

  it('lossPerCharacterLine multiplies by tokens per character', () => {
    expect(lossPerCharacterLine(4.2, 0.5)).toBe(
      'dev loss per character 2.1000 (per token 4.2000 × 0.5000 tokens per character)',
    );
  });
});
