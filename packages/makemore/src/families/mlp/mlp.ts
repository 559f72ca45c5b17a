/**
 * The MLP of Bengio et al. (2003), as built in makemore part 2:
 *
 *   emb    = C[X]                          [B, blockSize, nEmbd]   (a learned vector per character)
 *   h      = tanh(emb.view(B, -1) @ W1 + b1)  [B, nHidden]
 *   logits = h @ W2 + b2                   [B, vocabSize]
 *
 * and part 3's fixes as settings: `fixInitialLoss` (W2·0.01, b2·0), `fixTanh` ('scale': W1·0.2,
 * b1·0.01; 'kaiming': W1·(5/3)/√fan_in, b1·0.01) and `batchNorm` (the lecture's hand-written
 * batch normalisation of the pre-activation, in place of b1).
 */
import type { Generator } from '@llm-playground/core';
import { F, Module } from '@llm-playground/nn';
import {
  noGrad,
  ones,
  randn,
  replayEagerly,
  ShapeError,
  type Tensor,
  zeros,
} from '@llm-playground/tensor';
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

/** The lecture's momentum for the running BatchNorm statistics (`0.999·running + 0.001·batch`). */
const BN_MOMENTUM = 0.001;

/**
 * `C, W1, b1, W2, b2 = randn(...)` from the generator, in that order, exactly as the lecture
 * (so seed 2147483647 gives the lecture's initial weights), then part 3's scalings when asked.
 * With `batchNorm`, `bngain` (ones) and `bnbias` (zeros) are parameters and `bnmean_running`,
 * `bnstd_running` buffers; b1 stays, as in the video when it adds the layer (12,297 parameters —
 * the notebook's last cell comments b1 out and prints 12,097): the batch mean cancels it, so its
 * gradient is 0 and it never moves, which is the lecture's point.
 *
 * NOTE: the BatchNorm is the lecture's, not PyTorch's: `(h − mean) / std` with the *unbiased* std
 * and no eps, running estimates of the mean and the *std* (not the variance) at momentum 0.001.
 * `deep-mlp` and `wavenet` use nn's `BatchNorm1d` (PyTorch's semantics) instead.
 *
 * @example
 * ```ts
 * const model = new MLP({ kind: 'mlp', vocabSize: 27, blockSize: 3 }, { generator: new Generator(2147483647) });
 * console.log(model.namedParameters().map(([name, p]) => `${name} [${p.shape}]`).join(' '));
 * // C [27,10] W1 [30,200] b1 [200] W2 [200,27] b2 [27]
 * model.numParameters(); // 11897
 * model.logits(tensor([[0, 0, 0]])).shape; // [1, 27]
 * const bn = new MLP({ kind: 'mlp-bn', vocabSize: 27, blockSize: 3, fixInitialLoss: true, fixTanh: 'kaiming', batchNorm: true });
 * bn.numParameters(); // 12297
 * bn.namedBuffers().map(([name]) => name); // ['bnmean_running', 'bnstd_running']
 * ```
 */
export class MLP extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  /** Embedding table `[vocabSize, nEmbd]`. */
  C: Tensor;
  /** Hidden weights `[blockSize·nEmbd, nHidden]`. */
  W1: Tensor;
  /** Hidden bias `[nHidden]` (with `batchNorm` the batch mean cancels it: its gradient is 0). */
  b1: Tensor;
  /** Output weights `[nHidden, vocabSize]`. */
  W2: Tensor;
  b2: Tensor;
  /** BatchNorm gain and bias `[nHidden]` (null without `batchNorm`). */
  bngain: Tensor | null;
  bnbias: Tensor | null;
  // Buffers (registered): the running mean and std of the pre-activation.
  declare bnmean_running: Tensor | null;
  declare bnstd_running: Tensor | null;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    const V = positiveInteger(config.vocabSize, 'vocabSize');
    const blockSize = positiveInteger(config.blockSize, 'blockSize');
    const nEmbd = positiveInteger(config.nEmbd ?? 10, 'nEmbd');
    const nHidden = positiveInteger(config.nHidden ?? 200, 'nHidden');
    const fixInitialLoss = config.fixInitialLoss === true;
    const fixTanh = (config.fixTanh as string | undefined) ?? 'none';
    if (!['none', 'scale', 'kaiming'].includes(fixTanh)) {
      throw new RangeError(
        `Argument 'fixTanh' passed to 'MLP' must be 'none', 'scale' or 'kaiming', got ${fixTanh}`,
      );
    }
    const batchNorm = config.batchNorm === true;
    this.config = { ...config, nEmbd, nHidden };
    const generator = options.generator ?? defaultGenerator();
    const make = (shape: number[], scale = 1) => {
      const t = randn(shape, { generator });
      // The lecture's `randn(...) * s` (one float32 product); scale 1 keeps the draw untouched.
      return (scale === 1 ? t : noGrad(() => t.mul(scale))).requiresGrad_();
    };
    const fanIn = blockSize * nEmbd;
    const w1Scale = { none: 1, scale: 0.2, kaiming: 5 / 3 / fanIn ** 0.5 }[fixTanh] as number;
    const b1Scale = fixTanh === 'none' ? 1 : 0.01;
    this.C = make([V, nEmbd]);
    this.W1 = make([fanIn, nHidden], w1Scale);
    this.b1 = make([nHidden], b1Scale);
    this.W2 = make([nHidden, V], fixInitialLoss ? 0.01 : 1);
    this.b2 = make([V], fixInitialLoss ? 0 : 1);
    this.bngain = batchNorm ? ones([nHidden], { requiresGrad: true }) : null;
    this.bnbias = batchNorm ? zeros([nHidden], { requiresGrad: true }) : null;
    this.registerBuffer('bnmean_running', batchNorm ? zeros([nHidden]) : null);
    this.registerBuffer('bnstd_running', batchNorm ? ones([nHidden]) : null);
  }

  /** The pre-activation `C[X].view(B, -1) @ W1 + b1`, batch-normalised with `batchNorm`. */
  preActivation(contexts: Tensor): Tensor {
    const B = contexts.shape[0];
    const emb = this.C.index(contexts);
    const hpreact = emb.view(B, this.W1.shape[0]).matmul(this.W1).add(this.b1);
    if (!this.bngain || !this.bnbias) return hpreact;
    if (!this.training) {
      const mean = this.bnmean_running as Tensor;
      const std = this.bnstd_running as Tensor;
      return this.bngain.mul(hpreact.sub(mean)).div(std).add(this.bnbias);
    }
    if (B <= 1) {
      throw new ShapeError(
        `Expected more than 1 value per channel when training, got input size [${hpreact.shape.join(', ')}] (MLP batchNorm: the batch std of one example is undefined; call eval() to use the running statistics)`,
      );
    }
    const bnmeani = hpreact.mean(0, true);
    const bnstdi = hpreact.std(0, true, true);
    this.updateRunningStats(bnmeani, bnstdi);
    return this.bngain.mul(hpreact.sub(bnmeani)).div(bnstdi).add(this.bnbias);
  }

  /**
   * `running = 0.999·running + 0.001·batch` for the mean and the std, in float32 as the lecture's
   * tensors compute it; in an eager island so that a captured training step updates them too.
   */
  private updateRunningStats(mean: Tensor, std: Tensor): void {
    replayEagerly(() => {
      const f = Math.fround;
      const keep = f(1 - BN_MOMENTUM);
      const take = f(BN_MOMENTUM);
      const runningMean = (this.bnmean_running as Tensor).data;
      const runningStd = (this.bnstd_running as Tensor).data;
      const m = mean.data;
      const s = std.data;
      for (let c = 0; c < runningMean.length; c++) {
        runningMean[c] = f(keep * runningMean[c]) + f(take * m[c]);
        runningStd[c] = f(keep * runningStd[c]) + f(take * s[c]);
      }
    });
  }

  /** The hidden activations `tanh(preActivation(X))`, `[B, nHidden]` (for plots of saturation). */
  hidden(contexts: Tensor): Tensor {
    return this.preActivation(contexts).tanh();
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
