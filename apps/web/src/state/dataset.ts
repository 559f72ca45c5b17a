/**
 * The word list every makemore page uses: the bundled English first names by default, or the
 * learner's own list ("Your data"), kept in localStorage so it survives reloads. Pages read
 * `dataset.value`; only the "Your data" page writes it.
 *
 * A custom list is checked here, once, so that every page can rely on it: at least one word, no
 * `.` (the models' start/end-of-word token), a vocabulary small enough for a V×V bigram table, and
 * a size the in-browser trainers can hold.
 *
 * A small list (≤ `MAX_LINK_CHARS` characters) can also travel in a link, `#/data?words=…`
 * (`wordsLink`); opening such a link loads it as the learner's list (`datasetFromLink`).
 */

import { bundledNames, parseWords } from '@llm-playground/data';
import { signal } from '@preact/signals';

export interface Dataset {
  /** 'bundled' or 'custom'. */
  kind: 'bundled' | 'custom';
  /** A short name for the UI ("bundled English first names", a file name, "your list"). */
  name: string;
  words: string[];
  /** parseWords' one-line summary, e.g. "read 8,422 words from … (dropped 0 empty lines)". */
  summary: string;
  /** Whether the list is saved in localStorage (a custom list too big for it lasts this visit). */
  remembered: boolean;
}

/** The boundary token of every makemore model: marks the start and the end of a word. */
export const BOUNDARY = '.';
/** At most this many distinct characters (the bigram table is (V+1)², the names need 26). */
export const MAX_VOCABULARY = 128;
/** At most this many words (names.txt has 32,033): keeps the trainers' datasets in memory. */
export const MAX_WORDS = 300_000;

const STORAGE_KEY = 'llm-playground:words';
const STORAGE_NAME_KEY = 'llm-playground:words-name';

/** The part of the Web Storage API used here (a Map-backed fake in tests). */
export type WordStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function defaultStorage(): WordStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // storage disabled (privacy mode): work for this visit only
  }
}

let bundledCache: Dataset | null = null;

/** The bundled names as a dataset (parsed once). */
export function bundledDataset(): Dataset {
  if (!bundledCache) {
    const list = bundledNames();
    bundledCache = {
      kind: 'bundled',
      name: 'bundled English first names',
      words: list.words,
      summary: list.summary,
      remembered: true,
    };
  }
  return bundledCache;
}

/**
 * Checks a word list for the makemore pages; throws an `Error` whose message says what is wrong,
 * where, and what to do.
 *
 * @example
 * ```ts
 * checkWords(['emma', 'olivia']); // ok
 * checkWords(['dr.no']); // throws: word 1 ('dr.no') contains '.', …
 * ```
 */
export function checkWords(words: readonly string[]): void {
  if (words.length === 0) {
    throw new Error('The list has no words: put one word per line.');
  }
  if (words.length > MAX_WORDS) {
    throw new Error(
      `The list has ${words.length.toLocaleString('en-US')} words; the browser pages take at most ${MAX_WORDS.toLocaleString('en-US')}. Use a shorter list.`,
    );
  }
  const chars = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.includes(BOUNDARY)) {
      throw new Error(
        `Word ${i + 1} ('${word}') contains '${BOUNDARY}', which the models use to mark where a word starts and ends. Remove or replace it.`,
      );
    }
    for (const char of word) chars.add(char);
  }
  if (chars.size > MAX_VOCABULARY) {
    throw new Error(
      `The list uses ${chars.size} different characters; the pages take at most ${MAX_VOCABULARY} (the names use 26). Try lowercasing, or a list in one alphabet.`,
    );
  }
}

/** The learner's list saved by `useCustomWords`, or null (none, unreadable, or no longer valid). */
export function loadStoredDataset(storage = defaultStorage()): Dataset | null {
  try {
    const text = storage?.getItem(STORAGE_KEY);
    if (!text) return null;
    const name = storage?.getItem(STORAGE_NAME_KEY) || 'your list';
    const list = parseWords(text, { source: name });
    checkWords(list.words);
    return { kind: 'custom', name, words: list.words, summary: list.summary, remembered: true };
  } catch {
    return null;
  }
}

/** A custom list whose words (joined by newlines) are at most this long can travel in a link. */
export const MAX_LINK_CHARS = 2000;
/** The hash-query parameter that carries a word list: `#/data?words=emma%0Aolivia`. */
export const WORDS_PARAM = 'words';

/**
 * The value of the `words=` link parameter for a list: the words joined by newlines, plain text
 * (`URLSearchParams` URL-encodes it). Throws if the list is too long for a link (export it instead).
 *
 * @example
 * ```ts
 * encodeWordsParam(['emma', 'olivia']); // 'emma\nolivia'
 * ```
 */
export function encodeWordsParam(words: readonly string[]): string {
  checkWords(words);
  const text = words.join('\n');
  if (text.length > MAX_LINK_CHARS) {
    throw new Error(
      `The list has ${text.length.toLocaleString('en-US')} characters; a link carries at most ${MAX_LINK_CHARS.toLocaleString('en-US')}. Download it as a file and share that instead.`,
    );
  }
  return text;
}

/**
 * Reads the `words=` link parameter (already URL-decoded) back into a list; throws an `Error`
 * saying what is wrong if the parameter is empty, too long or not a usable list.
 *
 * @example
 * ```ts
 * decodeWordsParam('emma\nolivia'); // ['emma', 'olivia']
 * ```
 */
export function decodeWordsParam(raw: string): string[] {
  if (raw.length > MAX_LINK_CHARS) {
    throw new Error(
      `The word list in this link has ${raw.length.toLocaleString('en-US')} characters; a link may carry at most ${MAX_LINK_CHARS.toLocaleString('en-US')}. Ask for the list as a file and upload it on the "Your data" page.`,
    );
  }
  const words = parseWords(raw, { source: 'the link' }).words;
  try {
    checkWords(words);
  } catch (caught) {
    throw new Error(
      `The word list in this link cannot be used: ${(caught as Error).message} The bundled names are used instead.`,
    );
  }
  return words;
}

/**
 * A link to the "Your data" page that carries the list: `base` (the app's address, without its
 * hash) + `#/data?words=…`. Throws like `encodeWordsParam` if the list is too long.
 */
export function wordsLink(base: string, words: readonly string[]): string {
  const params = new URLSearchParams({ [WORDS_PARAM]: encodeWordsParam(words) });
  return `${base.replace(/#.*$/, '')}#/data?${params}`;
}

/** What opening a link did to the word list: a notice to show, or an error (then nothing changed). */
export interface LinkedWords {
  dataset: Dataset | null;
  notice: string | null;
  error: string | null;
}

/**
 * Loads the list carried by a link's hash (`#/page?words=…`) as the learner's data and saves it
 * like an uploaded list. Without a `words=` parameter it returns nulls and changes nothing.
 */
export function datasetFromLink(hash: string, storage = defaultStorage()): LinkedWords {
  const q = hash.indexOf('?');
  const raw = q === -1 ? null : new URLSearchParams(hash.slice(q + 1)).get(WORDS_PARAM);
  if (raw === null) return { dataset: null, notice: null, error: null };
  try {
    const words = decodeWordsParam(raw);
    const name = 'the list in this link';
    const remembered = saveWords(storage, words, name);
    const list = parseWords(words.join('\n'), { source: name });
    return {
      dataset: { kind: 'custom', name, words, summary: list.summary, remembered },
      notice: `This link carries its own word list (${words.length.toLocaleString('en-US')} words): the makemore pages use it instead of the bundled names.`,
      error: null,
    };
  } catch (caught) {
    return { dataset: null, notice: null, error: (caught as Error).message };
  }
}

const opened = datasetFromLink(typeof location === 'undefined' ? '' : location.hash);

/** The notice (or error) about a word list carried by the link this visit started from. */
export const linkedWordsNotice = signal<{ notice: string | null; error: string | null }>({
  notice: opened.notice,
  error: opened.error,
});

/** The current word list. */
export const dataset = signal<Dataset>(opened.dataset ?? loadStoredDataset() ?? bundledDataset());

function saveWords(storage: WordStorage | undefined, words: readonly string[], name: string) {
  try {
    if (storage) {
      storage.setItem(STORAGE_KEY, words.join('\n'));
      storage.setItem(STORAGE_NAME_KEY, name);
      return true;
    }
  } catch {
    // Quota exceeded: use the list for this visit and say so; never keep half a list around.
    storage?.removeItem(STORAGE_KEY);
    storage?.removeItem(STORAGE_NAME_KEY);
  }
  return false;
}

export interface CustomWordsOptions {
  /** Lowercase every word (names.txt is lowercase; a list of capitalised names doubles its vocabulary). */
  lowercase?: boolean;
  /** Keep only the first occurrence of each word. */
  dedupe?: boolean;
  /** A name for the UI (the uploaded file's name); "your list" by default. */
  name?: string;
  storage?: WordStorage;
}

/**
 * Uses the learner's text (one word per line) on every makemore page and saves it in localStorage.
 * Throws (and changes nothing) if the list is empty or unusable; see `checkWords`.
 *
 * @example
 * ```ts
 * useCustomWords('Emma\nOlivia\n', { lowercase: true }).words; // ['emma', 'olivia']
 * ```
 */
export function useCustomWords(text: string, options: CustomWordsOptions = {}): Dataset {
  const name = options.name?.trim() || 'your list';
  const list = parseWords(text, {
    source: name,
    lowercase: options.lowercase ?? false,
    dedupe: options.dedupe ?? false,
  });
  checkWords(list.words);
  const remembered = saveWords(options.storage ?? defaultStorage(), list.words, name);
  dataset.value = { kind: 'custom', name, words: list.words, summary: list.summary, remembered };
  return dataset.value;
}

/** Back to the bundled names (and forget the saved list). */
export function resetDataset(storage = defaultStorage()): void {
  try {
    storage?.removeItem(STORAGE_KEY);
    storage?.removeItem(STORAGE_NAME_KEY);
  } catch {
    // nothing saved that we could remove
  }
  dataset.value = bundledDataset();
}

export interface WordStats {
  words: number;
  /** The distinct characters, sorted by code point (the models' vocabulary, without `.`). */
  characters: string[];
  shortest: number;
  longest: number;
  meanLength: number;
  /** A few words spread evenly over the list (deterministic: no sampling). */
  examples: string[];
}

/**
 * What the "Your data" page shows about a list. Lengths count characters (code points).
 *
 * @example
 * ```ts
 * describeWords(['emma', 'ava', 'olivia'], { examples: 2 });
 * // { words: 3, characters: ['a','e','i','l','m','o','v'], shortest: 3, longest: 6, meanLength: 4.333…, examples: ['emma', 'ava'] }
 * ```
 */
export function describeWords(
  words: readonly string[],
  options: { examples?: number } = {},
): WordStats {
  const chars = new Set<string>();
  let shortest = words.length ? Number.POSITIVE_INFINITY : 0;
  let longest = 0;
  let total = 0;
  for (const word of words) {
    let length = 0;
    for (const char of word) {
      chars.add(char);
      length++;
    }
    shortest = Math.min(shortest, length);
    longest = Math.max(longest, length);
    total += length;
  }
  const count = Math.min(options.examples ?? 8, words.length);
  const examples: string[] = [];
  for (let k = 0; k < count; k++) examples.push(words[Math.floor((k * words.length) / count)]);
  return {
    words: words.length,
    characters: [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!),
    shortest,
    longest,
    meanLength: words.length ? total / words.length : 0,
    examples,
  };
}
