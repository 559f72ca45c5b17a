import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError } from './errors.js';
import { checkLimit, DEFAULT_MAX_BYTES, InputTooLargeError } from './limits.js';
import {
  checkNotEmpty,
  decodeUtf8,
  ONE_PER_LINE,
  parseWords,
  type WordList,
  type WordOptions,
} from './words.js';

/** Options of `readWords`: the cleaning, and the size limit. */
export interface ReadWordsOptions extends WordOptions {
  /** Refuse input larger than this many bytes (default `DEFAULT_MAX_BYTES`, 256 MiB). */
  maxBytes?: number;
}

/**
 * Reads a UTF-8 text file with one word per line (see `parseWords` for the cleaning). Throws a
 * `DataError` with a one-line explanation for a missing file, a directory, a file that is not
 * UTF-8, or a file with no words; an `InputTooLargeError` (a `DataError`) for input above
 * `maxBytes` — checked before reading for a regular file, and while reading for a device or pipe,
 * so `/dev/zero` stops at the limit instead of filling the memory.
 *
 * @example
 * ```ts
 * readWords('no-such-file.txt'); // throws DataError
 * ```
 */
export function readWords(path: string, options: ReadWordsOptions = {}): WordList {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `Argument 'path' passed to 'readWords' must be a non-empty string, got ${JSON.stringify(path)}`,
    );
  }
  const maxBytes = checkLimit(options.maxBytes ?? DEFAULT_MAX_BYTES, 'maxBytes', 'readWords');
  let bytes: Uint8Array;
  try {
    bytes = readLimited(path, maxBytes);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw fileError(path, error);
  }
  const list = parseWords(decodeUtf8(bytes, path), { ...options, source: path });
  checkNotEmpty(list, bytes.length);
  return list;
}

/** Reads at most `maxBytes` of `path`; throws `InputTooLargeError` beyond (shared with `readText`). */
export function readLimited(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), {
        code: 'EISDIR',
      });
    }
    if (stat.isFile() && stat.size > maxBytes) {
      throw new InputTooLargeError(path, stat.size, maxBytes, true);
    }
    // Devices and pipes report size 0: read in chunks and stop one byte past the limit.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const chunkSize = stat.isFile() ? Math.max(1, Math.min(stat.size + 1, 1 << 24)) : 1 << 20;
    for (;;) {
      const chunk = new Uint8Array(Math.min(chunkSize, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new InputTooLargeError(path, total - 1, maxBytes, false);
    }
    if (chunks.length === 1) return chunks[0];
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Turns a file-system error into a one-line `DataError`; `hint` says what to pass instead. */
export function fileError(path: string, error: unknown, hint = ONE_PER_LINE): DataError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = { cause: error };
  if (code === 'ENOENT') return new DataError(`no such file: ${path} — ${hint}`, cause);
  if (code === 'EISDIR') {
    return new DataError(`${path} is a directory, not a file — ${hint}`, cause);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DataError(
      `permission denied reading ${path} — make the file readable or copy it somewhere you can read`,
      cause,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DataError(`cannot read ${path}: ${reason} — ${hint}`, cause);
}
