/**
 * Everything in `@llm-playground/data` that runs anywhere (Node, browsers, workers): no file
 * system or network. `index.ts` adds the Node readers; `browser.ts` adds stubs for them.
 */
export * from './batch-sampler.js';
export { type BigramDataset, buildBigrams } from './bigram-dataset.js';
export { BUNDLED_BOOK_SOURCE, bundledBook } from './bundled-book.js';
export { BUNDLED_NAMES_SOURCE, bundledNames } from './bundled-names.js';
export {
  CharTokenizer,
  type CharTokenizerJSON,
  type CharTokenizerOptions,
} from './char-tokenizer.js';
export * from './context-dataset.js';
export * from './errors.js';
export * from './limits.js';
export * from './moons.js';
export * from './numpy-random.js';
export * from './python-random.js';
export * from './sample-batch.js';
export * from './split-words.js';
export { splitText, type TextSource } from './text.js';
export { type ParseWordsOptions, parseWords, type WordList, type WordOptions } from './words.js';
