import { readFileSync } from 'node:fs';
import { DataError } from './errors.js';
import {
  checkNotEmpty,
  decodeUtf8,
  ONE_PER_LINE,
  parseWords,
  type WordList,
  type WordOptions,
} from './words.js';

/**
 * Reads a UTF-8 text file with one word per line (see `parseWords` for the cleaning). Throws a
 * `DataError` with a one-line explanation for a missing file, a directory, a file that is not
 * UTF-8, or a file with no words.
 *
 * @example
 * ```ts
 * readWords('no-such-file.txt'); // throws DataError
 * ```
 */
export function readWords(path: string, options: WordOptions = {}): WordList {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(
      `Argument 'path' passed to 'readWords' must be a non-empty string, got ${JSON.stringify(path)}`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fileError(path, error);
  }
  const list = parseWords(decodeUtf8(bytes, path), { ...options, source: path });
  checkNotEmpty(list, bytes.length);
  return list;
}

/** Turns a file-system error into a one-line `DataError`. */
function fileError(path: string, error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = { cause: error };
  if (code === 'ENOENT') return new DataError(`no such file: ${path} — ${ONE_PER_LINE}`, cause);
  if (code === 'EISDIR') {
    return new DataError(`${path} is a directory, not a file — ${ONE_PER_LINE}`, cause);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DataError(
      `permission denied reading ${path} — make the file readable or copy it somewhere you can read`,
      cause,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DataError(`cannot read ${path}: ${reason} — ${ONE_PER_LINE}`, cause);
}
