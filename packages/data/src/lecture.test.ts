// The lecture's facts on names.txt (makemore parts 1–2). The file is never copied into the repo:
// these tests run when ../shared/data/names.txt (or $LMP_NAMES) exists and are skipped otherwise.
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../tools/lecture-names.js';
import { buildBigrams } from './bigram-dataset.js';
import { CharTokenizer } from './char-tokenizer.js';
import { buildContexts } from './context-dataset.js';
import { readWords } from './read-words.js';
import { splitWords } from './split-words.js';

const namesPath = lectureNamesPath();

describe.skipIf(namesPath === null)('the lecture on names.txt', () => {
  const list = namesPath === null ? null : readWords(namesPath);
  const words = list?.words ?? [];
  const tokenizer = CharTokenizer.fromWords(words);

  it('reads 32,033 names and drops nothing', () => {
    expect(list!.summary).toBe(`read 32,033 words from ${namesPath} (dropped 0 empty lines)`);
    expect(words.slice(0, 3)).toEqual(['emma', 'olivia', 'ava']);
  });

  it("has the vocabulary of 27: '.' at 0, then a–z", () => {
    expect(tokenizer.vocabSize).toBe(27);
    expect(tokenizer.itos.join('')).toBe('.abcdefghijklmnopqrstuvwxyz');
    expect(tokenizer.stoi('a')).toBe(1);
    expect(tokenizer.stoi('z')).toBe(26);
  });

  it('has 228,146 bigrams and N[a][n] = 5438', () => {
    const { xs, ys, length } = buildBigrams(words, tokenizer);
    expect(length).toBe(228_146);
    let an = 0;
    for (let i = 0; i < length; i++) if (xs[i] === 1 && ys[i] === 14) an++;
    expect(an).toBe(5438);
  });

  it('shuffles like random.seed(42); random.shuffle(words) and splits 182,625 / 22,655 / 22,866', () => {
    const { train, dev, test } = splitWords(words);
    expect(train.slice(0, 5)).toEqual(['yuheng', 'diondre', 'xavien', 'jori', 'juanluis']);
    expect([train.length, dev.length, test.length]).toEqual([25_626, 3_203, 3_204]);
    const sizes = [train, dev, test].map((part) => buildContexts(part, tokenizer, 3).length);
    expect(sizes).toEqual([182_625, 22_655, 22_866]);
    const Xtr = buildContexts(train, tokenizer, 3);
    expect(Xtr.X.length).toBe(182_625 * 3);
    // The first training word is 'yuheng': contexts ..., ..y, .yu, …
    expect(tokenizer.decode(Xtr.X.subarray(0, 9))).toBe('.....y.yu');
    expect(tokenizer.decode(Xtr.Y.subarray(0, 7))).toBe('yuheng.');
  });
});
