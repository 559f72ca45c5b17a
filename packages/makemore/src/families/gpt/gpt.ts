/**
 * The "let's build GPT" lecture's character-level model, each rung of its ladder one
 * `architecture`: a bigram table; token + position embeddings with one attention head; several
 * heads; a feed-forward layer after them; then `nLayer` blocks, each x + sa(ln1(x)) and
 * x + ffwd(ln2(x)), with a final LayerNorm (gpt.py), and dropout in training when `dropout` > 0.
 */
import type { Generator } from '@llm-playground/core';
import {
  Dropout,
  Embedding,
  Head,
  LayerNorm,
  Linear,
  Module,
  MultiHeadAttention,
  ReLU,
  Sequential,
} from '@llm-playground/nn';
import { noGrad, randn, stack, type Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../../errors.js';
import { inEvalMode } from '../../evaluate.js';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { positiveSetting } from '../build-layers.js';
import { SequenceModel } from '../sequence-model.js';
import { GPT_ARCHITECTURES, type GptArchitecture, gptInfo } from './schema.js';

/** The lecture's `FeedFoward`: Linear(n, 4n) → ReLU → Linear(4n, n) → Dropout. */
export class FeedForward extends Module<[Tensor], Tensor> {
  net: Sequential;

  constructor(nEmbd: number, dropout: number, generator: Generator) {
    super();
    this.net = new Sequential(
      new Linear(nEmbd, 4 * nEmbd, { generator }),
      new ReLU(),
      new Linear(4 * nEmbd, nEmbd, { generator }),
      new Dropout(dropout, { generator }),
    );
  }

  forward(x: Tensor): Tensor {
    return this.net.forward(x) as Tensor;
  }
}

/** The lecture's `Block`: x + sa(ln1(x)), then x + ffwd(ln2(x)). */
export class GPTBlock extends Module<[Tensor], Tensor> {
  sa: MultiHeadAttention;
  ffwd: FeedForward;
  ln1: LayerNorm;
  ln2: LayerNorm;

  constructor(
    nEmbd: number,
    nHead: number,
    blockSize: number,
    dropout: number,
    generator: Generator,
  ) {
    super();
    this.sa = new MultiHeadAttention(nEmbd, nHead, nEmbd / nHead, blockSize, {
      dropout,
      generator,
    });
    this.ffwd = new FeedForward(nEmbd, dropout, generator);
    this.ln1 = new LayerNorm(nEmbd);
    this.ln2 = new LayerNorm(nEmbd);
  }

  forward(x: Tensor): Tensor {
    const y = x.add(this.sa.forward(this.ln1.forward(x)));
    return y.add(this.ffwd.forward(this.ln2.forward(y)));
  }
}

/**
 * The lecture's GPT language model at any rung of the ladder. Weights as gpt.py's `_init_weights`:
 * every Linear weight and Embedding N(0, 0.02), biases 0 (drawn after the modules are built, in
 * parameter order); the `bigram` rung keeps bigram.py's N(0, 1) table. Dropout masks come from
 * the same generator.
 *
 * @example
 * ```ts
 * const model = new GPT({ kind: 'gpt', vocabSize: 65, blockSize: 8, architecture: 'bigram' });
 * model.numParameters(); // 4225
 * new GPT({ kind: 'gpt', vocabSize: 65, blockSize: 256, nEmbd: 384, nHead: 6, nLayer: 6 }).numParameters(); // 10788929
 * ```
 */
export class GPT extends SequenceModel {
  tokenEmbeddingTable: Embedding;
  positionEmbeddingTable?: Embedding;
  saHead?: Head;
  saHeads?: MultiHeadAttention;
  ffwd?: FeedForward;
  blocks?: GPTBlock[];
  lnF?: LayerNorm;
  lmHead?: Linear;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    const architecture = (config.architecture as GptArchitecture | undefined) ?? 'blocks';
    if (!GPT_ARCHITECTURES.includes(architecture)) {
      throw new ConfigError(
        `gpt config: architecture must be one of ${GPT_ARCHITECTURES.map((a) => `'${a}'`).join(', ')}, got '${architecture}'`,
      );
    }
    const nEmbd = positiveSetting(config, 'nEmbd', 64);
    const nHead = positiveSetting(config, 'nHead', 4);
    const nLayer = positiveSetting(config, 'nLayer', 3);
    const dropout = (config.dropout as number | undefined) ?? 0;
    const full = { ...config, kind: 'gpt', architecture, nEmbd, nHead, nLayer, dropout };
    const problem = gptInfo.constrain?.(full);
    if (problem) throw new ConfigError(`gpt config: ${problem.message}`);
    super(full);
    const generator = options.generator ?? defaultGenerator();
    const V = positiveSetting(config, 'vocabSize', 0);
    const T = positiveSetting(config, 'blockSize', 0);
    if (architecture === 'bigram') {
      this.tokenEmbeddingTable = new Embedding(V, V, { generator });
      return;
    }
    this.tokenEmbeddingTable = new Embedding(V, nEmbd, { generator });
    this.positionEmbeddingTable = new Embedding(T, nEmbd, { generator });
    const attention = { dropout, generator };
    if (architecture === 'one-head') this.saHead = new Head(nEmbd, nEmbd, T, attention);
    if (architecture === 'multi-head' || architecture === 'feed-forward') {
      this.saHeads = new MultiHeadAttention(nEmbd, nHead, nEmbd / nHead, T, attention);
    }
    if (architecture === 'feed-forward') this.ffwd = new FeedForward(nEmbd, dropout, generator);
    if (architecture === 'blocks') {
      this.blocks = Array.from(
        { length: nLayer },
        () => new GPTBlock(nEmbd, nHead, T, dropout, generator),
      );
      this.lnF = new LayerNorm(nEmbd);
    }
    this.lmHead = new Linear(nEmbd, V, { generator });
    // gpt.py's _init_weights: Linear and Embedding weights N(0, 0.02), Linear biases 0.
    noGrad(() => {
      for (const [, module] of this.namedModules()) {
        if (!(module instanceof Linear || module instanceof Embedding)) continue;
        const w = module.weight;
        (w.storage as Float32Array).set(randn(w.shape, { generator }).mul(0.02).data);
        if (module instanceof Linear) module.bias?.data.fill(0);
      }
    });
  }

  /** The residual stream before the final LayerNorm `[B, T, nEmbd]` (the bigram's logits). */
  private trunk(idx: Tensor): Tensor {
    return this.residualStream(idx).at(-1)!.x;
  }

  /**
   * The stream at each stage, `[B, T, nEmbd]` each: the embeddings (token + position), then the
   * output of the head, the heads, the feed-forward layer or each block, whichever the rung has
   * (the last one is what the final LayerNorm reads). The bigram has one stage, its table rows.
   * Runs in the model's current mode, with gradients if enabled (a forward pass, split up).
   */
  residualStream(idx: Tensor): { label: string; x: Tensor }[] {
    this.checkInput(idx);
    let x = this.tokenEmbeddingTable.forward(idx);
    if (!this.positionEmbeddingTable) return [{ label: 'embeddings', x }];
    x = x.add(this.positionEmbeddingTable.forward(SequenceModel.positions(idx.shape[1])));
    const stages = [{ label: 'embeddings', x }];
    const push = (label: string, next: Tensor) => {
      x = next;
      stages.push({ label, x });
    };
    if (this.saHead) push('head', this.saHead.forward(x));
    if (this.saHeads) push('heads', this.saHeads.forward(x));
    if (this.ffwd) push('feed-forward', this.ffwd.forward(x));
    for (const [i, block] of (this.blocks ?? []).entries()) push(`block ${i}`, block.forward(x));
    return stages;
  }

  /**
   * What each position attends to: for every attention layer (the one head, the heads, or each
   * block's heads), the weights `[B, nHead, T, T]` (rows sum to 1, zero above the diagonal), in
   * eval mode's values (no dropout). Empty for the bigram.
   */
  attentionWeights(idx: Tensor): Tensor[] {
    this.checkInput(idx);
    const T = idx.shape[1];
    const weights = (heads: Head[], x: Tensor) =>
      stack(
        heads.map((head) => {
          const q = head.query.forward(x);
          const k = head.key.forward(x);
          const att = q.matmul(k.transpose(-2, -1)).mul(head.headSize ** -0.5);
          const mask = head.tril.slice(0, 0, T).slice(1, 0, T).eq(0);
          return att.maskedFill(mask, Number.NEGATIVE_INFINITY).softmax(-1);
        }),
        1,
      );
    return inEvalMode(this, () =>
      noGrad(() => {
        if (!this.positionEmbeddingTable) return [];
        const positions = this.positionEmbeddingTable.forward(SequenceModel.positions(T));
        let x = this.tokenEmbeddingTable.forward(idx).add(positions);
        if (this.saHead) return [weights([this.saHead], x)];
        if (this.saHeads) return [weights(this.saHeads.heads, x)];
        return (this.blocks ?? []).map((block) => {
          const out = weights(block.sa.heads, block.ln1.forward(x));
          x = block.forward(x);
          return out;
        });
      }),
    );
  }

  forward(idx: Tensor): Tensor {
    const x = this.trunk(idx);
    if (!this.lmHead) return x;
    return this.lmHead.forward(this.lnF ? this.lnF.forward(x) : x);
  }
}
