/**
 * makemore part 5's WaveNet-style model: the context is merged two characters at a time, then two
 * pairs, then two quads, each merge a Linear + BatchNorm + Tanh, so no layer squashes all eight
 * characters at once (the lecture's "dilated causal convolution" without the convolution).
 *
 *   Embedding → [FlattenConsecutive(2) → Linear → BatchNorm1d → Tanh] × 3 → Linear → logits
 */
import type { Generator } from '@llm-playground/core';
import type { Linear } from '@llm-playground/nn';
import { ConfigError } from '../../errors.js';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { buildLayers, LayerStackModel, positiveSetting } from '../build-layers.js';
import { wavenetInfo, wavenetLevels, wavenetPlan } from './schema.js';

/**
 * The hierarchical model. Initialised as the lecture (after `torch.manual_seed(42)`, pass
 * `new Generator(42)`): `Embedding` N(0, 1), each Linear `randn(fan_in, fan_out) / √fan_in` in
 * layer order, the last Linear's bias 0 and its weight ×0.1 ("make less confident").
 *
 * @example
 * ```ts
 * const model = new WaveNet({ kind: 'wavenet', vocabSize: 27, blockSize: 8 }, { generator: new Generator(42) });
 * model.numParameters(); // 76579
 * // In eval mode BatchNorm uses its running statistics: one context is enough.
 * model.eval();
 * model.logits(tensor([[0, 0, 0, 0, 0, 0, 0, 0]])).shape; // [1, 27]
 * new WaveNet({ kind: 'wavenet', vocabSize: 27, blockSize: 6 }); // throws ConfigError
 * ```
 */
export class WaveNet extends LayerStackModel {
  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    const full: ModelConfig = {
      ...config,
      kind: 'wavenet',
      nEmbd: positiveSetting(config, 'nEmbd', 24),
      nHidden: positiveSetting(config, 'nHidden', 128),
      flatten: positiveSetting(config, 'flatten', 2),
    };
    positiveSetting(full, 'vocabSize', 0);
    positiveSetting(full, 'blockSize', 0);
    const problem = wavenetInfo.constrain?.(full);
    if (problem) throw new ConfigError(`wavenet config: ${problem.message}`);
    const generator = options.generator ?? defaultGenerator();
    super(
      full,
      buildLayers(wavenetPlan(full), generator, () => 1),
    );
    const last = this.layers.at(-1) as Linear;
    LayerStackModel.scale_(last.weight, 0.1);
  }

  /** Levels of the hierarchy: `log_flatten(blockSize)` (3 for context 8, flatten 2). */
  get levels(): number {
    return wavenetLevels(this.config.blockSize, this.config.flatten as number);
  }
}
