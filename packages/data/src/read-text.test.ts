import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_BOOK_SOURCE } from './bundled-book.js';
import { InputTooLargeError } from './limits.js';
import { loadText, readText } from './read-text.js';

describe('readText', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmp-text-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a UTF-8 file by path or file:// URL', async () => {
    const path = file('verse.txt', '\uFEFFTo be, or not to be—\nthat is the question:\n');
    const text = await readText(path);
    expect(text.text).toBe('To be, or not to be—\nthat is the question:\n');
    expect(text.title).toBe('verse.txt');
    expect(text.summary).toBe(`read 43 characters from ${path}`);
    expect((await readText(pathToFileURL(path).href)).text).toBe(text.text);
  });

  it('refuses a missing, empty, binary or too large file with a clear message', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(readText(missing)).rejects.toThrow(
      `no such file: ${missing} — pass a UTF-8 text file (a book, a play: any plain text)`,
    );
    const empty = file('empty.txt', '');
    await expect(readText(empty)).rejects.toThrow(`${empty} is empty`);
    const binary = file(
      'a.bin',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
    );
    await expect(readText(binary)).rejects.toThrow(
      `${binary} looks like a binary file, not text (a NUL byte at offset 8)`,
    );
    const big = file('big.txt', 'x'.repeat(2000));
    await expect(readText(big, { maxBytes: 1024 })).rejects.toThrow(InputTooLargeError);
    await expect(readText(dir)).rejects.toThrow(`${dir} is a directory, not a file`);
    await expect(readText('ftp://example.com/a.txt')).rejects.toThrow('unsupported address');
  });

  it('downloads a URL once, then reads the cache', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response('Call me Ishmael.\n', { headers: { 'content-type': 'text/plain' } });
    }) as typeof globalThis.fetch;
    const options = { fetch, cacheDir: join(dir, 'cache') };
    const first = await readText('https://example.com/books/moby.txt', options);
    expect(first.text).toBe('Call me Ishmael.\n');
    expect(first.title).toBe('moby.txt');
    expect(first.summary).toMatch(
      /^read 17 characters from https:\/\/example\.com\/books\/moby\.txt \(saved to .*text-[0-9a-f]{16}\.txt\)$/,
    );
    const second = await readText('https://example.com/books/moby.txt', options);
    expect(second.text).toBe(first.text);
    expect(second.summary).toContain('(cached in ');
    expect(calls).toBe(1);
    const binary = (async () => new Response(new Uint8Array([1, 0, 2]))) as typeof globalThis.fetch;
    await expect(
      readText('https://example.com/model.bin', { fetch: binary, cacheDir: join(dir, 'cache') }),
    ).rejects.toThrow('https://example.com/model.bin looks like a binary file');
  });

  it('loadText(undefined) is the bundled book', async () => {
    const book = await loadText(undefined);
    expect(book.source).toBe(BUNDLED_BOOK_SOURCE);
    expect(book.text.length).toBe(1_190_317);
  });
});
