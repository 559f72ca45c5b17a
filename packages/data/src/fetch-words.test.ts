import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { defaultCacheDir, fetchWords } from './fetch-words.js';
import { DEFAULT_TIMEOUT_MS, InputTooLargeError } from './limits.js';

const URL_A = 'https://example.com/names.txt';

/** A stand-in for `fetch` that records its calls (no network on these machines). */
function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    calls.push(String(input));
    return respond(String(input));
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('fetchWords', () => {
  const root = mkdtempSync(join(tmpdir(), 'lmp-fetch-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const freshCache = () => join(root, `cache-${n++}`);

  it('downloads, cleans, and caches by URL hash; the second call reads the cache', async () => {
    const cacheDir = freshCache();
    const { fetch, calls } = fakeFetch(() => new Response('\uFEFFEmma\r\nolivia\r\n\r\nava\r\n'));
    const first = await fetchWords(URL_A, { cacheDir, fetch, lowercase: true });
    expect(first.words).toEqual(['emma', 'olivia', 'ava']);
    expect(first.source).toBe(URL_A);
    expect(first.dropped).toEqual({ empty: 1, duplicates: 0 });
    const files = readdirSync(cacheDir);
    expect(files).toEqual([expect.stringMatching(/^words-[0-9a-f]{16}\.txt$/)]);
    const cachePath = join(cacheDir, files[0]);
    expect(first.summary).toBe(
      `read 3 words from ${URL_A} (dropped 1 empty line; saved to ${cachePath})`,
    );
    expect(readFileSync(cachePath, 'utf8')).toBe('\uFEFFEmma\r\nolivia\r\n\r\nava\r\n'); // the raw bytes

    const second = await fetchWords(URL_A, { cacheDir, fetch, dedupe: true });
    expect(calls).toEqual([URL_A]); // not downloaded again
    expect(second.words).toEqual(['Emma', 'olivia', 'ava']); // cleaning options apply to the cache too
    expect(second.summary).toBe(
      `read 3 words from ${URL_A} (dropped 1 empty line, 0 duplicates; cached in ${cachePath})`,
    );

    // Another URL gets another cache file.
    await fetchWords(`${URL_A}?v=2`, { cacheDir, fetch });
    expect(readdirSync(cacheDir).length).toBe(2);
  });

  it('downloads again when the cache entry is damaged', async () => {
    const cacheDir = freshCache();
    const { fetch, calls } = fakeFetch(() => new Response('a\nb\n'));
    await fetchWords(URL_A, { cacheDir, fetch });
    const cachePath = join(cacheDir, readdirSync(cacheDir)[0]);
    writeFileSync(cachePath, Uint8Array.from([0xff, 0x00]));
    expect((await fetchWords(URL_A, { cacheDir, fetch })).words).toEqual(['a', 'b']);
    expect(calls.length).toBe(2);
    expect(readFileSync(cachePath, 'utf8')).toBe('a\nb\n');
  });

  it('still returns the words when the cache cannot be written, and says so', async () => {
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const { fetch } = fakeFetch(() => new Response('a\n'));
    const list = await fetchWords(URL_A, { cacheDir: join(blocker, 'sub'), fetch });
    expect(list.words).toEqual(['a']);
    expect(list.summary).toMatch(/; not cached: E[A-Z]+\)$/);
  });

  it('rejects what is not an http(s) URL', async () => {
    for (const bad of ['names.txt', 'ftp://example.com/names.txt', 'https//oops']) {
      await expect(fetchWords(bad, { cacheDir: freshCache() })).rejects.toThrow(
        new DataError(
          `not an http(s) URL: ${bad} — pass an address starting with http:// or https://, or a local file path`,
        ),
      );
    }
  });

  it('explains HTTP errors, network failures, HTML pages, bad encodings and empty files', async () => {
    const cacheDir = freshCache();
    const cases: [() => Response | Promise<Response>, string][] = [
      [
        () => new Response('nope', { status: 404, statusText: 'Not Found' }),
        `could not download ${URL_A}: the server answered 404 Not Found — check the address`,
      ],
      [
        () =>
          Promise.reject(
            new TypeError('fetch failed', {
              cause: new Error('getaddrinfo ENOTFOUND example.com'),
            }),
          ),
        `could not download ${URL_A}: getaddrinfo ENOTFOUND example.com — check the address and your internet connection, or pass a local file`,
      ],
      [
        () =>
          new Response('<html></html>', {
            headers: { 'content-type': 'text/html; charset=utf-8' },
          }),
        `${URL_A} is an HTML page, not a text file — use the address of the raw file (on GitHub: the "Raw" button)`,
      ],
      [
        () => new Response(Uint8Array.from([0x61, 0xe9, 0x0a])),
        `${URL_A} is not UTF-8 text (invalid bytes on line 1) — save it as UTF-8 with one word per line`,
      ],
      [
        () => new Response('\n\n'),
        `${URL_A} has no words (all 2 lines are blank) — pass a text file with one word per line`,
      ],
    ];
    for (const [respond, message] of cases) {
      const { fetch } = fakeFetch(respond);
      const attempt = fetchWords(URL_A, { cacheDir, fetch });
      await expect(attempt).rejects.toThrow(message);
      await expect(attempt).rejects.toBeInstanceOf(DataError);
    }
    expect(existsSync(cacheDir)).toBe(false); // nothing bad was cached
  });

  it('caches under ~/.cache/llm-playground by default', () => {
    expect(defaultCacheDir()).toMatch(/[/\\]\.cache[/\\]llm-playground$/);
  });

  it('times out a server that never answers, with the limit and how to raise it', async () => {
    // A real server that accepts the connection and never sends a byte.
    const sockets: import('node:net').Socket[] = [];
    const server = createServer(() => {});
    server.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/names.txt`;
    try {
      const started = performance.now();
      const attempt = fetchWords(url, { cacheDir: freshCache(), timeoutMs: 300 });
      await expect(attempt).rejects.toThrow(
        new DataError(
          `could not download ${url}: no complete answer within 0.3 s — check the address and your connection, download the file yourself and pass its path, or raise the limit with { timeoutMs } (the CLI: --timeout)`,
        ),
      );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(DEFAULT_TIMEOUT_MS).toBe(30_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('times out a body that stops half-way', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('emma\n'));
              // …and never closes.
            },
          }),
        ),
    );
    await expect(
      fetchWords(URL_A, { cacheDir: freshCache(), fetch, timeoutMs: 200 }),
    ).rejects.toThrow(/no complete answer within 0\.2 s/);
  });

  it('refuses a download over maxBytes, announced or streamed', async () => {
    const announced = fakeFetch(
      () => new Response('a\nb\n', { headers: { 'content-length': '5000' } }),
    );
    await expect(
      fetchWords(URL_A, { cacheDir: freshCache(), fetch: announced.fetch, maxBytes: 1000 }),
    ).rejects.toThrow(
      `${URL_A} is 4.9 KiB, more than the input limit of 1000 bytes — use a smaller word list, or raise the limit with { maxBytes }`,
    );
    const streamed = fakeFetch(() => new Response('abc\n'.repeat(500)));
    await expect(
      fetchWords(URL_A, { cacheDir: freshCache(), fetch: streamed.fetch, maxBytes: 1000 }),
    ).rejects.toBeInstanceOf(InputTooLargeError);
  });
});
