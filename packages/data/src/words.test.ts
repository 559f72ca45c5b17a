import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { parseWords, readWords } from './words.js';

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

describe('readWords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmp-words-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a UTF-8 file with the path as source', () => {
    const path = file('names.txt', '\uFEFFzoë\r\nbjörn\r\n\r\n');
    const list = readWords(path);
    expect(list.words).toEqual(['zoë', 'björn']);
    expect(list.source).toBe(path);
    expect(list.summary).toBe(`read 2 words from ${path} (dropped 1 empty line)`);
    expect(readWords(file('upper.txt', 'A\na\n'), { lowercase: true, dedupe: true }).words).toEqual(
      ['a'],
    );
  });

  it('explains a missing file', () => {
    const path = join(dir, 'missing.txt');
    expect(() => readWords(path)).toThrow(
      new DataError(`no such file: ${path} — pass a text file with one word per line`),
    );
  });

  it('explains a directory', () => {
    const path = join(dir, 'folder');
    mkdirSync(path);
    expect(() => readWords(path)).toThrow(
      `${path} is a directory, not a file — pass a text file with one word per line`,
    );
  });

  it('explains a file that is not UTF-8, with the line', () => {
    const path = file(
      'latin1.txt',
      Uint8Array.from([0x61, 0x0a, 0x62, 0x0a, 0x7a, 0x6f, 0xeb, 0x0a]),
    );
    expect(() => readWords(path)).toThrow(
      `${path} is not UTF-8 text (invalid bytes on line 3) — save it as UTF-8 with one word per line`,
    );
    const utf16 = file('utf16.txt', Uint8Array.from([0xff, 0xfe, 0x61, 0x00]));
    expect(() => readWords(utf16)).toThrow(`${utf16} is UTF-16 text, not UTF-8`);
  });

  it('explains an empty file and a file of blank lines', () => {
    const empty = file('empty.txt', '');
    expect(() => readWords(empty)).toThrow(
      `${empty} has no words (the file is empty) — pass a text file with one word per line`,
    );
    const blank = file('blank.txt', '\n  \n\t\n');
    expect(() => readWords(blank)).toThrow(`${blank} has no words (all 3 lines are blank)`);
  });

  it('throws DataError instances, and TypeError for a bad argument', () => {
    expect(() => readWords(join(dir, 'nope'))).toThrow(DataError);
    expect(() => readWords('')).toThrow(TypeError);
  });
});
