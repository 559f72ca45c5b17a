import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from './errors.js';
import { checkLimit, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, InputTooLargeError } from './limits.js';
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
  /** Give up a download after this many milliseconds (default `DEFAULT_TIMEOUT_MS`, 30 s). */
  timeoutMs?: number;
  /** Refuse a word list larger than this many bytes (default `DEFAULT_MAX_BYTES`, 256 MiB). */
  maxBytes?: number;
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
 * HTML page instead of text, not UTF-8, no words, no answer within `timeoutMs`, more than
 * `maxBytes`) are `DataError`s of one line.
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
  const timeoutMs = checkLimit(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs', 'fetchWords');
  const maxBytes = checkLimit(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes', 'fetchWords');
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

  const bytes = await download(url, options.fetch ?? globalThis.fetch, timeoutMs, maxBytes);
  const list = parseWords(decodeUtf8(bytes, url), { source: url, lowercase, dedupe });
  checkNotEmpty(list, bytes.length);
  const note = writeCache(cachePath, bytes);
  list.summary = summarize(list.words.length, url, list.dropped, dedupe, note);
  return list;
}

/** Throws unless `url` is an absolute http: or https: URL. */
export function checkHttpUrl(url: string): void {
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

/** Downloads `url` within `timeoutMs` and `maxBytes` (shared with `readText`). */
export async function download(
  url: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
  maxBytes: number,
): Promise<Uint8Array> {
  // One deadline for the whole download: connecting, the headers, and every chunk of the body.
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === Infinity
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
  const timeoutError = (error?: unknown) =>
    new DataError(
      `could not download ${url}: no complete answer within ${formatSeconds(timeoutMs)} — check the address and your connection, download the file yourself and pass its path, or raise the limit with { timeoutMs } (the CLI: --timeout)`,
      { cause: error },
    );
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: controller.signal });
    } catch (error) {
      if (timedOut) throw timeoutError(error);
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
    const announced = Number(response.headers.get('content-length') ?? Number.NaN);
    if (announced > maxBytes) throw new InputTooLargeError(url, announced, maxBytes, true);
    try {
      return await readBody(response, url, maxBytes, controller.signal);
    } catch (error) {
      if (timedOut) throw timeoutError(error);
      if (error instanceof DataError) throw error;
      throw new DataError(
        `could not download ${url}: the connection broke during the download (${(error as Error).message}) — try again, or pass a local file`,
        { cause: error },
      );
    }
  } finally {
    clearTimeout(timer);
    if (!controller.signal.aborted) controller.abort(); // release a body left unread
  }
}

/** The body's bytes, stopping (and refusing) past `maxBytes`. */
async function readBody(
  response: Response,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  // fetch ties its body to the signal; a stand-in fetch may not, so each read also races it.
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => {});
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), aborted]);
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new InputTooLargeError(url, total, maxBytes, false);
    }
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The cached text, or null when there is no usable cache entry. */
/** The cached file's text, or null when missing or damaged (shared with `readText`). */
export function readCache(path: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return null; // missing or damaged: download again
  }
}

/** Writes the cache atomically; returns the summary's note. */
export function writeCache(path: string, bytes: Uint8Array): string {
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
