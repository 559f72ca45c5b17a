/**
 * The base of the sequence models (makemore.py's `bow`, `rnn`, `gru`, `transformer`, and the
 * lecture's `gpt`): `forward(idx)` maps int32 `[B, T]` (T ≤ blockSize) to logits `[B, T, V]`, a
 * prediction at every position. The `LanguageModel` methods follow from it: `logits` is the last
 * position's (what `sample` draws from), `loss` the mean cross-entropy over every position whose
 * target is not −1 (makemore.py's `F.cross_entropy(…, ignore_index=-1)`).
 */
import { F, Module } from '@llm-playground/nn';
import { arange, type Tensor } from '@llm-playground/tensor';
import type { LanguageModel, ModelConfig } from '../model.js';
import { IGNORE_INDEX } from '../tasks/minibatch-sampler.js';

/**
 * A language model that predicts at every position of a sequence.
 *
 * @example
 * ```ts
 * const model = createModel(familyConfig('transformer', {}, { vocabSize: 27 })) as SequenceModel;
 * model.forward(tensor([[0, 5, 13]])).shape; // [1, 3, 27]
 * model.logits(tensor([[0, 5, 13]])).shape; // [1, 27]
 * ```
 */
export abstract class SequenceModel extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  readonly growingContext = true;

  constructor(config: ModelConfig) {
    super();
    this.config = config;
  }

  /** int32 `[B, T]`, 1 ≤ T ≤ blockSize → logits `[B, T, vocabSize]`. */
  abstract override forward(idx: Tensor): Tensor;

  /** Throws unless `idx` is int32 `[B, T]` with 1 ≤ T ≤ blockSize (makemore.py's assert, in its words). */
  protected checkInput(idx: Tensor): void {
    const { blockSize, kind } = this.config;
    if (idx.ndim !== 2 || idx.shape[1] < 1) {
      throw new RangeError(
        `${kind}: expected token ids of shape [B, T], got [${idx.shape.join(', ')}]`,
      );
    }
    if (idx.shape[1] > blockSize) {
      throw new RangeError(
        `Cannot forward sequence of length ${idx.shape[1]}, block size is only ${blockSize}`,
      );
    }
  }

  /** The last position's logits `[B, vocabSize]`: the next token after the sequence. */
  logits(contexts: Tensor): Tensor {
    const out = this.forward(contexts);
    return out.select(1, out.shape[1] - 1);
  }

  /** Mean cross-entropy over the positions of `targets` `[B, T]` that are not −1. */
  loss(contexts: Tensor, targets: Tensor): Tensor {
    const out = this.forward(contexts);
    const V = out.shape[2];
    return F.crossEntropy(out.view(-1, V), targets.reshape(-1), { ignoreIndex: IGNORE_INDEX });
  }

  dataLoss(contexts: Tensor, targets: Tensor): Tensor {
    return this.loss(contexts, targets);
  }

  /** Positions `[0, 1, …, T − 1]` as int32 `[T]` (for position embeddings). */
  protected static positions(T: number): Tensor {
    return arange(0, T, 1, { dtype: 'int32' });
  }
}
