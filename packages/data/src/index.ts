export { type FetchWordsOptions, fetchWords } from './fetch-words.js';
export { type LoadWordsOptions, loadWords } from './load-words.js';
export * from './portable.js';
export { loadText, type ReadTextOptions, readText } from './read-text.js';
export { type ReadWordsOptions, readWords } from './read-words.js';
export * from './sequence-dataset.js';
