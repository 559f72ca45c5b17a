/**
 * makemore part 3's deep network, "PyTorchified": the lecture's 6-Linear tanh stack with or
 * without BatchNorm, the one whose activations, gradients and update ratios the lecture watches.
 *
 *   C[X] → flatten → [Linear → BatchNorm1d → Tanh] × layers → Linear → BatchNorm1d → logits
 */
import type { Generator } from '@llm-playground/core';
import { BatchNorm1d } from '@llm-playground/nn';
import { ConfigError } from '../../errors.js';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { buildLayers, LayerStackModel, positiveSetting } from '../build-layers.js';
import { deepMlpPlan } from './schema.js';

/**
 * The deep tanh MLP. Initialised as the lecture: `C = randn(V, nEmbd)`, each Linear
 * `randn(fan_in, fan_out) / √fan_in` from the same generator in layer order, biases 0; then the
 * hidden Linears ×`gain` (5/3, tanh's gain), and (`lastLayerFix`, on by default) the last layer
 * made less confident: its BatchNorm's γ ×0.1 with `batchNorm`, else its weight ×0.1. As in the
 * lecture's `for layer in layers[:-1]`, with BatchNorm the output Linear gets the gain too (the
 * BatchNorm after it is the list's last layer).
 *
 * `init: 'randn'` is the lecture's first net: every Linear's weight plain N(0, 1) (the same
 * draws ×√fan_in, so equal up to float32 rounding; `gain` is ignored), still with the last-layer
 * fix unless `lastLayerFix` is false.
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
      init: (config.init as string | undefined) ?? 'kaiming',
      lastLayerFix: (config.lastLayerFix as boolean | undefined) ?? true,
    };
    positiveSetting(full, 'vocabSize', 0);
    positiveSetting(full, 'blockSize', 0);
    if (full.init !== 'kaiming' && full.init !== 'randn') {
      throw new ConfigError(
        `deep-mlp config: init must be 'kaiming' or 'randn', got ${JSON.stringify(full.init)}`,
      );
    }
    const batchNorm = full.batchNorm as boolean;
    const gain = full.gain as number;
    const lastLayerFix = full.lastLayerFix as boolean;
    const plan = deepMlpPlan(full);
    const fanIns = plan.flatMap((layer) => (layer.kind === 'linear' ? [layer.inFeatures] : []));
    const generator = options.generator ?? defaultGenerator();
    // Without BatchNorm the last Linear is the list's last layer: the fix's ×0.1 instead of the gain.
    const unnormedLast = (k: number, count: number) => k === count - 1 && !batchNorm;
    const scale =
      full.init === 'randn'
        ? // ×√fan_in undoes buildLayers' ÷√fan_in: plain randn.
          (k: number, count: number) =>
            fanIns[k] ** 0.5 * (unnormedLast(k, count) && lastLayerFix ? 0.1 : 1)
        : (k: number, count: number) => (unnormedLast(k, count) ? (lastLayerFix ? 0.1 : 1) : gain);
    super(full, buildLayers(plan, generator, scale));
    const last = this.layers.at(-1);
    if (last instanceof BatchNorm1d && lastLayerFix) LayerStackModel.scale_(last.weight, 0.1);
  }
}
