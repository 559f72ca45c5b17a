import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { readWords } from './read-words.js';

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
