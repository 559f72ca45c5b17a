/**
 * The examples of a language-model run (`prepareRun` builds them with these): contexts of the
 * family's block size from the lecture's split, one sequence per word (makemore.py's
 * `CharDataset`), or the windows of a text split 90/10 (the GPT lecture).
 */
import { buildContexts, type CharTokenizer, splitText, type WordSplit } from '@llm-playground/data';
import { ConfigError } from './errors.js';
import type { FamilyInfo } from './families/family.js';
import type { ModelConfig } from './model.js';
import { IGNORE_INDEX, type TrainData } from './tasks/minibatch-sampler.js';

/**
 * The examples a family trains and evaluates on: contexts of its block size from the training
 * split (or from every word, for `allWords` — the bigram lecture's 228,146 bigrams), and from the
 * dev and test splits; or, for a family that trains on `sequences`, one per word (`wordSequences`).
 *
 * @example
 * ```ts
 * const words = bundledNames().words;
 * const tokenizer = CharTokenizer.fromWords(words);
 * const config = familyConfig('bigram-net', { allWords: true }, { vocabSize: tokenizer.vocabSize });
 * const data = trainingData(getFamily('bigram-net'), config, splitWords(words), tokenizer);
 * data.train.length === words.length + words.reduce((n, w) => n + w.length, 0); // true
 * ```
 */
export function trainingData(
  family: FamilyInfo,
  config: ModelConfig,
  split: WordSplit,
  tokenizer: CharTokenizer,
): { train: TrainData; dev: TrainData; test: TrainData } {
  const { blockSize, split: which, examples } = family.trainsOn(config);
  if (examples === 'text') {
    throw new ConfigError(`${family.name} trains on a text, not on words: give prepareRun a text`);
  }
  const build = (words: readonly string[]) =>
    examples === 'sequences'
      ? wordSequences(words, tokenizer, blockSize)
      : buildContexts(words, tokenizer, blockSize);
  const trainWords = which === 'all' ? [...split.train, ...split.dev, ...split.test] : split.train;
  return { train: build(trainWords), dev: build(split.dev), test: build(split.test) };
}

/**
 * makemore.py's `CharDataset`: one example per word, x = [0, w…] and y = [w…, 0], x padded with 0
 * and y with −1 (no target) to `blockSize`, which must be at least the longest word + 1.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma', 'ava']);
 * const data = wordSequences(['ava'], tokenizer, 5);
 * Array.from(data.X); // [0, 1, 4, 1, 0]
 * Array.from(data.Y); // [1, 4, 1, 0, -1]
 * wordSequences(['emma'], tokenizer, 4); // throws ConfigError
 * ```
 */
export function wordSequences(
  words: readonly string[],
  tokenizer: CharTokenizer,
  blockSize: number,
): TrainData {
  const T = blockSize;
  const X = new Int32Array(words.length * T);
  const Y = new Int32Array(words.length * T).fill(IGNORE_INDEX);
  words.forEach((word, i) => {
    const ids = tokenizer.encode(word);
    if (ids.length + 1 > T) {
      throw new ConfigError(
        `the word '${word}' has ${ids.length} characters: blockSize (--block-size) must be at least ${ids.length + 1} (the longest word + 1), got ${T}`,
      );
    }
    X.set(ids, i * T + 1);
    Y.set(ids, i * T);
    Y[i * T + ids.length] = 0;
  });
  return { X, Y, length: words.length, blockSize: T, layout: 'sequences' };
}

/**
 * The GPT lecture's data: the text encoded (`tokenizer.encodeText`; data's
 * `CharTokenizer.fromText(text)` gives the lecture's ids), the first 90% for training and the rest
 * for validation (`dev`, data's `splitText`), each as windows of `blockSize` characters with the next characters as
 * targets. `test` is empty (the lecture has no test split). Throws a `ConfigError` when a part is
 * not longer than `blockSize`.
 *
 * @example
 * ```ts
 * const text = 'abcdefghij'.repeat(10);
 * const windows = textData(text, CharTokenizer.fromText(text), 4);
 * [windows.train.length, windows.dev.length]; // [86, 6]
 * ```
 */
export function textData(
  text: string,
  tokenizer: { encodeText(text: string): Int32Array },
  blockSize: number,
): { train: TrainData; dev: TrainData; test: TrainData } {
  const tokens = tokenizer.encodeText(text);
  const { train, val } = splitText(tokens, 0.9);
  const windows = (part: Int32Array, name: string): TrainData => {
    if (part.length <= blockSize) {
      throw new ConfigError(
        `blockSize (--block-size) ${blockSize} is too large for the text: its ${name} part has ${part.length} characters (of ${tokens.length}, split 90/10), and a window needs blockSize + 1; use a block size below ${part.length} or a longer text`,
      );
    }
    return { X: part, Y: part, length: part.length - blockSize, blockSize, layout: 'windows' };
  };
  const empty: TrainData = {
    X: new Int32Array(0),
    Y: new Int32Array(0),
    length: 0,
    blockSize,
    layout: 'sequences',
  };
  return {
    train: windows(train, 'training'),
    dev: windows(val, 'validation'),
    test: empty,
  };
}
