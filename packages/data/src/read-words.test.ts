import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { DEFAULT_MAX_BYTES, InputTooLargeError } from './limits.js';
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

  it('refuses a file over maxBytes before reading it, naming the limit and how to raise it', () => {
    const path = file('big.txt', 'abc\n'.repeat(1000)); // 4,000 bytes
    expect(() => readWords(path, { maxBytes: 3000 })).toThrow(
      new InputTooLargeError(path, 4000, 3000, true),
    );
    expect(() => readWords(path, { maxBytes: 3000 })).toThrow(
      `${path} is 3.9 KiB, more than the input limit of 2.9 KiB — use a smaller word list, or raise the limit with { maxBytes } (the CLI: --max-input-mb)`,
    );
    expect(readWords(path, { maxBytes: 4000 }).words.length).toBe(1000);
    expect(() => readWords(path, { maxBytes: 0 })).toThrow(RangeError);
    expect(DEFAULT_MAX_BYTES).toBe(256 * 2 ** 20);
  });

  it.skipIf(!existsSync('/dev/zero'))(
    'stops reading /dev/zero at the limit instead of forever',
    () => {
      const started = performance.now();
      let caught: unknown;
      try {
        readWords('/dev/zero', { maxBytes: 8 * 2 ** 20 });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputTooLargeError);
      expect(caught).toBeInstanceOf(DataError);
      expect((caught as Error).message).toBe(
        '/dev/zero holds more than the input limit of 8 MiB (stopped reading there) — use a smaller word list, or raise the limit with { maxBytes } (the CLI: --max-input-mb)',
      );
      expect((caught as InputTooLargeError).limit).toBe(8 * 2 ** 20);
      expect(performance.now() - started).toBeLessThan(2000);
    },
  );

  it('reads a file larger than one chunk (16 MiB) completely', () => {
    const line = 'abcdefghijklmno\n'; // 16 bytes
    const path = file('large.txt', line.repeat(1_100_000)); // 17.6 MB
    const list = readWords(path);
    expect(list.words.length).toBe(1_100_000);
    expect(list.words[1_099_999]).toBe('abcdefghijklmno');
  });
});
