/**
 * From a `LayerSpec` plan to nn modules, initialised as makemore parts 3 and 5 do, and the
 * `Sequential` language model both families (`deep-mlp`, `wavenet`) are. The lectures' `Linear`
 * draws `torch.randn((fan_in, fan_out)) / fan_in**0.5` — the transpose of `nn.Linear`'s weight —
 * so the weights are drawn in that shape from the model's generator, in layer order, and stored
 * transposed: with the lecture's seed the first loss is the lecture's (up to BatchNorm's variance,
 * see `LayerStackModel`).
 */
import { Generator } from '@llm-playground/core';
import {
  BatchNorm1d,
  Embedding,
  F,
  Flatten,
  FlattenConsecutive,
  Linear,
  type Module,
  Sequential,
  Tanh,
} from '@llm-playground/nn';
import { noGrad, randn, type Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../errors.js';
import type { LanguageModel, ModelConfig } from '../model.js';
import type { LayerSpec } from './layer-plan.js';

/** How each Linear's lecture weight is scaled after `randn / √fan_in` (index among the Linears). */
export type LinearScale = (linearIndex: number, linearCount: number) => number;

/**
 * The modules of `plan`, drawing every random weight from `generator` in layer order: an
 * `Embedding` N(0, 1) (the lecture's `C`), each `Linear` `randn(in, out) / √in · scale(k)` with a
 * zero bias (the lecture's `Linear`), `BatchNorm1d` with PyTorch's defaults (γ 1, β 0, momentum 0.1,
 * eps 1e-5).
 */
export function buildLayers(
  plan: readonly LayerSpec[],
  generator: Generator,
  scale: LinearScale,
): Module[] {
  const linearCount = plan.filter((layer) => layer.kind === 'linear').length;
  let linearIndex = 0;
  // nn's Linear draws PyTorch's uniform init; it is overwritten, so it draws from a scratch stream.
  const scratch = new Generator(0);
  return plan.map((layer) => {
    switch (layer.kind) {
      case 'embedding':
        return new Embedding(layer.numEmbeddings, layer.embeddingDim, { generator });
      case 'flatten':
        return new Flatten();
      case 'flattenConsecutive':
        return new FlattenConsecutive(layer.n);
      case 'tanh':
        return new Tanh();
      case 'batchNorm':
        return new BatchNorm1d(layer.numFeatures, { channelsLast: layer.channelsLast });
      default: {
        // 'linear' (the last kind left)
        const { inFeatures: fanIn, outFeatures: fanOut } = layer;
        const linear = new Linear(fanIn, fanOut, { bias: layer.bias, generator: scratch });
        let lecture = randn([fanIn, fanOut], { generator }).div(fanIn ** 0.5);
        const factor = scale(linearIndex++, linearCount);
        if (factor !== 1) lecture = lecture.mul(factor);
        const from = lecture.data;
        const to = linear.weight.data;
        for (let i = 0; i < fanIn; i++) {
          for (let o = 0; o < fanOut; o++) to[o * fanIn + i] = from[i * fanOut + o];
        }
        linear.bias?.data.fill(0);
        return linear;
      }
    }
  });
}

/**
 * A language model that is an nn `Sequential` over int32 contexts `[B, blockSize]` → logits
 * `[B, vocabSize]`: parameter names are `layers.<i>.<name>`, its Tanh layers are found by
 * `namedModules()` (forward hooks for the diagnostics), and `String(model)` prints PyTorch's tree.
 *
 * NOTE: its BatchNorm1d is PyTorch's (and nn's): it normalises with the batch's *biased* variance;
 * the lectures' hand-written layer divides by √(unbiased var + eps) — a factor √(32/31) ≈ 1.016 on
 * a batch of 32, so first losses agree with the notebooks to three decimals, not bit for bit.
 *
 * @example
 * ```ts
 * const model = createModel(familyConfig('deep-mlp', { layers: 2, batchNorm: false }, { vocabSize: 27 }));
 * model instanceof LayerStackModel; // true
 * model.tanhLayers().map(([name]) => name); // ['layers.3', 'layers.5']
 * ```
 */
export class LayerStackModel extends Sequential implements LanguageModel {
  readonly config: ModelConfig;

  constructor(config: ModelConfig, layers: Module[]) {
    super(...layers);
    this.config = config;
  }

  /** `contexts` int32 `[B, blockSize]` → logits `[B, vocabSize]`. */
  logits(contexts: Tensor): Tensor {
    const { blockSize, kind } = this.config;
    if (contexts.ndim !== 2 || contexts.shape[1] !== blockSize) {
      throw new RangeError(
        `${kind}.logits: contexts must be int32 [B, ${blockSize}] (blockSize ${blockSize}), got [${contexts.shape.join(', ')}]`,
      );
    }
    return this.forward(contexts);
  }

  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }

  dataLoss(contexts: Tensor, targets: Tensor): Tensor {
    return this.loss(contexts, targets);
  }

  /** The Tanh layers with their names (`layers.4`, …), in forward order. */
  tanhLayers(): [string, Tanh][] {
    return this.namedModules().filter((entry): entry is [string, Tanh] => entry[1] instanceof Tanh);
  }

  /** Multiplies a tensor in place without recording it (the lectures' `with torch.no_grad(): w *= s`). */
  protected static scale_(t: Tensor | null, factor: number): void {
    if (t) noGrad(() => t.mul_(factor));
  }
}

/** Throws a `ConfigError` unless `value` is a positive integer (a config built without `familyConfig`). */
export function positiveSetting(config: ModelConfig, name: string, fallback: number): number {
  const value = (config[name] as number | undefined) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `${config.kind} config: ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
