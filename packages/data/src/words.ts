import { DataError } from './errors.js';
import { plural } from './format.js';

/** A cleaned list of words (one item per line of the input) and an account of what was removed. */
export interface WordList {
  /** The cleaned items, in file order. */
  words: string[];
  /** Where they came from: a file path, a URL, or the bundled names' description. */
  source: string;
  /** Lines removed, and why (duplicates are only counted when de-duplicating). */
  dropped: { empty: number; duplicates: number };
  /** One human line, e.g. `read 32,033 words from names.txt (dropped 0 empty lines)`. */
  summary: string;
}

/** How lines become words. */
export interface WordOptions {
  /** Lower-case every word (`String.prototype.toLowerCase`, locale-independent); default false. */
  lowercase?: boolean;
  /** Keep only the first occurrence of each word (after lower-casing); default false. */
  dedupe?: boolean;
}

export interface ParseWordsOptions extends WordOptions {
  /** Where the text came from, for `source` and `summary`; default `'text'`. */
  source?: string;
}

/**
 * Splits text into words, one per line: strips a leading byte-order mark, accepts `\n`, `\r\n`
 * and `\r` line ends, trims each line, drops empty lines (a final line end does not count as an
 * empty line), optionally lower-cases and de-duplicates. Pure: never throws for empty text.
 *
 * @example
 * ```ts
 * const list = parseWords('\uFEFFEmma\r\n\r\n  olivia \nemma\n', { lowercase: true, dedupe: true });
 * list.words; // ['emma', 'olivia']
 * list.dropped; // { empty: 1, duplicates: 1 }
 * console.log(list.summary); // read 2 words from text (dropped 1 empty line, 1 duplicate)
 * ```
 */
export function parseWords(text: string, options: ParseWordsOptions = {}): WordList {
  if (typeof text !== 'string') {
    throw new TypeError(
      `Argument 'text' passed to 'parseWords' must be a string, got ${typeof text}`,
    );
  }
  const { source = 'text', lowercase = false, dedupe = false } = options;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop(); // the final line end, or the empty text
  const words: string[] = [];
  const seen = dedupe ? new Set<string>() : null;
  let empty = 0;
  let duplicates = 0;
  for (const line of lines) {
    let word = line.trim();
    if (word === '') {
      empty++;
      continue;
    }
    if (lowercase) word = word.toLowerCase();
    if (seen) {
      if (seen.has(word)) {
        duplicates++;
        continue;
      }
      seen.add(word);
    }
    words.push(word);
  }
  const dropped = { empty, duplicates };
  return { words, source, dropped, summary: summarize(words.length, source, dropped, dedupe) };
}

// ---- shared with fetchWords (internal) ----

export const ONE_PER_LINE = 'pass a text file with one word per line';

/** The one-line summary of a `WordList`. */
export function summarize(
  count: number,
  source: string,
  dropped: { empty: number; duplicates: number },
  dedupe: boolean,
  note?: string,
): string {
  const removed = plural(dropped.empty, 'empty line');
  const duplicates = dedupe ? `, ${plural(dropped.duplicates, 'duplicate')}` : '';
  const extra = note ? `; ${note}` : '';
  return `read ${plural(count, 'word')} from ${source} (dropped ${removed}${duplicates}${extra})`;
}

/** Strict UTF-8 decoding with a message that says where the file stops being UTF-8. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new DataError(
      `${source} is UTF-16 text, not UTF-8 — save it as UTF-8 (one word per line) and try again`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Locate the first bad byte through the lenient decoding's first replacement character.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const at = lenient.indexOf('\uFFFD');
    const line = lenient.slice(0, Math.max(at, 0)).split('\n').length;
    throw new DataError(
      `${source} is not UTF-8 text (invalid bytes on line ${line}) — save it as UTF-8 with one word per line`,
    );
  }
}

/** Throws when cleaning left nothing: a model cannot learn from zero words. */
export function checkNotEmpty(list: WordList, byteLength: number): void {
  if (list.words.length > 0) return;
  const why =
    byteLength === 0 ? 'the file is empty' : `all ${plural(list.dropped.empty, 'line')} are blank`;
  throw new DataError(`${list.source} has no words (${why}) — ${ONE_PER_LINE}`);
}
