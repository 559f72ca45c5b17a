/**
 * makemore part 3's deep network, "PyTorchified": the lecture's 6-Linear tanh stack with or
 * without BatchNorm, the one whose activations, gradients and update ratios the lecture watches.
 *
 *   C[X] → flatten → [Linear → BatchNorm1d → Tanh] × layers → Linear → BatchNorm1d → logits
 */
import type { Generator } from '@llm-playground/core';
import { BatchNorm1d } from '@llm-playground/nn';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { buildLayers, LayerStackModel, positiveSetting } from '../build-layers.js';
import { deepMlpPlan } from './schema.js';

/**
 * The deep tanh MLP. Initialised as the lecture: `C = randn(V, nEmbd)`, each Linear
 * `randn(fan_in, fan_out) / √fan_in` from the same generator in layer order, biases 0; then the
 * hidden Linears ×`gain` (5/3, tanh's gain), and the last layer made less confident: its
 * BatchNorm's γ ×0.1 with `batchNorm`, else its weight ×0.1. As in the lecture's
 * `for layer in layers[:-1]`, with BatchNorm the output Linear gets the gain too (the BatchNorm
 * after it is the list's last layer).
 *
 * @example
 * ```ts
 * const model = new DeepMLP({ kind: 'deep-mlp', vocabSize: 27, blockSize: 3 });
 * model.numParameters(); // 47024
 * model.tanhLayers().map(([name]) => name); // ['layers.4', 'layers.7', 'layers.10', 'layers.13', 'layers.16']
 * new DeepMLP({ kind: 'deep-mlp', vocabSize: 27, blockSize: 3, batchNorm: false }).numParameters(); // 46497
 * ```
 */
export class DeepMLP extends LayerStackModel {
  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    const full: ModelConfig = {
      ...config,
      kind: 'deep-mlp',
      nEmbd: positiveSetting(config, 'nEmbd', 10),
      nHidden: positiveSetting(config, 'nHidden', 100),
      layers: positiveSetting(config, 'layers', 5),
      batchNorm: (config.batchNorm as boolean | undefined) ?? true,
      gain: (config.gain as number | undefined) ?? 5 / 3,
    };
    positiveSetting(full, 'vocabSize', 0);
    positiveSetting(full, 'blockSize', 0);
    const batchNorm = full.batchNorm as boolean;
    const gain = full.gain as number;
    const generator = options.generator ?? defaultGenerator();
    // Without BatchNorm the last Linear is the list's last layer: ×0.1 instead of the gain.
    const scale = (k: number, count: number) => (k < count - 1 || batchNorm ? gain : 0.1);
    super(full, buildLayers(deepMlpPlan(full), generator, scale));
    const last = this.layers.at(-1);
    if (last instanceof BatchNorm1d) LayerStackModel.scale_(last.weight, 0.1);
  }
}
