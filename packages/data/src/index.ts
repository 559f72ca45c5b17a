export * from './batch-sampler.js';
export { type BigramDataset, buildBigrams } from './bigram-dataset.js';
export { bundledNames } from './bundled-names.js';
export {
  CharTokenizer,
  type CharTokenizerJSON,
  type CharTokenizerOptions,
} from './char-tokenizer.js';
export * from './context-dataset.js';
export * from './errors.js';
export { type FetchWordsOptions, fetchWords } from './fetch-words.js';
export { type LoadWordsOptions, loadWords } from './load-words.js';
export * from './moons.js';
export * from './python-random.js';
export * from './sample-batch.js';
export * from './split-words.js';
export {
  type ParseWordsOptions,
  parseWords,
  readWords,
  type WordList,
  type WordOptions,
} from './words.js';
