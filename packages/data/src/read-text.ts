/**
 * `readText` / `loadText`: a text to train on from a file, an http(s) URL or the bundled book,
 * with the word lists' limits (`maxBytes`, `timeoutMs`), cache and one-line errors.
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledBook } from './bundled-book.js';
import { DataError } from './errors.js';
import {
  checkHttpUrl,
  defaultCacheDir,
  download,
  type FetchWordsOptions,
  readCache,
  writeCache,
} from './fetch-words.js';
import { formatCount } from './format.js';
import { checkLimit, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './limits.js';
import { fileError, readLimited } from './read-words.js';
import { decodeText, type TextSource } from './text.js';

/** Options of `readText`: the limits, and for URLs the cache and the `fetch` to use. */
export type ReadTextOptions = Pick<
  FetchWordsOptions,
  'cacheDir' | 'fetch' | 'timeoutMs' | 'maxBytes'
>;

const TEXT_HINT = 'pass a UTF-8 text file (a book, a play: any plain text)';

/**
 * Reads a UTF-8 text from a path, a `file://` URL or an `http(s)://` URL (downloaded once, cached
 * as `text-<sha256(url)[:16]>.txt` in `cacheDir`). Refuses with a one-line `DataError` a missing
 * file, a directory, an empty or white-space-only file, a binary one (a NUL byte or more than 1%
 * invalid UTF-8), UTF-16, and input above `maxBytes` (default 256 MiB, `InputTooLargeError`).
 *
 * @example
 * ```ts
 * // In an async function:
 * //   const book = await readText('shakespeare.txt');
 * //   console.log(book.summary); // read 1,115,394 characters from shakespeare.txt
 * //   await readText('/bin/ls'); // rejects: /bin/ls looks like a binary file, not text (a NUL byte at offset 7) — …
 * readText('no-such-book.txt').catch((error) => error instanceof DataError);
 * ```
 */
export async function readText(
  pathOrUrl: string,
  options: ReadTextOptions = {},
): Promise<TextSource> {
  if (typeof pathOrUrl !== 'string' || pathOrUrl === '') {
    throw new TypeError(
      `Argument 'pathOrUrl' passed to 'readText' must be a non-empty string, got ${JSON.stringify(pathOrUrl)}`,
    );
  }
  const maxBytes = checkLimit(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes', 'readText');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(pathOrUrl)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return fetchText(pathOrUrl, options, maxBytes);
  if (scheme !== undefined && scheme !== 'file') {
    throw new DataError(
      `unsupported address ${pathOrUrl}: only http://, https:// and file:// URLs can be read — or pass a local file path`,
    );
  }
  const path = scheme === 'file' ? fileURLToPath(pathOrUrl) : pathOrUrl;
  let bytes: Uint8Array;
  try {
    bytes = readLimited(path, maxBytes);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw fileError(path, error, TEXT_HINT);
  }
  const text = decodeText(bytes, path);
  return {
    text,
    source: path,
    title: basename(path),
    summary: `read ${formatCount(text.length)} characters from ${path}`,
  };
}

async function fetchText(
  url: string,
  options: ReadTextOptions,
  maxBytes: number,
): Promise<TextSource> {
  checkHttpUrl(url);
  const timeoutMs = checkLimit(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs', 'readText');
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const cachePath = join(options.cacheDir ?? defaultCacheDir(), `text-${hash}.txt`);
  const title = basename(new URL(url).pathname) || url;
  const cached = readCache(cachePath);
  if (cached !== null && cached.trim() !== '') {
    const summary = `read ${formatCount(cached.length)} characters from ${url} (cached in ${cachePath})`;
    return { text: cached, source: url, title, summary };
  }
  const bytes = await download(url, options.fetch ?? globalThis.fetch, timeoutMs, maxBytes);
  const text = decodeText(bytes, url);
  const note = writeCache(cachePath, bytes);
  const summary = `read ${formatCount(text.length)} characters from ${url} (${note})`;
  return { text, source: url, title, summary };
}

/**
 * `undefined` → the bundled book (`bundledBook()`), anything else → `readText`.
 *
 * @example
 * ```ts
 * // In an async function: (await loadText(undefined)).title is 'Moby Dick; or, The Whale (Herman Melville, 1851)'
 * loadText(undefined).then((book) => book.title);
 * ```
 */
export function loadText(
  pathOrUrl: string | undefined,
  options: ReadTextOptions = {},
): Promise<TextSource> {
  return pathOrUrl === undefined ? bundledBook() : readText(pathOrUrl, options);
}
