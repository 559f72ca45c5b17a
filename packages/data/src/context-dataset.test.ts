import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { buildContexts } from './context-dataset.js';

/** The lecture's build_dataset, literally (context = context[1:] + [ix]). */
function reference(words: string[], tokenizer: CharTokenizer, blockSize: number) {
  const X: number[][] = [];
  const Y: number[] = [];
  for (const w of words) {
    let context = new Array(blockSize).fill(0);
    for (const ch of [...Array.from(w), '.']) {
      const ix = tokenizer.stoi(ch);
      X.push(context);
      Y.push(ix);
      context = [...context.slice(1), ix];
    }
  }
  return { X, Y };
}

describe('buildContexts', () => {
  const words = ['emma', 'olivia', 'ava', 'isabella', 'x', '', 'zoë😀'];
  const tokenizer = CharTokenizer.fromWords(words);

  for (const blockSize of [1, 2, 3, 5, 12]) {
    it(`matches the lecture's build_dataset with blockSize ${blockSize}`, () => {
      const data = buildContexts(words, tokenizer, blockSize);
      const expected = reference(words, tokenizer, blockSize);
      expect(data.length).toBe(expected.Y.length);
      expect(data.blockSize).toBe(blockSize);
      expect(data.X.length).toBe(data.length * blockSize);
      const rows = Array.from({ length: data.length }, (_, i) =>
        Array.from(data.X.subarray(i * blockSize, (i + 1) * blockSize)),
      );
      expect(rows).toEqual(expected.X);
      expect(Array.from(data.Y)).toEqual(expected.Y);
    });
  }

  it('with blockSize 1 is the bigram dataset', () => {
    const data = buildContexts(['emma'], tokenizer, 1);
    expect(tokenizer.decode(data.X)).toBe('.emma');
    expect(tokenizer.decode(data.Y)).toBe('emma.');
  });

  it('rejects a bad blockSize, naming it', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => buildContexts(words, tokenizer, bad)).toThrow(
        `Argument 'blockSize' passed to 'buildContexts' must be a positive integer, got ${bad}`,
      );
    }
  });

  it('names the word with an unknown character', () => {
    expect(() => buildContexts(['emma', 'émile'], tokenizer, 3)).toThrow(
      "Unknown character 'é' in the word 'émile' (index 1)",
    );
  });
});
