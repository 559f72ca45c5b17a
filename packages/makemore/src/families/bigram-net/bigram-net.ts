/**
 * The bigram neural net of makemore part 1: logits = one_hot(x) @ W, which is just row x of W
 * (so we index instead of multiplying by a one-hot matrix), trained with cross-entropy plus
 * λ·mean(W²). The penalty pulls W toward 0, i.e. toward uniform rows — the neural-net version of
 * add-k smoothing.
 */
import type { Generator } from '@llm-playground/core';
import { F, Module } from '@llm-playground/nn';
import { randn, Tensor } from '@llm-playground/tensor';
import type { LanguageModel, ModelConfig } from '../../model.js';
import { defaultGenerator, lastToken } from '../../util.js';

/**
 * One weight matrix `W` `[V, V]` = `randn((V, V), generator=g)` as in the lecture.
 *
 * @example
 * ```ts
 * const model = new BigramNet({ kind: 'bigram-net', vocabSize: 27, blockSize: 1 }, { generator: new Generator(2147483647) });
 * model.W.shape; // [27, 27]
 * model.W.data[0]; // ≈ 1.5673619508743286
 * model.config.regularization; // 0.01
 * ```
 */
export class BigramNet extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  /** `[V, V]`: row i holds the logits of the token after token i. */
  W: Tensor;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    super();
    const V = config.vocabSize;
    this.config = {
      ...config,
      kind: 'bigram-net',
      blockSize: 1,
      regularization: config.regularization ?? 0.01,
    };
    const lambda = this.config.regularization as number;
    if (!(lambda >= 0) || !Number.isFinite(lambda)) {
      throw new RangeError(
        `Argument 'regularization' passed to 'BigramNet' must be a finite number ≥ 0, got ${lambda}`,
      );
    }
    const generator = options.generator ?? defaultGenerator();
    this.W = randn([V, V], { generator, requiresGrad: true });
  }

  /** `logits(contexts)`. */
  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }

  /** Row `x` of W for the last token `x` of each context (= one_hot(x) @ W). */
  logits(contexts: Tensor): Tensor {
    return this.W.index(lastToken(contexts));
  }

  /** Cross-entropy + λ·mean(W²), the lecture's `-probs[arange(n), ys].log().mean() + 0.01*(W**2).mean()`. */
  loss(contexts: Tensor, targets: Tensor): Tensor {
    const dataLoss = this.dataLoss(contexts, targets);
    const lambda = this.config.regularization as number;
    return lambda === 0 ? dataLoss : dataLoss.add(this.W.square().mean().mul(lambda));
  }

  dataLoss(contexts: Tensor, targets: Tensor): Tensor {
    return F.crossEntropy(this.logits(contexts), targets.view(-1));
  }

  /**
   * The full-batch objective from the pair counts: with N_ij = how often j follows i in the data,
   * mean cross-entropy = Σ_ij N_ij·(logsumexp(W_i) − W_ij) / Σ N. The same loss and gradient as
   * `loss(X, Y)` on all pairs (up to float rounding), at the cost of a V×V matrix instead of an
   * N×V one — and a reminder that the bigram net sees the data only through the count matrix.
   */
  fullBatchObjective(data: {
    X: Int32Array;
    Y: Int32Array;
    length: number;
    blockSize: number;
  }): () => Tensor {
    const V = this.config.vocabSize;
    const counts = new Float32Array(V * V);
    const { X, Y, length, blockSize } = data;
    for (let i = 0; i < length; i++) counts[X[i * blockSize + blockSize - 1] * V + Y[i]] += 1;
    const N = new Tensor(counts, [V, V]);
    const lambda = this.config.regularization as number;
    return () => {
      const nll = N.mul(this.W.logsumexp(1, { keepdim: true }).sub(this.W))
        .sum()
        .div(length);
      return lambda === 0 ? nll : nll.add(this.W.square().mean().mul(lambda));
    };
  }
}
