import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lmp, WORDS, wordsDirectory } from './test-words.js';

let cwd = '';
beforeAll(async () => {
  cwd = wordsDirectory();
  const trained = await lmp(
    [
      'train',
      '-i',
      'words.txt',
      '--n-hidden',
      '16',
      '--steps',
      '60',
      '--samples',
      '4',
      '--out',
      'ckpt',
    ],
    { cwd },
  );
  expect(trained.code).toBe(0);
});

describe('lmp sample', () => {
  it('draws new names with the seed lmp train used, reproducibly', async () => {
    const { code, out, err } = await lmp(['sample', '--from', 'ckpt', '-n', '4'], { cwd });
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('4 samples (mlp at step 60, seed 2147483657): 4 new, 0 seen in the data');
    for (const line of lines.slice(1)) {
      const word = line.trim().split(/ +/)[0];
      expect(WORDS).not.toContain(word);
      expect(line).toMatch(/ new$/);
    }
    expect((await lmp(['sample', '--from', 'ckpt', '-n', '4'], { cwd })).out).toBe(out);
    expect(
      (await lmp(['sample', '--from', 'ckpt', '-n', '4', '--seed', '1'], { cwd })).out,
    ).not.toBe(out);
  });

  it('keeps training words with --allow-existing; temperature 0 always picks the most likely', async () => {
    const greedy = await lmp(
      ['sample', '--from', 'ckpt', '-n', '3', '--temperature', '0', '--allow-existing'],
      { cwd },
    );
    expect(greedy.code).toBe(0);
    const words = greedy.out
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/ +/)[0]);
    expect(new Set(words).size).toBe(1);
    expect(greedy.out.split('\n')[0]).toContain('temperature 0');
    const topK = await lmp(
      ['sample', '--from', 'ckpt', '-n', '2', '--top-k', '1', '--allow-existing'],
      {
        cwd,
      },
    );
    expect(topK.out.split('\n')[1].trim().split(/ +/)[0]).toBe(words[0]);
  });

  it.each([
    [[], '--from DIR is required (a directory written by lmp train)'],
    [['--from', 'ckpt', '-n', '0'], "--samples must be a positive integer, got '0'"],
    [['--from', 'ckpt', '--temperature', '-1'], "--temperature must be a number >= 0, got '-1'"],
    [['--from', 'ckpt', '--top-k', '0'], "--top-k must be a positive integer, got '0'"],
  ])('usage error %j: exit 2', async (args, message) => {
    const { code, err } = await lmp(['sample', ...args], { cwd });
    expect(code).toBe(2);
    expect(err).toBe(`lmp: error: ${message} (see 'lmp sample --help')\n`);
  });
});

describe('lmp eval', () => {
  it('prints the loss of the train/dev/test split it was trained with', async () => {
    const { code, out } = await lmp(['eval', '--from', 'ckpt'], { cwd });
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('mlp at step 60 from ckpt');
    expect(lines.slice(2).map((line) => line.replace(/[\d.,]+/g, '#'))).toEqual([
      'train #  (# examples)',
      'dev   #  (# examples)',
      'test  #  (# examples)',
    ]);
  });

  it('with -i: the loss on every word of the file; unknown characters and broken checkpoints: exit 1', async () => {
    const file = await lmp(['eval', '--from', 'ckpt', '-i', 'words.txt'], { cwd });
    expect(file.code).toBe(0);
    const examples = WORDS.reduce((total, word) => total + word.length + 1, 0);
    expect(file.out).toMatch(new RegExp(`\\nloss \\d\\.\\d{4} on all ${examples} examples\\n$`));
    const stranger = wordsDirectory(['zoë']);
    const unknown = await lmp(['eval', '--from', join(cwd, 'ckpt'), '-i', 'words.txt'], {
      cwd: stranger,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^lmp: Unknown character 'ë'.*\n$/);
    // The boundary '.' is in the vocabulary, but inside a word it must not pass as an end of word.
    const dotted = wordsDirectory(['emma', 'em.ma']);
    const boundary = await lmp(['eval', '--from', join(cwd, 'ckpt'), '-i', 'words.txt'], {
      cwd: dotted,
    });
    expect(boundary.code).toBe(1);
    expect(boundary.err).toBe(
      "lmp: the word 'em.ma' (word 2 of words.txt) contains '.', the word boundary of the model: it would be read as the end of a word\n",
    );
    const broken = wordsDirectory();
    await lmp(
      [
        'train',
        '-i',
        'words.txt',
        '--n-hidden',
        '4',
        '--steps',
        '2',
        '--samples',
        '0',
        '--out',
        'x',
      ],
      {
        cwd: broken,
      },
    );
    truncateSync(join(broken, 'x/model.safetensors'), 100);
    for (const command of ['eval', 'sample']) {
      const result = await lmp([command, '--from', 'x'], { cwd: broken });
      expect(result.code).toBe(1);
      expect(result.err.split('\n')).toHaveLength(2);
      expect(result.err).toMatch(/^lmp: .*model\.safetensors/);
    }
  });
});
