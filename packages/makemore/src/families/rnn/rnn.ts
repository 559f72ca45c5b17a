/**
 * makemore.py's `RNN`: embed each token, run a recurrent cell (nn's `RNNCell` or `GRUCell`, makemore's
 * own cells) from a learned start state along the sequence, and read every hidden state with the
 * head.
 *
 *   h_{−1} = start;  h_t = cell(wte(idx_t), h_{t−1});  logits_t = lm_head(h_t)
 */
import type { Generator } from '@llm-playground/core';
import { Embedding, GRUCell, Linear, RNNCell } from '@llm-playground/nn';
import { stack, type Tensor, zeros } from '@llm-playground/tensor';
import type { ModelConfig } from '../../model.js';
import { defaultGenerator } from '../../util.js';
import { positiveSetting } from '../build-layers.js';
import { SequenceModel } from '../sequence-model.js';
import type { CellType } from './schema.js';

/**
 * The recurrent language model of makemore.py (`cellType` `'rnn'` or `'gru'`), PyTorch's default
 * inits drawn from the generator in makemore.py's order (start = 0, wte, the cell, lm_head).
 *
 * @example
 * ```ts
 * new RNN({ kind: 'rnn', vocabSize: 27, blockSize: 16 }, 'rnn').numParameters(); // 11803
 * new RNN({ kind: 'gru', vocabSize: 27, blockSize: 16 }, 'gru').numParameters(); // 28315
 * ```
 */
export class RNN extends SequenceModel {
  /** The starting hidden state `[1, nEmbd2]` (trained). */
  start: Tensor;
  wte: Embedding;
  cell: RNNCell | GRUCell;
  lmHead: Linear;

  constructor(config: ModelConfig, cellType: CellType, options: { generator?: Generator } = {}) {
    const nEmbd = positiveSetting(config, 'nEmbd', 64);
    const nEmbd2 = positiveSetting(config, 'nEmbd2', 64);
    super({ ...config, kind: cellType, nEmbd, nEmbd2 });
    positiveSetting(config, 'blockSize', 0);
    const generator = options.generator ?? defaultGenerator();
    const V = positiveSetting(config, 'vocabSize', 0);
    this.start = zeros([1, nEmbd2], { requiresGrad: true });
    this.wte = new Embedding(V, nEmbd, { generator });
    const Cell = cellType === 'gru' ? GRUCell : RNNCell;
    this.cell = new Cell(nEmbd, nEmbd2, { generator });
    this.lmHead = new Linear(nEmbd2, V, { generator });
  }

  /** The hidden states `[B, T, nEmbd2]` for `idx` `[B, T]` (what `forward` reads out). */
  hiddenStates(idx: Tensor): Tensor {
    this.checkInput(idx);
    const B = idx.shape[0];
    let h = this.start.expand(B, -1);
    const hiddens: Tensor[] = [];
    for (const xt of this.wte.forward(idx).unbind(1)) {
      h = this.cell.forward(xt, h);
      hiddens.push(h);
    }
    return stack(hiddens, 1);
  }

  forward(idx: Tensor): Tensor {
    return this.lmHead.forward(this.hiddenStates(idx));
  }
}
