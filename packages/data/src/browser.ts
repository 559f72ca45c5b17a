/**
 * The browser build of `@llm-playground/data` (picked by bundlers through the `browser` export
 * condition): the same exports, but the readers that need Node's file system explain themselves
 * instead of pulling `node:fs` into a page.
 */

import { bundledBook } from './bundled-book.js';
import { DataError } from './errors.js';
import type { FetchWordsOptions } from './fetch-words.js';
import type { LoadWordsOptions } from './load-words.js';
import type { ReadTextOptions } from './read-text.js';
import type { TextSource } from './text.js';
import type { WordList, WordOptions } from './words.js';

export * from './portable.js';
export type { ReadWordsOptions } from './read-words.js';
export * from './sequence-dataset.js';
export type { FetchWordsOptions, LoadWordsOptions, ReadTextOptions };

function nodeOnly(name: string): never {
  throw new DataError(
    `${name} needs Node.js (files, cache); in a browser, read the text yourself and pass it to parseWords(text)`,
  );
}

export function readWords(_path: string, _options?: WordOptions): WordList {
  return nodeOnly('readWords');
}

export function fetchWords(_url: string, _options?: FetchWordsOptions): Promise<WordList> {
  return Promise.reject(nodeOnly('fetchWords'));
}

export function loadWords(
  _pathOrUrl: string | undefined,
  _options?: LoadWordsOptions,
): Promise<WordList> {
  return Promise.reject(nodeOnly('loadWords'));
}

export function readText(_pathOrUrl: string, _options?: ReadTextOptions): Promise<TextSource> {
  return Promise.reject(
    new DataError(
      'readText needs Node.js (files, cache); in a browser, read the file yourself (File.text()) and use the string',
    ),
  );
}

/** In a browser: `undefined` gives the bundled book; a path or URL cannot be read here. */
export function loadText(
  pathOrUrl: string | undefined,
  options?: ReadTextOptions,
): Promise<TextSource> {
  return pathOrUrl === undefined ? bundledBook() : readText(pathOrUrl, options);
}
