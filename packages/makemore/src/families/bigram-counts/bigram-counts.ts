/**
 * The bigram count model of makemore part 1: count how often each character follows each other
 * character (with the boundary `.` before and after every word), normalise each row into a
 * probability distribution, and score or sample with it.
 */
import type { CharTokenizer } from '@llm-playground/data';
import { Module } from '@llm-playground/nn';
import { arange, type Tensor, tensor, zeros } from '@llm-playground/tensor';
import type { LanguageModel, ModelConfig } from '../../model.js';

export interface BigramCountsOptions {
  /** Add-k smoothing: the pseudo-count added to every pair (default 1, as in the lecture). */
  smoothing?: number;
}

/** The result of `BigramCounts.nll`: the lecture's `log_likelihood`, `n` and `nll / n`. */
export interface NllResult {
  /** Average negative log-likelihood per bigram. */
  nll: number;
  /** Number of bigrams scored. */
  count: number;
  /** Sum of log P over the bigrams (≤ 0; −Infinity when a pair has probability 0). */
  logLikelihood: number;
}

function checkSmoothing(smoothing: number, op: string): number {
  if (!(smoothing >= 0) || !Number.isFinite(smoothing)) {
    throw new RangeError(
      `Argument 'smoothing' passed to '${op}' must be a finite number ≥ 0, got ${smoothing}`,
    );
  }
  return smoothing;
}

/**
 * The count model: `counts[i][j]` = how often token j follows token i; P = (N + k) / rowSum.
 * `logits` returns log P, so it plugs into `sample` and `evaluate` like the neural models.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['ab', 'abb']);
 * const model = BigramCounts.fromWords(['ab', 'abb'], tokenizer, { smoothing: 0 });
 * model.counts.tolist(); // [[0, 2, 0], [0, 0, 2], [2, 0, 1]]
 * model.topPairs(2); // [{ pair: '.a', count: 2 }, { pair: 'ab', count: 2 }]
 * model.wordNll('ab'); // ≈ 0.1351550261019475
 * model.wordNll('ba'); // Infinity
 * ```
 */
export class BigramCounts extends Module<[Tensor], Tensor> implements LanguageModel {
  readonly config: ModelConfig;
  /** int32 `[V, V]`: `counts[i][j]` = occurrences of the pair (itos[i], itos[j]); a buffer (saved, not trained). */
  declare readonly counts: Tensor;
  /** The tokenizer that maps the words to rows and columns (null when built from a config alone). */
  readonly tokenizer: CharTokenizer | null;
  private readonly probabilityCache = new Map<number, Tensor>();

  /** An empty (all-zero) count matrix for `config`; fill it with `fromWords` or `loadStateDict`. */
  constructor(
    config: ModelConfig,
    options: { tokenizer?: CharTokenizer | null; counts?: Tensor } = {},
  ) {
    super();
    const V = config.vocabSize;
    this.config = { ...config, kind: 'bigram', blockSize: 1, smoothing: config.smoothing ?? 1 };
    checkSmoothing(this.config.smoothing as number, 'BigramCounts');
    this.tokenizer = options.tokenizer ?? null;
    if (this.tokenizer && this.tokenizer.vocabSize !== V) {
      throw new RangeError(
        `BigramCounts: the tokenizer has ${this.tokenizer.vocabSize} tokens but config.vocabSize is ${V}`,
      );
    }
    const counts = options.counts ?? zeros([V, V], { dtype: 'int32' });
    if (counts.dtype !== 'int32' || counts.shape.join() !== `${V},${V}`) {
      throw new RangeError(
        `BigramCounts: counts must be int32 [${V}, ${V}], got ${counts.dtype} [${counts.shape.join(', ')}]`,
      );
    }
    this.registerBuffer('counts', counts);
  }

  /**
   * Counts every bigram of `'.' + word + '.'` over `words` (the lecture's `N[ix1, ix2] += 1`).
   *
   * @example
   * ```ts
   * const words = ['emma', 'olivia', 'ava'];
   * const model = BigramCounts.fromWords(words, CharTokenizer.fromWords(words));
   * model.counts.sum().item(); // 16
   * model.config.smoothing; // 1
   * ```
   */
  static fromWords(
    words: readonly string[],
    tokenizer: CharTokenizer,
    options: BigramCountsOptions = {},
  ): BigramCounts {
    const V = tokenizer.vocabSize;
    const model = new BigramCounts(
      { kind: 'bigram', vocabSize: V, blockSize: 1, smoothing: options.smoothing ?? 1 },
      { tokenizer },
    );
    const N = model.counts.storage as Int32Array;
    for (const word of words) {
      let previous = 0; // the boundary token
      for (const id of tokenizer.encode(word)) {
        N[previous * V + id] += 1;
        previous = id;
      }
      N[previous * V] += 1;
    }
    return model;
  }

  get smoothing(): number {
    return this.config.smoothing as number;
  }

  /**
   * float32 `[V, V]` row-stochastic matrix P = (N + k).float() / (N + k).float().sum(1, keepdim),
   * computed in float32 exactly as the lecture does (so sampling reproduces its names). Cached.
   *
   * @example
   * ```ts
   * const model = BigramCounts.fromWords(['ab'], CharTokenizer.fromWords(['ab']));
   * model.probabilities(0).tolist(); // [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
   * model.probabilities().sum(1).tolist(); // [1, 1, 1]
   * ```
   */
  probabilities(smoothing: number = this.smoothing): Tensor {
    checkSmoothing(smoothing, 'probabilities');
    const cached = this.probabilityCache.get(smoothing);
    if (cached) return cached;
    const V = this.config.vocabSize;
    const N = this.counts.data;
    const P = new Float32Array(V * V);
    for (let i = 0; i < V; i++) {
      // Row sum in float32 as torch's sum does (exact here: integers below 2^24), then one
      // correctly rounded float32 division per element, as torch's `/`.
      let total = 0;
      for (let j = 0; j < V; j++) {
        P[i * V + j] = Math.fround(N[i * V + j] + smoothing);
        total = Math.fround(total + P[i * V + j]);
      }
      for (let j = 0; j < V; j++) P[i * V + j] = total > 0 ? Math.fround(P[i * V + j] / total) : 0;
    }
    const result = tensor(P, { shape: [V, V] });
    this.probabilityCache.set(smoothing, result);
    return result;
  }

  /**
   * The lecture's quality measure: average negative log-likelihood of all bigrams of `words`
   * (log P of float32 probabilities, summed in float64). Unsmoothed, an unseen pair makes it Infinity.
   *
   * @example
   * ```ts
   * const words = ['ab', 'abb'];
   * const model = BigramCounts.fromWords(words, CharTokenizer.fromWords(words), { smoothing: 0 });
   * const { nll, count } = model.nll(words);
   * count; // 7
   * nll; // ≈ 0.39343970978
   * ```
   */
  nll(words: readonly string[], options: BigramCountsOptions = {}): NllResult {
    const tokenizer = this.requireTokenizer('nll');
    const P = this.probabilities(options.smoothing ?? this.smoothing).storage;
    const V = this.config.vocabSize;
    let logLikelihood = 0;
    let count = 0;
    for (const word of words) {
      let previous = 0;
      for (const id of tokenizer.encode(word)) {
        logLikelihood += Math.log(P[previous * V + id]);
        count++;
        previous = id;
      }
      logLikelihood += Math.log(P[previous * V]);
      count++;
    }
    return { nll: count > 0 ? -logLikelihood / count : Number.NaN, count, logLikelihood };
  }

  /**
   * Average negative log-likelihood of one word's bigrams (`andrejq` → Infinity unsmoothed:
   * "jq" never occurs in names.txt).
   *
   * @example
   * ```ts
   * const model = BigramCounts.fromWords(['ab'], CharTokenizer.fromWords(['ab']), { smoothing: 0 });
   * model.wordNll('ab'); // 0
   * model.wordNll('b'); // Infinity
   * ```
   */
  wordNll(word: string, options: BigramCountsOptions = {}): number {
    return this.nll([word], options).nll;
  }

  /**
   * The `k` most frequent pairs, most frequent first (ties in row-major order).
   *
   * @example
   * ```ts
   * const model = BigramCounts.fromWords(['aa', 'a'], CharTokenizer.fromWords(['a']));
   * model.topPairs(3); // [{ pair: '.a', count: 2 }, { pair: 'a.', count: 2 }, { pair: 'aa', count: 1 }]
   * ```
   */
  topPairs(k = 10): { pair: string; count: number }[] {
    const tokenizer = this.requireTokenizer('topPairs');
    const N = this.counts.data;
    const order = Array.from({ length: N.length }, (_, i) => i).sort(
      (a, b) => N[b] - N[a] || a - b,
    );
    const V = this.config.vocabSize;
    return order.slice(0, Math.max(0, k)).map((i) => ({
      pair: tokenizer.itos[Math.floor(i / V)] + tokenizer.itos[i % V],
      count: N[i],
    }));
  }

  // ---- LanguageModel ------------------------------------------------------------------------

  /** `logits(contexts)`. */
  forward(contexts: Tensor): Tensor {
    return this.logits(contexts);
  }

  /** log P[last token of each context]: `[B, V]` float32 (−Infinity where P is 0). */
  logits(contexts: Tensor): Tensor {
    const last = contexts.ndim === 2 ? contexts.select(1, contexts.shape[1] - 1) : contexts;
    return this.probabilities().log().index(last);
  }

  /** Mean −log P[context, target]. */
  loss(contexts: Tensor, targets: Tensor): Tensor {
    const logits = this.logits(contexts);
    return logits.index(arange(targets.numel()), targets.view(-1)).mean().neg();
  }

  dataLoss(contexts: Tensor, targets: Tensor): Tensor {
    return this.loss(contexts, targets);
  }

  /** nn's loader (the counts are a buffer), then forgets the cached probabilities. */
  override loadStateDict(state: Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    super.loadStateDict(state, options);
    this.probabilityCache.clear();
  }

  private requireTokenizer(op: string): CharTokenizer {
    if (!this.tokenizer) {
      throw new Error(
        `BigramCounts.${op} needs a tokenizer: build the model with BigramCounts.fromWords(words, tokenizer) or createModel(config, { tokenizer })`,
      );
    }
    return this.tokenizer;
  }
}
