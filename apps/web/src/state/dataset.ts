/**
 * The word list every makemore page uses: the bundled English first names by default, or the
 * learner's own list ("Your data"), kept in localStorage so it survives reloads. Pages read
 * `dataset.value`; only the "Your data" page writes it.
 *
 * A custom list is checked here, once, so that every page can rely on it: at least one word, no
 * `.` (the models' start/end-of-word token), a vocabulary small enough for a V×V bigram table, and
 * a size the in-browser trainers can hold.
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

/** The current word list. */
export const dataset = signal<Dataset>(loadStoredDataset() ?? bundledDataset());

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
  const storage = options.storage ?? defaultStorage();
  let remembered = false;
  try {
    if (storage) {
      storage.setItem(STORAGE_KEY, list.words.join('\n'));
      storage.setItem(STORAGE_NAME_KEY, name);
      remembered = true;
    }
  } catch {
    // Quota exceeded: use the list for this visit and say so; never keep half a list around.
    storage?.removeItem(STORAGE_KEY);
    storage?.removeItem(STORAGE_NAME_KEY);
  }
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
