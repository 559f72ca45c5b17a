/** The `transformer` family: makemore.py's GPT-2-style transformer. */
import type { ModelFamily } from '../family.js';
import { transformerInfo } from './schema.js';
import { Transformer } from './transformer.js';

export { Block, Transformer } from './transformer.js';

/**
 * The transformer family (makemore.py's defaults: block 16, n_embd 64, 4 layers, 4 heads; AdamW
 * 5e-4, weight decay 0.01, betas (0.9, 0.99), batch 32).
 *
 * @example
 * ```ts
 * transformerFamily.create(familyConfig('transformer', {}, { vocabSize: 27 })).numParameters(); // 204544
 * ```
 */
export const transformerFamily: ModelFamily = {
  ...transformerInfo,
  create: (config, options = {}) => new Transformer(config, options),
};
