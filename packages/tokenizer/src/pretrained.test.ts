import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { DisallowedSpecialTokenError, loadPretrained, type Tokenizer } from './index.js';

// Strings that exercise the split patterns and the merges. (U+FEFF and U+0085 are left out: there
// js-tiktoken's own pattern uses JavaScript's \s and splits unlike tiktoken; patterns.test.ts
// checks our splits of them against Python.)
const CORPUS = [
  'hello123!!!? (안녕하세요!) 😉',
  'Hello world',
  '',
  ' ',
  '    leading and trailing spaces    ',
  'tabs\tand\nnewlines\r\nand\n\n\nblank lines\n   \n',
  "I'm, you're, he'll, we've, she'd, it's, DON'T, I'LL, WE'VE, 'ſ, o'er, rock'n'roll",
  '1 12 123 1234 12345 123456 3.14159 1,000,000 -42 0x1F 2024-12-03',
  '٣٤٥ ४२ ５６ ½ ² Ⅻ',
  '中文字符测试，日本語のテキスト、カタカナ。한국어 문장입니다.',
  '😀😃😄 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️ 🫠',
  'e\u0301 n\u0303 a\u0308\u0301 combining marks',
  'Привет, мир! Γειά σου Κόσμε! שלום עולם مرحبا بالعالم नमस्ते दुनिया',
  'def f(x):\n    return x ** 2  # comment\n\nprint(f(3))\n',
  'https://example.com/path?query=1&b=two#frag <tag attr="v">text</tag>',
  `${'a'.repeat(300)} ${'ab'.repeat(100)} ${'!'.repeat(120)} ${' '.repeat(90)}x`,
  '\u00a0\u2000\u3000 odd spaces \u2028 line separator',
  '\x00\x01\x1f control \x7f chars',
];

const book = readFileSync(join(import.meta.dirname, 'fixtures/minbpe/train.txt'), 'utf8');

describe.each(['gpt2', 'cl100k_base'] as const)('%s ranks in our RegexTokenizer', (name) => {
  let ours: Tokenizer;
  const theirs = getEncoding(name);
  beforeAll(async () => {
    ours = await loadPretrained(name);
  }, 60_000);

  it('encodes a corpus of tricky strings to the same ids as js-tiktoken, and decodes back', () => {
    for (const text of [...CORPUS, book]) {
      const ids = ours.encode(text);
      expect(ids, JSON.stringify(text.slice(0, 60))).toEqual(theirs.encode(text));
      expect(ours.decode(ids)).toBe(text);
    }
  });

  it('special tokens: the same ids with allowedSpecial all, an error without', () => {
    const text = 'one<|endoftext|>two';
    expect(ours.encode(text, 'all')).toEqual(theirs.encode(text, 'all'));
    expect(ours.encode(text, 'none')).toEqual(theirs.encode(text, [], []));
    expect(() => ours.encode(text)).toThrow(DisallowedSpecialTokenError);
    expect(ours.vocabSize).toBe(name === 'gpt2' ? 50257 : 100277);
    // every multi-byte token is recovered as a merge of two lower-ranked ones
    expect(ours.merges.length).toBe(name === 'gpt2' ? 50000 : 100000);
  });
});

describe('cl100k_base', () => {
  it("gives the lecture's ids and GPT-4's special tokens", async () => {
    const gpt4 = await loadPretrained('cl100k_base');
    expect(gpt4.encode('hello123!!!? (안녕하세요!) 😉')).toEqual([
      15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, 92245, 16715, 57037,
    ]);
    expect(Object.fromEntries(gpt4.specialTokens)).toEqual({
      '<|endoftext|>': 100257,
      '<|fim_prefix|>': 100258,
      '<|fim_middle|>': 100259,
      '<|fim_suffix|>': 100260,
      '<|endofprompt|>': 100276,
    });
    expect(gpt4.encode('<|endoftext|><|fim_prefix|>', 'all')).toEqual([100257, 100258]);
    // the byte shuffle: byte 0x21 '!' is rank 0, and the bytes decode through it
    expect(gpt4.byteShuffle?.[0x21]).toBe(0);
    expect(gpt4.decodeBytes([0])).toEqual(Uint8Array.of(0x21));
    expect(() => gpt4.toModelFile()).toThrow('has no minbpe .model form');
  }, 60_000);
});
