import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { buildContexts } from './context-dataset.js';
import { buildSequences, gatherSequences } from './sequence-dataset.js';

describe('buildSequences', () => {
  const words = ['emma', 'ava', 'x'];
  const tokenizer = CharTokenizer.fromWords(words);
  const decode = (ids: ArrayLike<number>) =>
    Array.from(ids, (id) => (id < 0 ? '_' : tokenizer.itos[id])).join('');

  it("'next' targets are the lecture's contexts, unchanged", () => {
    const contexts = buildContexts(words, tokenizer, 4);
    const sequences = buildSequences(words, tokenizer, 4);
    expect(sequences.X).toEqual(contexts.X);
    expect(sequences.Y).toEqual(contexts.Y);
    expect(sequences).toMatchObject({ length: 5 + 4 + 2, blockSize: 4, targets: 'next' });
  });

  it("'all' targets: every position predicts its successor; padding predicts nothing", () => {
    const T = 3;
    const data = buildSequences(words, tokenizer, T, { targets: 'all' });
    expect(data.Y.length).toBe(data.length * T);
    const rows = Array.from({ length: data.length }, (_, i) => {
      const x = decode(data.X.subarray(i * T, (i + 1) * T));
      const y = decode(data.Y.subarray(i * T, (i + 1) * T));
      return `${x} -> ${y}`;
    });
    expect(rows).toEqual([
      '... -> __e',
      '..e -> _em',
      '.em -> emm',
      'emm -> mma',
      'mma -> ma.',
      '... -> __a',
      '..a -> _av',
      '.av -> ava',
      'ava -> va.',
      '... -> __x',
      '..x -> _x.',
    ]);
    // The last position of each example is exactly the 'next' target.
    const next = buildSequences(words, tokenizer, T);
    for (let i = 0; i < data.length; i++) expect(data.Y[i * T + T - 1]).toBe(next.Y[i]);
    // Against the definition on one long word: target at t = the token at absolute position p − T + t + 1.
    const word = 'abcabcab';
    const tk = CharTokenizer.fromWords([word]);
    const long = buildSequences([word], tk, 4, { targets: 'all', ignoreIndex: -100 });
    const tokens = [...tk.encode(word), 0];
    for (let p = 0; p < tokens.length; p++) {
      for (let t = 0; t < 4; t++) {
        const k = p - 4 + t + 1;
        expect(long.Y[p * 4 + t]).toBe(k < 0 ? -100 : tokens[k]);
      }
    }
  });

  it('gathers batches and refuses bad arguments', () => {
    const data = buildSequences(['ab'], CharTokenizer.fromWords(['ab']), 2, { targets: 'all' });
    expect(Array.from(gatherSequences(data, [2, 0]).Y)).toEqual([2, 0, -1, 1]);
    expect(() => gatherSequences(data, [3])).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() =>
      buildSequences(['ab'], CharTokenizer.fromWords(['ab']), 2, { targets: 'every' as 'all' }),
    ).toThrow(`Argument 'targets' passed to 'buildSequences' must be 'next' or 'all', got "every"`);
    expect(() =>
      buildSequences(['ab'], CharTokenizer.fromWords(['ab']), 2, { ignoreIndex: 1 }),
    ).toThrow('must be an integer outside the token ids 0…2, got 1');
  });
});
