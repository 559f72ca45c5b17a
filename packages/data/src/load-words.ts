import { fileURLToPath } from 'node:url';
import { bundledNames } from './bundled-names.js';
import { DataError } from './errors.js';
import { type FetchWordsOptions, fetchWords } from './fetch-words.js';
import { readWords } from './read-words.js';
import type { WordList } from './words.js';

export type LoadWordsOptions = FetchWordsOptions;

/**
 * The one entry point for "give it a file with one thing per line": `undefined` gives the bundled
 * names (`bundledNames()`, already lower-cased and de-duplicated, so `lowercase`/`dedupe` are not
 * needed), an `http://` or `https://` URL goes to `fetchWords` (cached), a `file://` URL or
 * anything else is a path for `readWords`. Other URL schemes are rejected with a `DataError`.
 * `maxBytes` (default 256 MiB) limits files and downloads alike; `timeoutMs` (default 30 s) limits
 * downloads.
 *
 * @example
 * ```ts
 * // In an async function: const names = await loadWords(process.argv[2]);
 * loadWords(undefined).then((names) => console.log(names.summary));
 * // 8,422 bundled English first names (4,951 female + 3,898 male, lower-cased; dropped 427 duplicates)
 * ```
 */
export async function loadWords(
  pathOrUrl: string | undefined,
  options: LoadWordsOptions = {},
): Promise<WordList> {
  if (pathOrUrl === undefined) return bundledNames();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(pathOrUrl)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return fetchWords(pathOrUrl, options);
  const { lowercase, dedupe, maxBytes } = options;
  if (scheme === 'file')
    return readWords(fileURLToPath(pathOrUrl), { lowercase, dedupe, maxBytes });
  if (scheme !== undefined) {
    throw new DataError(
      `unsupported address ${pathOrUrl}: only http://, https:// and file:// URLs can be loaded — or pass a local file path`,
    );
  }
  return readWords(pathOrUrl, { lowercase, dedupe, maxBytes });
}
