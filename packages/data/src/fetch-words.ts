import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from './errors.js';
import {
  checkNotEmpty,
  decodeUtf8,
  parseWords,
  summarize,
  type WordList,
  type WordOptions,
} from './words.js';

export interface FetchWordsOptions extends WordOptions {
  /** Where downloads are kept; default `~/.cache/llm-playground`. */
  cacheDir?: string;
  /** The `fetch` to use (default the global one); tests inject a fake. */
  fetch?: typeof fetch;
}

/** `~/.cache/llm-playground`: the default download cache. */
export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'llm-playground');
}

/**
 * Downloads a UTF-8 word list (one item per line) from an http(s) URL, or reads it from the cache:
 * the file `words-<first 16 hex digits of sha256(url)>.txt` in `cacheDir`, written atomically
 * (temporary file, then rename) after a successful download. A cache that cannot be written does
 * not fail the call; the summary says so. Errors (bad URL, network failure, HTTP error status, an
 * HTML page instead of text, not UTF-8, no words) are `DataError`s of one line.
 *
 * @example
 * ```ts
 * // With internet, in an async function:
 * //   const names = await fetchWords('https://raw.githubusercontent.com/karpathy/makemore/master/names.txt');
 * // Offline, with a stand-in `fetch` and a throw-away cache:
 * const offline = async () => new Response('emma\nolivia\n');
 * fetchWords('https://example.com/names.txt', { fetch: offline, cacheDir: '/tmp/lmp-doc-example' })
 *   .then((list) => console.log(list.words)); // [ 'emma', 'olivia' ]
 * ```
 */
export async function fetchWords(url: string, options: FetchWordsOptions = {}): Promise<WordList> {
  checkHttpUrl(url);
  const { cacheDir = defaultCacheDir(), lowercase = false, dedupe = false } = options;
  const cachePath = join(
    cacheDir,
    `words-${createHash('sha256').update(url).digest('hex').slice(0, 16)}.txt`,
  );

  const cached = readCache(cachePath);
  if (cached !== null) {
    const list = parseWords(cached, { source: url, lowercase, dedupe });
    if (list.words.length > 0) {
      list.summary = summarize(
        list.words.length,
        url,
        list.dropped,
        dedupe,
        `cached in ${cachePath}`,
      );
      return list;
    }
  }

  const bytes = await download(url, options.fetch ?? globalThis.fetch);
  const list = parseWords(decodeUtf8(bytes, url), { source: url, lowercase, dedupe });
  checkNotEmpty(list, bytes.length);
  const note = writeCache(cachePath, bytes);
  list.summary = summarize(list.words.length, url, list.dropped, dedupe, note);
  return list;
}

/** Throws unless `url` is an absolute http: or https: URL. */
function checkHttpUrl(url: string): void {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // not a URL at all
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new DataError(
      `not an http(s) URL: ${url} — pass an address starting with http:// or https://, or a local file path`,
    );
  }
}

async function download(url: string, fetchImpl: typeof fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    const reason = cause ?? (error instanceof Error ? error.message : String(error));
    throw new DataError(
      `could not download ${url}: ${reason} — check the address and your internet connection, or pass a local file`,
      { cause: error },
    );
  }
  if (!response.ok) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new DataError(
      `could not download ${url}: the server answered ${status} — check the address`,
    );
  }
  if ((response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new DataError(
      `${url} is an HTML page, not a text file — use the address of the raw file (on GitHub: the "Raw" button)`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** The cached text, or null when there is no usable cache entry. */
function readCache(path: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return null; // missing or damaged: download again
  }
}

/** Writes the cache atomically; returns the summary's note. */
function writeCache(path: string, bytes: Uint8Array): string {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
    return `saved to ${path}`;
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // the folder itself is unusable: nothing was written
    }
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return `not cached: ${reason}`;
  }
}
