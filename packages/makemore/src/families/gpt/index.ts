/** The `gpt` family: the "let's build GPT" lecture's model, trained on one long text. */
import type { ModelFamily } from '../family.js';
import { GPT } from './gpt.js';
import { gptInfo } from './schema.js';

export { FeedForward, GPT, GPTBlock } from './gpt.js';
export { GPT_ARCHITECTURES, type GptArchitecture, type GptPreset, gptPresets } from './schema.js';

/**
 * The GPT family: trains on random windows of a text (`prepareRun({ family: 'gpt', text })`), the
 * lecture's ladder as `architecture`, named settings in `gptPresets`.
 *
 * @example
 * ```ts
 * gptFamily.create(familyConfig('gpt', {}, { vocabSize: 65 })).numParameters(); // 159937
 * ```
 */
export const gptFamily: ModelFamily = {
  ...gptInfo,
  create: (config, options = {}) => new GPT(config, options),
};
