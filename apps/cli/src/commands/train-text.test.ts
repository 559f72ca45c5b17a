// `lmp train --model gpt`: a family that trains on a text gets the text (-i or the bundled book),
// `--preset` names its settings, and the checkpoint continues a text with `lmp generate`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gptPresets } from '@llm-playground/makemore';
import { beforeAll, describe, expect, it } from 'vitest';
import { lmp } from './test-words.js';

// A small text of 26 distinct characters that repeats: a bigram table learns it quickly.
const TEXT =
  'Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail.\n'.repeat(
    12,
  );
let cwd = '';

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'lmp-train-text-'));
  writeFileSync(join(cwd, 'book.txt'), TEXT);
  writeFileSync(join(cwd, 'empty.txt'), '');
  writeFileSync(join(cwd, 'binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0, 3]));
});

/** The dev losses of the `step N/M  loss X  dev Y` lines, in order. */
function devLosses(out: string): number[] {
  return [...out.matchAll(/^step +\d+\/\d+ .* dev (\d+\.\d+)/gm)].map((m) => Number(m[1]));
}

describe('lmp train --model gpt', () => {
  it('trains the bigram preset on a text, then lmp generate continues it', async () => {
    const { code, out, err } = await lmp(
      [
        'train',
        '--model',
        'gpt',
        '-i',
        'book.txt',
        '--preset',
        'bigram',
        '--steps',
        '20',
        '--lr',
        '0.1',
        '-o',
        'gpt',
      ],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    // 90/10 of the characters: the split line counts characters, not words.
    const train = Math.floor(TEXT.length * 0.9);
    expect(out).toContain(
      `split: ${train.toLocaleString('en-US')} / ${(TEXT.length - train).toLocaleString('en-US')} characters`,
    );
    expect(out).toContain('random windows of 8 characters'); // the preset's block size
    // bigram.py's table: V × V, V = 26 distinct characters.
    const vocab = new Set(TEXT).size;
    expect(out).toContain(`tokenEmbeddingTable.weight [${vocab}, ${vocab}]`);
    expect(vocab).toBe(26);
    // The dev loss is measured at steps 0, 2, …, 20 and falls at every line (3.58 → 1.69 here).
    const losses = devLosses(out);
    expect(losses).toHaveLength(11);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    expect(losses[10]).toBeLessThan(losses[0] - 1);
    expect(out).toMatch(/done in .*: loss train \d\.\d+, dev \d\.\d+, test – \(empty split\)/);
    const saved = JSON.parse(readFileSync(join(cwd, 'gpt', 'checkpoint.json'), 'utf8'));
    expect(JSON.stringify(saved)).toContain('"architecture":"bigram"');
    expect(out).toContain('lmp generate --from gpt');

    const generated = await lmp(['generate', '--from', 'gpt', '-p', 'Call', '-n', '30'], { cwd });
    expect(generated.err).toBe('');
    expect(generated.code).toBe(0);
    const text = generated.out.replace(/\n$/, '');
    expect(text.startsWith('Call')).toBe(true);
    expect([...text].length).toBe(4 + 30);
    for (const ch of text) expect(TEXT).toContain(ch);
  }, 20_000);

  it('lets an explicit flag win over the preset; --plot draws the loss curve', async () => {
    const { code, out } = await lmp(
      [
        'train',
        '--plot',
        'loss.svg',
        '--model',
        'gpt',
        '-i',
        'book.txt',
        '--preset',
        'bigram',
        '--block-size',
        '4',
        '--steps',
        '2',
        '-o',
        'gpt4',
      ],
      { cwd },
    );
    expect(code).toBe(0);
    expect(out).toContain('random windows of 4 characters');
    expect(readFileSync(join(cwd, 'loss.svg'), 'utf8')).toContain('<svg');
  });

  it('--resume continues a text run on its own text, and refuses another', async () => {
    const args = ['train', '--model', 'gpt', '-i', 'book.txt', '--preset', 'bigram'];
    expect((await lmp([...args, '--steps', '4', '-o', 'r'], { cwd })).code).toBe(0);
    const resumed = await lmp(['train', '--resume', '--out', 'r', '--steps', '6'], { cwd });
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('step 6/6');
    expect(resumed.out).toContain('(step 6)');
    writeFileSync(join(cwd, 'other.txt'), TEXT.toUpperCase());
    const other = await lmp(
      ['train', '--resume', '--out', 'r', '-i', 'other.txt', '--steps', '8'],
      {
        cwd,
      },
    );
    expect(other.code).toBe(1);
    expect(other.err).toContain('--resume');
  });

  it('a word family given a text file reads it as words, as before', async () => {
    writeFileSync(join(cwd, 'verse.txt'), 'call me ishmael\nsome years ago\nnever mind how long\n');
    const { code, out, err } = await lmp(
      ['train', '--model', 'bigram', '-i', 'verse.txt', '-o', 'words', '--samples', '0'],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^read 3 words from .*verse\.txt/m);
    expect(out).toMatch(/^split 2 \/ 0 \/ 1 words/m);
  });

  it('reads the bundled book without -i', async () => {
    const { code, out, err } = await lmp(
      ['train', '--model', 'gpt', '--preset', 'bigram', '--steps', '1', '-o', 'book'],
      { cwd },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/characters of the bundled book Moby Dick/);
    const [, train, dev] = /split: ([\d,]+) \/ ([\d,]+) characters/.exec(out) ?? [];
    const total = Number(train?.replaceAll(',', '')) + Number(dev?.replaceAll(',', ''));
    expect(Number(train?.replaceAll(',', ''))).toBe(Math.floor(total * 0.9));
  }, 20_000);

  it('refuses an unknown preset with the list (exit 2)', async () => {
    const { code, err } = await lmp(['train', '--model', 'gpt', '--preset', 'huge'], { cwd });
    expect(code).toBe(2);
    expect(err).toContain(
      `--preset must be one of ${Object.keys(gptPresets).join(', ')}, got 'huge'`,
    );
  });

  it('refuses --preset for a word family (exit 2)', async () => {
    const { code, err } = await lmp(['train', '--model', 'mlp', '--preset', 'bigram'], { cwd });
    expect(code).toBe(2);
    expect(err).toContain('--preset names settings of the gpt family');
  });

  it("refuses an empty or binary -i with data's message, exit 1 (as bad words)", async () => {
    const empty = await lmp(['train', '--model', 'gpt', '-i', 'empty.txt', '-o', 'e'], { cwd });
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/empty\.txt.*empty/);
    expect(empty.err.trim().split('\n')).toHaveLength(1);
    const binary = await lmp(['train', '--model', 'gpt', '-i', 'binary.bin', '-o', 'b'], { cwd });
    expect(binary.code).toBe(1);
    expect(binary.err).toMatch(/binary\.bin looks like a binary file/);
  });
});
