import { describe, expect, it } from 'vitest';
import { buildBigrams } from './bigram-dataset.js';
import { CharTokenizer } from './char-tokenizer.js';
import { DataError } from './errors.js';

/** The lecture's loop, literally: for ch1, ch2 in zip(chs, chs[1:]). */
function reference(words: string[], tokenizer: CharTokenizer) {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const w of words) {
    const chs = ['.', ...Array.from(w), '.'];
    for (let i = 0; i + 1 < chs.length; i++) {
      xs.push(tokenizer.stoi(chs[i]));
      ys.push(tokenizer.stoi(chs[i + 1]));
    }
  }
  return { xs, ys };
}

describe('buildBigrams', () => {
  it("matches the lecture's loop on the first names, including 'emma' → 5 pairs", () => {
    const words = ['emma', 'olivia', 'ava'];
    const tokenizer = CharTokenizer.fromWords(words);
    const data = buildBigrams(words, tokenizer);
    const expected = reference(words, tokenizer);
    expect(data.length).toBe(5 + 7 + 4);
    expect(Array.from(data.xs)).toEqual(expected.xs);
    expect(Array.from(data.ys)).toEqual(expected.ys);
    expect(tokenizer.decode(data.xs.subarray(0, 5))).toBe('.emma');
  });

  it('handles Unicode (surrogate pairs), empty words and no words', () => {
    const words = ['zoë', '', '😀a😀', 'b'];
    const tokenizer = CharTokenizer.fromWords(words);
    const data = buildBigrams(words, tokenizer);
    const expected = reference(words, tokenizer);
    expect(data.length).toBe(4 + 1 + 4 + 2);
    expect(Array.from(data.xs)).toEqual(expected.xs);
    expect(Array.from(data.ys)).toEqual(expected.ys);
    expect(buildBigrams([], tokenizer)).toEqual({
      xs: new Int32Array(0),
      ys: new Int32Array(0),
      length: 0,
    });
  });

  it('names the word with an unknown character', () => {
    const tokenizer = CharTokenizer.fromWords(['jose']);
    expect(() => buildBigrams(['jose', 'josé'], tokenizer)).toThrow(
      new DataError(
        "Unknown character 'é' in the word 'josé' (index 1) (not in the vocabulary of 5 characters) — build the tokenizer from the same words with CharTokenizer.fromWords",
      ),
    );
    expect(() => buildBigrams(['a', 3 as unknown as string], tokenizer)).toThrow(
      "Argument 'words' passed to 'buildBigrams' must be an array of strings, got number at index 1",
    );
  });
});
