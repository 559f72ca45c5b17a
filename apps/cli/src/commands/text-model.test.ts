// `lmp eval` and `lmp sample` on a gpt checkpoint: eval re-reads the text and prints the losses
// lmp train ended with; sample writes what lmp generate writes; the bad inputs of issue 12.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointFromFiles, expectFamily, inspectAttention } from '@llm-playground/makemore';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatLoss } from './makemore-common.js';
import { lmp } from './test-words.js';
import { TEXT_SAMPLE_CHARACTERS } from './text-model.js';
import { SAMPLE_SEED } from './train.js';

const TEXT =
  'Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail.\n'.repeat(
    12,
  );
let cwd = '';

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'lmp-text-model-'));
  writeFileSync(join(cwd, 'book.txt'), TEXT);
  writeFileSync(join(cwd, 'empty.txt'), '');
  writeFileSync(join(cwd, 'binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0, 3]));
  const args = ['train', '--model', 'gpt', '-i', 'book.txt', '--preset', 'bigram'];
  const trained = await lmp([...args, '--steps', '20', '--lr', '0.1', '-o', 'gpt'], { cwd });
  expect(trained.code).toBe(0);
}, 30_000);

describe('lmp eval on a text model', () => {
  it('re-reads the recorded text and prints the train/dev losses lmp train ended with', async () => {
    const { code, out, err } = await lmp(['eval', '--from', 'gpt'], { cwd });
    expect(err).toBe('');
    expect(code).toBe(0);
    const saved = JSON.parse(readFileSync(join(cwd, 'gpt', 'checkpoint.json'), 'utf8'));
    const final = JSON.parse(saved.metadata.final);
    const train = Math.floor(TEXT.length * 0.9);
    expect(out.split('\n').slice(1)).toEqual([
      `read ${TEXT.length.toLocaleString('en-US')} characters from ${join(cwd, 'book.txt')}`,
      `train ${formatLoss(final.train)}  (${train} characters)`,
      `dev   ${formatLoss(final.dev)}  (${TEXT.length - train} characters)`,
      // A char model: one token per character, the two losses agree.
      `dev loss per character ${formatLoss(final.dev)} (per token ${formatLoss(final.dev)} × 1.0000 tokens per character)`,
      '',
    ]);
  });

  it('warns about another text, and refuses unknown characters, a short, empty or binary text', async () => {
    writeFileSync(join(cwd, 'shuffled.txt'), [...TEXT].reverse().join(''));
    const other = await lmp(['eval', '--from', 'gpt', '-i', 'shuffled.txt'], { cwd });
    expect(other.code).toBe(0);
    expect(other.err).toContain(
      'shuffled.txt is not the text this checkpoint was trained on (its fingerprint differs)',
    );
    expect(other.out).toMatch(/^dev +\d\.\d{4} +\(106 characters\)$/m);
    writeFileSync(join(cwd, 'french.txt'), `${TEXT}Ça, c'est Zoë!\n`);
    const unknown = await lmp(['eval', '--from', 'gpt', '-i', 'french.txt'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(
      `${join(cwd, 'french.txt')}: Unknown characters 'Ç', ''', 'Z', 'ë', '!' (not in the vocabulary of 26 characters): the model cannot read it; evaluate it on the text it was trained on`,
    );
    writeFileSync(join(cwd, 'short.txt'), 'Call me Ishmael.\n');
    const short = await lmp(['eval', '--from', 'gpt', '-i', 'short.txt'], { cwd });
    expect(short.code).toBe(1);
    expect(short.err).toContain(
      `the model's block size 8 is too large for ${join(cwd, 'short.txt')}: its validation part has 2 characters (of 17, split 90/10), and a window needs blockSize + 1; evaluate it on a longer text`,
    );
    const empty = await lmp(['eval', '--from', 'gpt', '-i', 'empty.txt'], { cwd });
    expect([empty.code, empty.err]).toEqual([1, expect.stringMatching(/empty\.txt.*empty/)]);
    const binary = await lmp(['eval', '--from', 'gpt', '-i', 'binary.bin'], { cwd });
    expect([binary.code, binary.err]).toEqual([
      1,
      expect.stringMatching(/binary\.bin looks like a binary file/),
    ]);
  });
});

describe('lmp sample on a text model', () => {
  it('writes the 500 characters lmp generate writes with the same seed, under a heading', async () => {
    const { code, out, err } = await lmp(['sample', '--from', 'gpt', '-t', '0.8'], { cwd });
    expect(err).toBe('');
    expect(code).toBe(0);
    const [heading, ...rest] = out.split('\n');
    expect(heading).toBe(
      `gpt at step 20 continues a text: 500 characters (seed ${SAMPLE_SEED}); lmp generate --from gpt --prompt "…" -n N continues a prompt`,
    );
    const generated = await lmp(
      ['generate', '--from', 'gpt', '-n', '500', '-t', '0.8', '--seed', String(SAMPLE_SEED)],
      { cwd },
    );
    expect(rest.join('\n')).toBe(generated.out);
    expect([...generated.out.replace(/\n$/, '')].length).toBeGreaterThanOrEqual(
      TEXT_SAMPLE_CHARACTERS - 1, // a final newline drawn is the text's own
    );
    for (const ch of rest.join('')) expect(TEXT).toContain(ch);
  });

  it('--help shows the text examples of eval and sample', async () => {
    expect((await lmp(['eval', '--help'], { cwd })).out).toContain(
      'lmp eval --from lmp-out/gpt   # train/dev loss on the text it was trained on',
    );
    expect((await lmp(['sample', '--help'], { cwd })).out).toContain(
      'lmp sample --from lmp-out/gpt --temperature 0.8   # 500 characters of text',
    );
  });
});

describe('the checkpoint lmp train saved, opened as a web page does', () => {
  it('opens from model.safetensors alone (its embedded checkpoint.json), a gpt for the GPT page', () => {
    const bytes = new Uint8Array(readFileSync(join(cwd, 'gpt', 'model.safetensors')));
    const checkpoint = expectFamily(
      checkpointFromFiles(bytes),
      ['gpt', 'transformer'],
      'the GPT page',
    );
    expect(checkpoint).toMatchObject({ step: 20, config: { kind: 'gpt', architecture: 'bigram' } });
    const view = inspectAttention(checkpoint.model, checkpoint.tokenizer, 'Call me', { topK: 1 });
    expect(view.layers).toEqual([]); // the bigram rung has no attention
    expect(view.topK[6][0].token).toBe(' '); // after "Call me" comes " Ishmael" (20 steps suffice)
  });
});

describe('lmp train on a text too short for the block (issue 12)', () => {
  it('says which part is too short and what to do (a usage error: exit 2)', async () => {
    writeFileSync(join(cwd, 'tiny.txt'), 'hello world, '.repeat(3));
    const { code, err } = await lmp(
      ['train', '--model', 'gpt', '-i', 'tiny.txt', '--block-size', '40', '-o', 'tiny'],
      { cwd },
    );
    expect(code).toBe(2);
    expect(err).toContain(
      'lmp: error: blockSize (--block-size) 40 is too large for the text: its training part has 35 characters (of 39, split 90/10), and a window needs blockSize + 1; use a block size below 35 or a longer text',
    );
  });
});
