/**
 * The MLP of Bengio et al. (2003), as built in makemore part 2:
 *
 *   emb    = C[X]                          [B, blockSize, nEmbd]   (a learned vector per character)
 *   h      = tanh(emb.view(B, -1) @ W1 + b1)  [B, nHidden]
 *   logits = h @ W2 + b2                   [B, vocabSize]
 */
import type { Generator } from '@llm-playground/core';
import { F, Module } from '@llm-playground/nn';
import { randn, type Tensor } from '@llm-playground/tensor';
import type { LanguageModel, ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Argument '${name}' passed to 'MLP' must be a positive integer, got ${value}`,
    );
  }
  return value;
}

/**
 * `C, W1, b1, W2, b2 = randn(...)` from the generator, in that order, exactly as the lecture
 * (so seed 2147483647 gives the lecture's initial weights).
 *
 * @example
 * ```ts
 * const model = new MLP({ kind: 'mlp', vocabSize: 27, blockSize: 3 }, { generator: new Generator(2147483647) });
 * console.log(model.namedParameters().map(([name, p]) => `${name} [${p.shape}]`).join(' '));
 * // C [27,10] W1 [30,200] b1 [200] W2 [200,27] b2 [27]
 * model.numParameters(); // 11897
 * model.logits(tensor([[0, 0, 0]])).shape; // [1, 27]
 * ```
 */
export class MLP extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  /** Embedding table `[vocabSize, nEmbd]`. */
  C: Tensor;
  /** Hidden weights `[blockSize·nEmbd, nHidden]`. */
  W1: Tensor;
  b1: Tensor;
  /** Output weights `[nHidden, vocabSize]`. */
  W2: Tensor;
  b2: Tensor;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    const V = positiveInteger(config.vocabSize, 'vocabSize');
    const blockSize = positiveInteger(config.blockSize, 'blockSize');
    const nEmbd = positiveInteger(config.nEmbd ?? 10, 'nEmbd');
    const nHidden = positiveInteger(config.nHidden ?? 200, 'nHidden');
    this.config = { ...config, kind: 'mlp', nEmbd, nHidden };
    const generator = options.generator ?? defaultGenerator();
    const make = (shape: number[]) => randn(shape, { generator, requiresGrad: true });
    this.C = make([V, nEmbd]);
    this.W1 = make([blockSize * nEmbd, nHidden]);
    this.b1 = make([nHidden]);
    this.W2 = make([nHidden, V]);
    this.b2 = make([V]);
  }

  /** The hidden activations `tanh(C[X].view(B, -1) @ W1 + b1)`, `[B, nHidden]` (for plots of saturation). */
  hidden(contexts: Tensor): Tensor {
    const B = contexts.shape[0];
    const emb = this.C.index(contexts);
    return emb.view(B, this.W1.shape[0]).matmul(this.W1).add(this.b1).tanh();
  }

  /** `logits(contexts)`. */
  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }

  logits(contexts: Tensor): Tensor {
    if (contexts.ndim !== 2 || contexts.shape[1] !== this.config.blockSize) {
      throw new RangeError(
        `MLP.logits: contexts must be int32 [B, ${this.config.blockSize}] (blockSize ${this.config.blockSize}), got [${contexts.shape.join(', ')}]`,
      );
    }
    return this.hidden(contexts).matmul(this.W2).add(this.b2);
  }

  loss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }

  dataLoss(contexts: Tensor, targets: Tensor): Tensor {
    return this.loss(contexts, targets);
  }
}
