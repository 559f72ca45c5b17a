/**
 * makemore.py's `Transformer` (GPT-2's blocks, as nanoGPT): token + position embeddings, `nLayer`
 * pre-norm blocks — x + attn(ln_1(x)), then x + mlp(ln_2(x)) with a 4× MLP and the tanh GELU —,
 * a final LayerNorm and a head without bias.
 */
import type { Generator } from '@llm-playground/core';
import {
  CausalSelfAttention,
  Embedding,
  GELU,
  LayerNorm,
  Linear,
  Module,
} from '@llm-playground/nn';
import type { Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../../errors.js';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { positiveSetting } from '../build-layers.js';
import { SequenceModel } from '../sequence-model.js';
import { headsDivide } from './schema.js';

/** makemore.py's `Block`: x + attn(ln1(x)), then x + cProj(gelu(cFc(ln2(x)))). */
export class Block extends Module<[Tensor], Tensor> {
  ln1: LayerNorm;
  attn: CausalSelfAttention;
  ln2: LayerNorm;
  cFc: Linear;
  cProj: Linear;
  act = new GELU({ approximate: 'tanh' });

  constructor(nEmbd: number, nHead: number, blockSize: number, generator: Generator) {
    super();
    this.ln1 = new LayerNorm(nEmbd);
    this.attn = new CausalSelfAttention(nEmbd, nHead, blockSize, { generator });
    this.ln2 = new LayerNorm(nEmbd);
    this.cFc = new Linear(nEmbd, 4 * nEmbd, { generator });
    this.cProj = new Linear(4 * nEmbd, nEmbd, { generator });
  }

  forward(x: Tensor): Tensor {
    const y = x.add(this.attn.forward(this.ln1.forward(x)));
    return y.add(this.cProj.forward(this.act.forward(this.cFc.forward(this.ln2.forward(y)))));
  }
}

/**
 * The transformer, PyTorch's default inits drawn from the generator in makemore.py's order.
 * NOTE: names are makemore.py's in camelCase without its `transformer.` prefix (`h.0.attn.cAttn`
 * for `transformer.h.0.attn.c_attn`; the MLP's `cFc`/`cProj` sit on the block).
 *
 * @example
 * ```ts
 * new Transformer({ kind: 'transformer', vocabSize: 27, blockSize: 16 }).numParameters(); // 204544
 * ```
 */
export class Transformer extends SequenceModel {
  wte: Embedding;
  wpe: Embedding;
  h: Block[];
  lnF: LayerNorm;
  lmHead: Linear;

  constructor(config: ModelConfig, options: { generator?: Generator } = {}) {
    const nEmbd = positiveSetting(config, 'nEmbd', 64);
    const nLayer = positiveSetting(config, 'nLayer', 4);
    const nHead = positiveSetting(config, 'nHead', 4);
    const full = { ...config, kind: 'transformer', nEmbd, nLayer, nHead };
    const problem = headsDivide(full);
    if (problem) throw new ConfigError(`transformer config: ${problem.message}`);
    super(full);
    const generator = options.generator ?? defaultGenerator();
    const V = positiveSetting(config, 'vocabSize', 0);
    const T = positiveSetting(config, 'blockSize', 0);
    this.wte = new Embedding(V, nEmbd, { generator });
    this.wpe = new Embedding(T, nEmbd, { generator });
    this.h = Array.from({ length: nLayer }, () => new Block(nEmbd, nHead, T, generator));
    this.lnF = new LayerNorm(nEmbd);
    this.lmHead = new Linear(nEmbd, V, { bias: false, generator });
  }

  forward(idx: Tensor): Tensor {
    return this.lmHead.forward(this.lnF.forward(this.residualStream(idx).at(-1)!.x));
  }

  /**
   * The residual stream at each stage, `[B, T, nEmbd]` each: the embeddings (token + position),
   * then each block's output (the last one is what `lnF` reads). In the model's current mode.
   */
  residualStream(idx: Tensor): { label: string; x: Tensor }[] {
    this.checkInput(idx);
    let x = this.wte.forward(idx).add(this.wpe.forward(SequenceModel.positions(idx.shape[1])));
    const stages = [{ label: 'embeddings', x }];
    this.h.forEach((block, i) => {
      x = block.forward(x);
      stages.push({ label: `block ${i}`, x });
    });
    return stages;
  }

  /** The attention weights `[B, nHead, T, T]` of every block for `idx` (a forward pass, no dropout). */
  attentionWeights(idx: Tensor): Tensor[] {
    this.checkInput(idx);
    let x = this.wte.forward(idx).add(this.wpe.forward(SequenceModel.positions(idx.shape[1])));
    return this.h.map((block) => {
      const weights = block.attn.attentionWeights(block.ln1.forward(x));
      x = block.forward(x);
      return weights;
    });
  }
}
