import { describe, expect, it } from 'vitest';
import { parseWords } from './words.js';

describe('parseWords', () => {
  it('trims, drops empty lines, keeps file order and counts what it dropped', () => {
    const list = parseWords('emma\n  olivia\t\n\n   \nava\n');
    expect(list.words).toEqual(['emma', 'olivia', 'ava']);
    expect(list.dropped).toEqual({ empty: 2, duplicates: 0 });
    expect(list.source).toBe('text');
    expect(list.summary).toBe('read 3 words from text (dropped 2 empty lines)');
  });

  it('handles \\r\\n, lone \\r, a BOM and a missing final line end', () => {
    expect(parseWords('\uFEFFa\r\nb\rc\nd').words).toEqual(['a', 'b', 'c', 'd']);
    expect(parseWords('a\r\n\r\nb\r\n').dropped.empty).toBe(1);
  });

  it('does not count the final line end as an empty line, and accepts empty text', () => {
    expect(parseWords('a\n').dropped.empty).toBe(0);
    expect(parseWords('a\n\n').dropped.empty).toBe(1);
    const empty = parseWords('', { source: 'x.txt' });
    expect(empty.words).toEqual([]);
    expect(empty.summary).toBe('read 0 words from x.txt (dropped 0 empty lines)');
  });

  it('lower-cases and de-duplicates (after lower-casing, keeping the first occurrence)', () => {
    const text = 'Emma\nAVA\nemma\nÉlodie\nava\n';
    expect(parseWords(text, { lowercase: true }).words).toEqual([
      'emma',
      'ava',
      'emma',
      'élodie',
      'ava',
    ]);
    const list = parseWords(text, { lowercase: true, dedupe: true, source: 'n.txt' });
    expect(list.words).toEqual(['emma', 'ava', 'élodie']);
    expect(list.dropped).toEqual({ empty: 0, duplicates: 2 });
    expect(list.summary).toBe('read 3 words from n.txt (dropped 0 empty lines, 2 duplicates)');
    // Without lowercase, case differences are different words.
    expect(parseWords(text, { dedupe: true }).words).toEqual([
      'Emma',
      'AVA',
      'emma',
      'Élodie',
      'ava',
    ]);
  });

  it('formats counts with thousands separators and singular nouns', () => {
    const many = `${Array.from({ length: 1234 }, (_, i) => `w${i}`).join('\n')}\n\n`;
    expect(parseWords(many).summary).toBe('read 1,234 words from text (dropped 1 empty line)');
    expect(parseWords('solo').summary).toBe('read 1 word from text (dropped 0 empty lines)');
  });
});
