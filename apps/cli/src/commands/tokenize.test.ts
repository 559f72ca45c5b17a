import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmp, wordsDirectory } from './test-words.js';
import { parseIds } from './tokenize.js';

/** A folder holding `aaab.txt` (minbpe's example) and `mixed.txt` (scripts, emoji, a special token). */
function textsDirectory(): string {
  const directory = wordsDirectory();
  writeFileSync(join(directory, 'aaab.txt'), 'aaabdaaabac');
  writeFileSync(
    join(directory, 'mixed.txt'),
    "The whale's café!!! 2024 中文 😉 don't\n\n".repeat(40),
  );
  return directory;
}

describe('lmp tokenize', () => {
  it("trains minbpe's example: 3 merges, the model file, then encode → 258 100 258 97 99 and back", async () => {
    const cwd = textsDirectory();
    const trained = await lmp(
      ['tokenize', 'train', '-i', 'aaab.txt', '--vocab-size', '259', '-o', 'tok', '--basic'],
      { cwd },
    );
    expect(trained.code).toBe(0);
    expect(trained.err).toContain("merge 1/3: (97, 97) -> 256 (b'aa') had 4 occurrences");
    expect(trained.err).toContain("merge 3/3: (257, 98) -> 258 (b'aaab') had 2 occurrences");
    expect(trained.out).toContain('11 bytes -> 5 tokens (2.20 bytes/token)');
    expect(readFileSync(join(cwd, 'tok', 'tokenizer.model'), 'utf8')).toBe(
      'minbpe v1\n\n0\n97 97\n256 97\n257 98\n',
    );
    const encoded = await lmp(['tokenize', 'encode', '--from', 'tok', '-i', 'aaab.txt'], { cwd });
    expect(encoded).toEqual({ code: 0, out: '258 100 258 97 99\n', err: '' });
    const json = await lmp(['tokenize', 'encode', '-f', 'tok', '--text', 'aaaa', '--json'], {
      cwd,
    });
    expect(json.out).toBe('[256,256]\n');
    const decoded = await lmp(
      ['tokenize', 'decode', '--from', 'tok', '--ids', '258,100,258,97,99'],
      {
        cwd,
      },
    );
    expect(decoded).toEqual({ code: 0, out: 'aaabdaaabac\n', err: '' });
  });

  it('round-trips a mixed-script text and invalid UTF-8 byte for byte through encode → decode -o', async () => {
    const cwd = textsDirectory();
    const bytes = Uint8Array.of(0x68, 0x69, 0xff, 0xe4, 0xb8, 0x61, 0x61, 0x61);
    writeFileSync(join(cwd, 'bad.bin'), bytes);
    const trained = await lmp(
      ['tokenize', 'train', '-i', 'mixed.txt', '--vocab-size', '280', '-o', 'tok'],
      { cwd },
    );
    expect(trained.code).toBe(0);
    expect(trained.err).toContain('RegexTokenizer (gpt4 split)');
    expect(trained.err.match(/^merge \d+\/24:/gm)?.length).toBe(8); // every 3rd of 24
    for (const file of ['mixed.txt', 'bad.bin']) {
      const encoded = await lmp(['tokenize', 'encode', '--from', 'tok', '-i', file], { cwd });
      expect(encoded.code).toBe(0);
      writeFileSync(join(cwd, 'ids.txt'), encoded.out);
      const decoded = await lmp(
        ['tokenize', 'decode', '--from', 'tok', '-i', 'ids.txt', '-o', 'back.bin'],
        { cwd },
      );
      expect(decoded.code).toBe(0);
      expect(readFileSync(join(cwd, 'back.bin'))).toEqual(readFileSync(join(cwd, file)));
    }
    const shown = await lmp(['tokenize', 'decode', '-f', 'tok', '--ids', '104 105 255'], { cwd });
    expect(shown.out).toBe('hi\uFFFD\n');
  });

  it("--compare cl100k: the lecture string's GPT-4 tokens and compression ratio beside ours", async () => {
    const cwd = textsDirectory();
    await lmp(['tokenize', 'train', '-i', 'mixed.txt', '--vocab-size', '280', '-o', 'tok'], {
      cwd,
    });
    const lecture = 'hello123!!!? (안녕하세요!) 😉';
    const { code, out } = await lmp(
      ['tokenize', 'encode', '--from', 'tok', '--text', lecture, '--compare', 'cl100k'],
      { cwd },
    );
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    // 36 UTF-8 bytes in 12 cl100k tokens (15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, …).
    expect(lines[0]).toBe('36 UTF-8 bytes');
    expect(lines[2]).toMatch(/^ours \(tok\) +280 +\d+ +\d\.\d\d$/);
    expect(lines[3]).toMatch(/^cl100k_base +100,277 +12 +3\.00$/);
    expect(lines[5]).toBe('cl100k_base: |hello|123|!!!|?| (|�|�|�|�|하세요|!)| 😉|');
  });

  it('usage errors exit 2, data errors exit 1, each with one clear line', async () => {
    const cwd = textsDirectory();
    writeFileSync(join(cwd, 'empty.txt'), '');
    writeFileSync(join(cwd, 'bad.model'), 'minbpe v1\n\n0\n97 x\n');
    const cases: [string[], number, string][] = [
      [
        ['tokenize', 'train', '-i', 'aaab.txt', '--vocab-size', '256', '-o', 't'],
        2,
        "--vocab-size must be an integer >= 257, got '256'",
      ],
      [['tokenize', 'train', '-i', 'aaab.txt', '-o', 't'], 2, '--vocab-size N is required'],
      [
        ['tokenize', 'train', '-i', 'empty.txt', '--vocab-size', '300', '-o', 't'],
        1,
        'lmp: cannot train on an empty text',
      ],
      [
        ['tokenize', 'train', '-i', 'aaab.txt', '--vocab-size', '300', '-o', 't', '--basic'],
        1,
        'lmp: cannot learn 44 merges: after 7 the text has no adjacent pair of tokens left; use a longer text or vocabSize ≤ 263',
      ],
      [
        ['tokenize', 'encode', '--from', 'bad.model', '--text', 'x'],
        1,
        'bad.model, line 4: expected a merge',
      ],
      [['tokenize', 'encode', '--from', 'nowhere', '--text', 'x'], 1, 'cannot read tokenizer'],
      [
        [
          'tokenize',
          'train',
          '-i',
          'aaab.txt',
          '--vocab-size',
          '300',
          '-o',
          't',
          '--compare',
          'gpt5',
        ],
        2,
        "--compare must be gpt2 or cl100k, got 'gpt5'",
      ],
      [['tokenize', 'decode', '--from', 'bad.model', '--ids', '1,x'], 2, "got 'x'"],
    ];
    for (const [args, expectedCode, message] of cases) {
      const { code, err } = await lmp(args, { cwd });
      expect(err).toContain(message);
      expect(err.match(/^lmp: /gm)).toHaveLength(1);
      expect(code, args.join(' ')).toBe(expectedCode);
    }
  });

  it("special tokens: tiktoken's error unless --allowed-special, ids above the vocabulary are usage errors", async () => {
    const cwd = textsDirectory();
    writeFileSync(join(cwd, 'special.model'), 'minbpe v1\n\n1\n<|endoftext|> 257\n97 97\n');
    const refused = await lmp(
      ['tokenize', 'encode', '-f', 'special.model', '--text', 'aa<|endoftext|>'],
      {
        cwd,
      },
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "Encountered text corresponding to disallowed special token '<|endoftext|>'. Pass --allowed-special all",
    );
    const all = await lmp(
      [
        'tokenize',
        'encode',
        '-f',
        'special.model',
        '--text',
        'aa<|endoftext|>',
        '--allowed-special',
        'all',
      ],
      { cwd },
    );
    expect(all.out).toBe('256 257\n');
    const none = await lmp(
      ['tokenize', 'encode', '-f', 'special.model', '--text', 'aa<|e', '--allowed-special', 'none'],
      { cwd },
    );
    expect(none.out).toBe('256 60 124 101\n');
    const unknown = await lmp(['tokenize', 'decode', '-f', 'special.model', '--ids', '258'], {
      cwd,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('invalid token id: 258');
  });

  it('parseIds reads commas, spaces, newlines and a JSON array', () => {
    expect(parseIds('[258, 100,258\n97 99]', 'tokenize decode')).toEqual([258, 100, 258, 97, 99]);
    expect(() => parseIds('  ', 'tokenize decode')).toThrow('no token ids given');
  });

  it('--help lists the examples; lmp --help lists the group', async () => {
    const help = await lmp(['tokenize', 'train', '--help']);
    expect(help.out).toContain('lmp tokenize train -i book.txt --vocab-size 512 -o tok');
    const main = await lmp(['--help']);
    expect(main.out).toContain('tokenize:\n  lmp tokenize train');
  });
});
