/**
 * The `LanguageModel` interface shared by every model family (bigram counts, the bigram neural
 * net, the MLP, and any family registered later): the CLI and the web app train, sample, evaluate
 * and save any of them through it.
 */
import type { Tensor } from '@llm-playground/tensor';

/**
 * Which model family: the name it is registered under (`listFamilies()`): `bigram` (counts),
 * `bigram-net` (one-hot times W), `mlp` (Bengio et al. 2003), or one registered by the caller.
 */
export type ModelKind = string;

/**
 * Everything needed to rebuild a model's shapes (saved in checkpoints).
 *
 * @example
 * ```ts
 * const config: ModelConfig = { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 200 };
 * createModel(config).numParameters(); // 11897
 * ```
 */
export interface ModelConfig {
  kind: ModelKind;
  /** Number of tokens, the boundary `.` included (27 for a–z). */
  vocabSize: number;
  /** Context length in tokens; 1 for the bigram models. */
  blockSize: number;
  /** MLP: embedding dimension (default 10). */
  nEmbd?: number;
  /** MLP: hidden units (default 200). */
  nHidden?: number;
  /** `bigram`: the pseudo-count k added to every count (add-k smoothing, default 1). */
  smoothing?: number;
  /** `bigram-net`: the weight λ of the penalty λ·mean(W²) (default 0.01). */
  regularization?: number;
  /** `bigram-net`: train on the bigrams of every word (the lecture's 228,146), not the training split. */
  allWords?: boolean;
  /** Any other field of the family's schema (`getFamily(kind).schema`). */
  [field: string]: unknown;
}

/**
 * A character-level language model: given `blockSize` previous tokens, logits for the next one.
 * Every family's model is an `nn.Module` subclass that implements this.
 *
 * @example
 * ```ts
 * const model: LanguageModel = createModel({ kind: 'bigram-net', vocabSize: 27, blockSize: 1 });
 * model.logits(tensor([[0], [1]])).shape; // [2, 27]
 * model.namedParameters().map(([name]) => name); // ['W']
 * ```
 */
export interface LanguageModel {
  readonly config: ModelConfig;
  /** The trainable tensors (empty for the count model). */
  parameters(): Tensor[];
  /** The trainable tensors with their names (`C`, `W1`, …), in the lecture's order. */
  namedParameters(): [string, Tensor][];
  /** `contexts`: int32 `[B, blockSize]`; returns `[B, vocabSize]` logits (log-probabilities up to a constant). */
  logits(contexts: Tensor): Tensor;
  /**
   * Sequence models (makemore.py's `bow`, `rnn`, `gru`, `transformer`; the `gpt`): `logits` takes
   * any `[B, t]` with 1 ≤ t ≤ blockSize — a word so far, after one boundary token, not left-padded —
   * and gives the last position's logits; `sample` feeds them the growing sequence (makemore.py's
   * `generate`). `loss` takes targets `[B, t]` (−1 = no target).
   */
  readonly growingContext?: boolean;
  /** The scalar training objective: mean cross-entropy, plus the bigram net's λ·mean(W²). */
  loss(contexts: Tensor, targets: Tensor): Tensor;
  /** The mean negative log-likelihood alone (no regularization): what `evaluate` reports. */
  dataLoss?(contexts: Tensor, targets: Tensor): Tensor;
  /**
   * Optional fast path for full-batch training: given the whole dataset once, returns a function
   * computing the same objective as `loss(X, Y)` on all of it, more cheaply. `train` uses it when
   * the batch is the full dataset.
   */
  fullBatchObjective?(data: {
    X: Int32Array;
    Y: Int32Array;
    length: number;
    blockSize: number;
  }): () => Tensor;
  /** The tensors to save, by name (sharing storage with the model). */
  stateDict(): Record<string, Tensor>;
  /** Copies saved tensors into the model; throws if keys or shapes differ. */
  loadStateDict(state: Record<string, Tensor>): void;
  /** The number of trainable scalars. */
  numParameters(): number;
  /** Saved-but-not-trained tensors (the count model's `counts`; a BatchNorm's running statistics). */
  namedBuffers(): [string, Tensor][];
  /** Training / evaluation mode (layers like BatchNorm and Dropout read it). Every family is an `nn.Module`. */
  readonly training?: boolean;
  train(mode?: boolean): unknown;
  eval(): unknown;
}
