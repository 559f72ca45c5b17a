import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { loadWords } from './load-words.js';

describe('loadWords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmp-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'pets.txt');
  writeFileSync(path, 'Rex\nfido\nrex\n');

  it('gives the bundled names without a path', async () => {
    const list = await loadWords(undefined);
    expect(list.words.length).toBe(8422);
    expect(list.source).toMatch(/^bundled: /);
  });

  it('reads a path or a file:// URL, with the cleaning options', async () => {
    expect((await loadWords(path)).words).toEqual(['Rex', 'fido', 'rex']);
    const list = await loadWords(pathToFileURL(path).href, { lowercase: true, dedupe: true });
    expect(list.words).toEqual(['rex', 'fido']);
    expect(list.source).toBe(path);
  });

  it('downloads an http(s) URL through fetchWords', async () => {
    const calls: string[] = [];
    const fetch = (async (url: string) => {
      calls.push(url);
      return new Response('a\nb\n');
    }) as typeof globalThis.fetch;
    const list = await loadWords('HTTPS://example.com/x.txt', {
      fetch,
      cacheDir: join(dir, 'cache'),
    });
    expect(list.words).toEqual(['a', 'b']);
    expect(calls).toEqual(['HTTPS://example.com/x.txt']);
  });

  it('rejects (never throws synchronously) with a clear message', async () => {
    const missing = join(dir, 'missing.txt');
    const attempt = loadWords(missing);
    expect(attempt).toBeInstanceOf(Promise);
    await expect(attempt).rejects.toThrow(
      `no such file: ${missing} — pass a text file with one word per line`,
    );
    await expect(loadWords('ftp://example.com/x.txt')).rejects.toThrow(
      new DataError(
        'unsupported address ftp://example.com/x.txt: only http://, https:// and file:// URLs can be loaded — or pass a local file path',
      ),
    );
  });
});
