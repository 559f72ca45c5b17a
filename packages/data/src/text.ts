/**
 * Running text for the "let's build GPT" models: what a text is (`TextSource`), how bytes become
 * one (refusing binary and empty input), and the lecture's 90/10 split by position.
 */
import { DataError } from './errors.js';
import { formatCount } from './format.js';

/** A text to train on: the bundled book, a file or a download. */
export interface TextSource {
  /** The characters (UTF-8 decoded, a leading byte-order mark removed). */
  text: string;
  /** Where it came from: a path, a URL, or the bundled book's description. */
  source: string;
  /** A human title: the book's, or the file's name. */
  title: string;
  /** One human line: `read 1,190,317 characters from moby.txt`. */
  summary: string;
}

/**
 * Decodes a text file's bytes. Throws a one-line `DataError` for an empty file, a binary file (a
 * NUL byte, or more than 1% of the decoded characters invalid), UTF-16, or a text file with a few
 * bytes that are not UTF-8 (naming the line). Internal to the package (`readText` uses it).
 */
export function decodeText(bytes: Uint8Array, source: string): string {
  const what = 'pass a UTF-8 text file (a book, a play: any plain text)';
  if (bytes.length === 0) throw new DataError(`${source} is empty — ${what}`);
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new DataError(`${source} is UTF-16 text, not UTF-8 — save it as UTF-8 and try again`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DataError(
      `${source} looks like a binary file, not text (a NUL byte at offset ${nul}) — ${what}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    let bad = 0;
    for (let i = 0; i < lenient.length; i++) if (lenient.charCodeAt(i) === 0xfffd) bad++;
    if (bad > lenient.length / 100) {
      throw new DataError(
        `${source} looks like a binary file, not text (${formatCount(bad)} of ${formatCount(lenient.length)} characters are not UTF-8) — ${what}`,
      );
    }
    const at = lenient.indexOf('\uFFFD');
    const line = lenient.slice(0, at).split('\n').length;
    throw new DataError(
      `${source} is not UTF-8 text (invalid bytes on line ${line}) — save it as UTF-8 and try again`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError(`${source} holds only white space — ${what}`);
  return text;
}

/**
 * The lecture's split by position: `n = int(fraction * len(data))`, `train = data[:n]`,
 * `val = data[n:]` — no shuffling, so the validation text is the end of the book. Takes the
 * encoded ids (`Int32Array`, split as views, no copy) or the text itself (split by code point, so
 * the sizes agree with the ids'). Throws a `RangeError` for a fraction outside (0, 1).
 *
 * @example
 * ```ts
 * const { train, val } = splitText(new Int32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.9);
 * [train.length, val.length]; // [9, 1]
 * splitText('héllo', 0.6); // { train: 'hél', val: 'lo' }
 * ```
 */
export function splitText<T extends Int32Array | string>(
  data: T,
  fraction = 0.9,
): { train: T; val: T } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(
      `Argument 'fraction' passed to 'splitText' must be a number between 0 and 1 (exclusive), got ${fraction}`,
    );
  }
  if (typeof data === 'string') {
    const chars = Array.from(data);
    const n = Math.floor(fraction * chars.length);
    return { train: chars.slice(0, n).join('') as T, val: chars.slice(n).join('') as T };
  }
  if (!(data instanceof Int32Array)) {
    throw new TypeError(
      `Argument 'data' passed to 'splitText' must be an Int32Array of token ids or a string, got ${typeof data}`,
    );
  }
  const n = Math.floor(fraction * data.length);
  return { train: data.subarray(0, n) as T, val: data.subarray(n) as T };
}
