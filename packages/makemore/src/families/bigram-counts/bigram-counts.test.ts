import { Generator } from '@llm-playground/core';
import { CharTokenizer, readWords } from '@llm-playground/data';
import { tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../../tools/lecture-names.js';
import { sample } from '../../sample.js';
import { BigramCounts } from './bigram-counts.js';

const names = lectureNamesPath();

describe('BigramCounts on a small word list', () => {
  const words = ['ab', 'abb', 'ba'];
  const tokenizer = CharTokenizer.fromWords(words);
  const model = BigramCounts.fromWords(words, tokenizer, { smoothing: 0 });

  it('counts every bigram of .word.', () => {
    // .a ab b. | .a ab bb b. | .b ba a.
    expect(model.counts.tolist()).toEqual([
      [0, 2, 1],
      [1, 0, 2],
      [2, 1, 1],
    ]);
    expect(model.counts.sum().item()).toBe(10);
  });

  it('normalises rows with add-k smoothing', () => {
    expect((model.probabilities(0).tolist() as number[][])[0]).toEqual([
      0,
      Math.fround(2 / 3),
      Math.fround(1 / 3),
    ]);
    expect((model.probabilities(1).tolist() as number[][])[0]).toEqual([
      Math.fround(1 / 6),
      Math.fround(3 / 6),
      Math.fround(2 / 6),
    ]);
    expect(model.probabilities(1)).toBe(model.probabilities(1)); // cached
    expect(() => model.probabilities(-1)).toThrow(
      /'smoothing' passed to 'probabilities' must be a finite number ≥ 0, got -1/,
    );
  });

  it('nll averages −log P over the bigrams', () => {
    const { nll, count, logLikelihood } = model.nll(words);
    expect(count).toBe(10);
    // P rows: . → [0, 2/3, 1/3], a → [1/3, 0, 2/3], b → [2/4, 1/4, 1/4] (float32, as stored)
    const P = [
      [0, 2 / 3, 1 / 3],
      [1 / 3, 0, 2 / 3],
      [2 / 4, 1 / 4, 1 / 4],
    ];
    const pairs = [
      [0, 1],
      [1, 2],
      [2, 0],
      [0, 1],
      [1, 2],
      [2, 2],
      [2, 0],
      [0, 2],
      [2, 1],
      [1, 0],
    ];
    const direct = pairs.reduce((s, [i, j]) => s + Math.log(Math.fround(P[i][j])), 0);
    expect(logLikelihood).toBeCloseTo(direct, 12);
    expect(nll).toBeCloseTo(-direct / 10, 12);
    expect(model.wordNll('aa')).toBe(Number.POSITIVE_INFINITY); // 'aa' never occurs
    expect(Number.isFinite(model.wordNll('aa', { smoothing: 1 }))).toBe(true);
  });

  it('logits are log P rows and loss is the mean −log P', () => {
    const X = tensor([[0], [2]]);
    const Y = tensor([1, 1]);
    const logits = model.logits(X);
    expect(logits.shape).toEqual([2, 3]);
    const P = model.probabilities(0).tolist() as number[][];
    // loss uses the model's own smoothing (0 here)
    expect(model.loss(X, Y).item()).toBeCloseTo(-(Math.log(P[0][1]) + Math.log(P[2][1])) / 2, 6);
  });

  it('topPairs sorts by count, ties row-major', () => {
    expect(model.topPairs(4)).toEqual([
      { pair: '.a', count: 2 },
      { pair: 'ab', count: 2 },
      { pair: 'b.', count: 2 },
      { pair: '.b', count: 1 },
    ]);
  });

  it('stateDict round-trips and rejects wrong shapes', () => {
    const copy = new BigramCounts(model.config, { tokenizer });
    copy.loadStateDict(model.stateDict());
    expect(copy.counts.tolist()).toEqual(model.counts.tolist());
    expect(() => copy.loadStateDict({ counts: tensor([[1]]) })).toThrow(
      /size mismatch for counts: copying a param with shape \[1, 1\] from checkpoint, the shape in current model is \[3, 3\]/,
    );
    expect(() => new BigramCounts(model.config).topPairs(1)).toThrow(/needs a tokenizer/);
  });
});

describe.skipIf(names === null)('BigramCounts on names.txt (the lecture)', () => {
  const words = names ? readWords(names).words : [];
  const tokenizer = CharTokenizer.fromWords(words);
  const model = BigramCounts.fromWords(words, tokenizer);

  it('counts 228,146 bigrams with N[a][n] = 5438', () => {
    expect(model.counts.sum().item()).toBe(228146);
    const counts = model.counts.tolist() as number[][];
    expect(counts[tokenizer.stoi('a')][tokenizer.stoi('n')]).toBe(5438);
    expect(model.topPairs(1)).toEqual([{ pair: 'n.', count: 6763 }]);
  });

  it('gives NLL 2.4540 unsmoothed and 2.4546 with +1', () => {
    const raw = model.nll(words, { smoothing: 0 });
    expect(raw.count).toBe(228146);
    expect(raw.nll).toBeCloseTo(2.454014, 5);
    expect(raw.nll.toFixed(4)).toBe('2.4540');
    const smoothed = model.nll(words);
    expect(smoothed.nll).toBeCloseTo(2.454577, 5);
    expect(smoothed.nll.toFixed(4)).toBe('2.4546');
    expect(model.wordNll('andrejq', { smoothing: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(model.wordNll('andrejq'))).toBe(true);
  });

  it("samples the lecture's five names with seed 2147483647", () => {
    const result = sample(model, tokenizer, { count: 5, generator: new Generator(2147483647) });
    expect(result.words.map((w) => `${w}.`)).toEqual([
      'mor.',
      'axx.',
      'minaymoryles.',
      'kondlaisah.',
      'anchshizarie.',
    ]);
  });
});
