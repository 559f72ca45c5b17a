/**
 * makemore.py's `BoW`: token + position embeddings, one block that adds the causal *average* of
 * the positions so far (attention with all-equal scores: a bag of words) and then a tanh MLP, both
 * residual, then the head.
 *
 *   x = wte(idx) + wpe(pos);  x = x + mean_{s ≤ t} x_s;  x = x + c_proj(tanh(c_fc(x)));  lm_head(x)
 */
import type { Generator } from '@llm-playground/core';
import { Embedding, Linear, Module } from '@llm-playground/nn';
import { ones, type Tensor, zeros } from '@llm-playground/tensor';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { positiveSetting } from '../build-layers.js';
import { SequenceModel } from '../sequence-model.js';

/** makemore.py's `CausalBoW`: y_t = the mean of x_0 … x_t (softmax of a masked all-zero score matrix). */
export class CausalBoW extends Module<[Tensor], Tensor> {
  declare bias: Tensor;

  constructor(blockSize: number) {
    super();
    this.registerBuffer('bias', ones([blockSize, blockSize]).tril().view(1, blockSize, blockSize));
  }

  forward(x: Tensor): Tensor {
    const [B, T] = x.shape;
    const mask = this.bias.slice(1, 0, T).slice(2, 0, T).eq(0);
    const att = zeros([B, T, T]).maskedFill(mask, Number.NEGATIVE_INFINITY).softmax(-1);
    return att.matmul(x);
  }
}

/** makemore.py's `BoWBlock`: x + cbow(x), then x + c_proj(tanh(c_fc(x))). */
export class BoWBlock extends Module<[Tensor], Tensor> {
  cbow: CausalBoW;
  cFc: Linear;
  cProj: Linear;

  constructor(blockSize: number, nEmbd: number, nEmbd2: number, generator: Generator) {
    super();
    this.cbow = new CausalBoW(blockSize);
    this.cFc = new Linear(nEmbd, nEmbd2, { generator });
    this.cProj = new Linear(nEmbd2, nEmbd, { generator });
  }

  forward(x: Tensor): Tensor {
    const y = x.add(this.cbow.forward(x));
    return y.add(this.cProj.forward(this.cFc.forward(y).tanh()));
  }
}

/**
 * The bag-of-words model, PyTorch's default inits (Embedding N(0, 1), Linear U(±1/√fan_in)) drawn
 * from the generator in makemore.py's order.
 *
 * @example
 * ```ts
 * new BoW({ kind: 'bow', vocabSize: 27, blockSize: 16 }).numParameters(); // 12827
 * ```
 */
export class BoW extends SequenceModel {
  wte: Embedding;
  wpe: Embedding;
  contextBlock: BoWBlock;
  lmHead: Linear;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    const nEmbd = positiveSetting(config, 'nEmbd', 64);
    const nEmbd2 = positiveSetting(config, 'nEmbd2', 64);
    super({ ...config, kind: 'bow', nEmbd, nEmbd2 });
    const generator = options.generator ?? defaultGenerator();
    const V = positiveSetting(config, 'vocabSize', 0);
    const T = positiveSetting(config, 'blockSize', 0);
    this.wte = new Embedding(V, nEmbd, { generator });
    this.wpe = new Embedding(T, nEmbd, { generator });
    this.contextBlock = new BoWBlock(T, nEmbd, nEmbd2, generator);
    this.lmHead = new Linear(nEmbd, V, { generator });
  }

  forward(idx: Tensor): Tensor {
    this.checkInput(idx);
    const T = idx.shape[1];
    const x = this.wte.forward(idx).add(this.wpe.forward(SequenceModel.positions(T)));
    return this.lmHead.forward(this.contextBlock.forward(x));
  }
}
