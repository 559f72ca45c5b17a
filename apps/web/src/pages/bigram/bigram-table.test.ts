import { existsSync, readFileSync } from 'node:fs';
import { bundledNames } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import {
  buildBigramTable,
  datasetNll,
  rowDistribution,
  sampleNames,
  wordNll,
} from './bigram-table.js';

const lectureNamesPath = new URL('../../../../../../shared/data/names.txt', import.meta.url);
const lectureNames = existsSync(lectureNamesPath)
  ? readFileSync(lectureNamesPath, 'utf8').split('\n').filter(Boolean)
  : null;

/** Counts pairs by hand with a Map, independently of the library. */
function countPairs(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) {
    const chars = ['.', ...Array.from(word), '.'];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return counts;
}

describe('buildBigramTable', () => {
  it('has one cell per pair of the vocabulary, with the counts of a hand count', () => {
    const words = bundledNames().words;
    const table = buildBigramTable(words);
    expect(table.V).toBe(28); // '.', '-', a–z
    expect(table.itos.slice(0, 3)).toEqual(['.', '-', 'a']);
    expect(table.cells).toHaveLength(28 * 28);
    const expected = countPairs(words);
    for (const cell of table.cells) {
      expect(cell.pair).toBe(table.itos[cell.row] + table.itos[cell.col]);
      expect(cell.count, cell.pair).toBe(expected.get(cell.pair) ?? 0);
    }
    expect(table.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    expect(table.maxCount).toBe(Math.max(...expected.values()));
    expect(table.maxCount).toBe(1928); // 'e.', as the makemore README says
  });

  it.skipIf(lectureNames === null)("gives the lecture's 27×27 counts on names.txt", () => {
    const table = buildBigramTable(lectureNames as string[]);
    expect(table.cells).toHaveLength(729);
    expect(table.total).toBe(228146);
    expect(table.cells.find((c) => c.pair === 'an')?.count).toBe(5438);
  });
});

describe('rowDistribution', () => {
  it('is (N + k) / Σ (N + k) for the row', () => {
    const table = buildBigramTable(['ab', 'ac', 'b']);
    // itos: . a b c ; row 'a': a→b once, a→c once
    expect(rowDistribution(table, 1, 0).map((d) => [d.next, d.count, d.p])).toEqual([
      ['.', 0, 0],
      ['a', 0, 0],
      ['b', 1, 0.5],
      ['c', 1, 0.5],
    ]);
    const smoothed = rowDistribution(table, 1, 2).map((d) => d.p);
    expect(smoothed[0]).toBeCloseTo(2 / 10, 6);
    expect(smoothed[2]).toBeCloseTo(3 / 10, 6);
    expect(smoothed.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('names the bad argument', () => {
    const table = buildBigramTable(['ab']);
    expect(() => rowDistribution(table, 3, 0)).toThrow(
      "Argument 'row' passed to 'rowDistribution' must be an integer in [0, 2], got 3",
    );
    expect(() => rowDistribution(table, 0, -1)).toThrow(/'smoothing'.*got -1/);
  });
});

describe('wordNll', () => {
  it('scores each bigram of the word and averages −log p', () => {
    const table = buildBigramTable(['ab', 'ba']);
    const score = wordNll(table, 'ab', 0);
    if (!score.ok) throw new Error(score.error);
    expect(score.bigrams.map((b) => [b.pair, b.count, b.p])).toEqual([
      ['.a', 1, 0.5],
      ['ab', 1, 0.5], // 'a' is followed once by 'b' and once by '.'
      ['b.', 1, 0.5],
    ]);
    expect(score.nll).toBeCloseTo(Math.LN2, 6);
  });

  it("agrees with BigramCounts.wordNll and makes 'andrejq' infinite when unsmoothed", () => {
    const table = buildBigramTable(bundledNames().words);
    for (const k of [0, 1, 5]) {
      const score = wordNll(table, 'andrej', k);
      if (!score.ok) throw new Error(score.error);
      expect(score.nll).toBeCloseTo(table.model.wordNll('andrej', { smoothing: k }), 10);
    }
    const unsmoothed = wordNll(table, 'andrejq', 0);
    if (!unsmoothed.ok) throw new Error(unsmoothed.error);
    expect(unsmoothed.nll).toBe(Infinity);
    expect(unsmoothed.bigrams.find((b) => b.pair === 'jq')).toMatchObject({ count: 0, p: 0 });
    const smoothed = wordNll(table, 'andrejq', 1);
    expect(smoothed.ok && Number.isFinite(smoothed.nll)).toBe(true);
  });

  it('explains words it cannot score', () => {
    const table = buildBigramTable(['ab']);
    expect(wordNll(table, '', 1)).toEqual({ ok: false, error: 'Type a word to score it.' });
    const unknown = wordNll(table, 'az', 1);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error).toMatch(/'z' is not in the vocabulary \(ab\)/);
    expect(!wordNll(table, 'a.b', 1).ok).toBe(true);
  });
});

describe('datasetNll', () => {
  it('falls between the unsmoothed optimum and larger smoothing', () => {
    const table = buildBigramTable(bundledNames().words);
    const nll0 = datasetNll(table, 0).nll;
    expect(nll0.toFixed(4)).toBe('2.4187');
    expect(datasetNll(table, 1).nll.toFixed(4)).toBe('2.4232'); // the makemore README's value
    expect(datasetNll(table, 10).nll).toBeGreaterThan(datasetNll(table, 1).nll);
    expect(datasetNll(table, 0).count).toBe(table.total);
  });

  it.skipIf(lectureNames === null)("gives the lecture's 2.4540 / 2.4546 on names.txt", () => {
    const table = buildBigramTable(lectureNames as string[]);
    expect(datasetNll(table, 0).nll.toFixed(4)).toBe('2.4540');
    expect(datasetNll(table, 1).nll.toFixed(4)).toBe('2.4546');
  });
});

describe('sampleNames', () => {
  it('is seeded: the same seed gives the same names', () => {
    const table = buildBigramTable(bundledNames().words);
    const a = sampleNames(table, { seed: 2147483647, count: 5, smoothing: 1 });
    expect(a).toEqual(['mor', 'att', 'minevistyaer', 'jonerairaca', 'melviny']);
    expect(sampleNames(table, { seed: 2147483647, count: 5, smoothing: 1 })).toEqual(a);
    expect(sampleNames(table, { seed: 42, count: 5, smoothing: 1 })).not.toEqual(a);
  });

  it.skipIf(lectureNames === null)("reproduces the lecture's five names on names.txt", () => {
    const table = buildBigramTable(lectureNames as string[]);
    expect(sampleNames(table, { seed: 2147483647, count: 5, smoothing: 1 })).toEqual([
      'mor',
      'axx',
      'minaymoryles',
      'kondlaisah',
      'anchshizarie',
    ]);
  });
});
