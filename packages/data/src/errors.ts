/**
 * Named errors of `@llm-playground/data`. Problems with the data itself (a missing or unreadable
 * file, a failed download, a character outside the vocabulary, a malformed tokenizer file) throw
 * `DataError` with one line that says what was wrong and what to do about it. Bad arguments keep
 * the built-in `TypeError`/`RangeError`, worded "Argument 'x' passed to 'op' must be …".
 */

/**
 * The data cannot be used as given; the message says why and what to do.
 *
 * @example
 * ```ts
 * let caught: unknown;
 * try {
 *   CharTokenizer.fromWords(['a.b']);
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof DataError; // true
 * (caught as DataError).name; // 'DataError'
 * ```
 */
export class DataError extends Error {
  override readonly name = 'DataError';
}
