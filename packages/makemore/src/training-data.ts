/**
 * The examples of a language-model run: contexts of the family's block size from the lecture's
 * split (`prepareRun` builds them with this).
 */
import type { CharTokenizer, WordSplit } from '@llm-playground/data';
import { buildContexts } from '@llm-playground/data';
import type { FamilyInfo } from './families/family.js';
import type { ModelConfig } from './model.js';
import type { TrainData } from './tasks/minibatch-sampler.js';

/**
 * The examples a family trains and evaluates on: contexts of its block size from the training
 * split (or from every word, for `allWords` — the bigram lecture's 228,146 bigrams), and from the
 * dev and test splits.
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
  const { blockSize, split: which } = family.trainsOn(config);
  const trainWords = which === 'all' ? [...split.train, ...split.dev, ...split.test] : split.train;
  return {
    train: buildContexts(trainWords, tokenizer, blockSize),
    dev: buildContexts(split.dev, tokenizer, blockSize),
    test: buildContexts(split.test, tokenizer, blockSize),
  };
}
