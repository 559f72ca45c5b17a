import type { Generator } from '@llm-playground/core';
import type { CharTokenizer } from '@llm-playground/data';
import { BigramCounts } from './bigram-counts.js';
import { BigramNet } from './bigram-net.js';
import { MLP } from './mlp.js';
import type { LanguageModel, ModelConfig } from './model.js';

const KINDS = ['bigram', 'bigram-net', 'mlp'];

/**
 * A fresh model for `config`: random weights from `generator` (default: a new generator seeded
 * 2147483647, the lecture's seed), or an all-zero count matrix for `bigram` (pass `tokenizer` so
 * that its word-level methods work; fill it with `loadStateDict` or use `BigramCounts.fromWords`).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 2, nHidden: 100 });
 * model.numParameters(); // 3481
 * createModel({ kind: 'transformer' as ModelKind, vocabSize: 27, blockSize: 3 }); // throws RangeError
 * ```
 */
export function createModel(
  config: ModelConfig,
  options: { generator?: Generator; tokenizer?: CharTokenizer } = {},
): LanguageModel {
  if (config === null || typeof config !== 'object') {
    throw new TypeError(
      `Argument 'config' passed to 'createModel' must be a ModelConfig, got ${config}`,
    );
  }
  if (!Number.isInteger(config.vocabSize) || config.vocabSize < 1) {
    throw new RangeError(
      `Argument 'config.vocabSize' passed to 'createModel' must be a positive integer, got ${config.vocabSize}`,
    );
  }
  switch (config.kind) {
    case 'bigram':
      return new BigramCounts(config, { tokenizer: options.tokenizer });
    case 'bigram-net':
      return new BigramNet(config, options);
    case 'mlp':
      return new MLP(config, options);
    default:
      throw new RangeError(
        `Argument 'config.kind' passed to 'createModel' must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got '${(config as { kind: unknown }).kind}'`,
      );
  }
}
