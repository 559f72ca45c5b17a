/** The `bow` family: makemore.py's bag-of-words model. */
import type { ModelFamily } from '../family.js';
import { BoW } from './bow.js';
import { bowInfo } from './schema.js';

export { BoW, BoWBlock, CausalBoW } from './bow.js';

/**
 * The bag-of-words family (makemore.py's defaults: block 16, n_embd 64, n_embd2 64; AdamW 5e-4).
 *
 * @example
 * ```ts
 * bowFamily.create(familyConfig('bow', {}, { vocabSize: 27 })).numParameters(); // 12827
 * ```
 */
export const bowFamily: ModelFamily = {
  ...bowInfo,
  create: (config, options = {}) => new BoW(config, options),
};
