/**
 * The bigram neural net of makemore part 1, trained full-batch by gradient descent, as a plain
 * class that the page's worker drives (and unit tests drive without a Worker).
 *
 * logits = one_hot(x) · W = W[x];  P = softmax(logits);
 * loss = −mean log P[x, y] + λ·mean(W²);  W ← W − lr·∂loss/∂W.
 *
 * The full-batch loss depends on the data only through the pair counts N (Σ N_ij·(logsumexp(W_i) −
 * W_ij) / Σ N), which `BigramNet.fullBatchObjective` exploits: one step costs a V×V computation.
 */
import { Generator } from '@llm-playground/core';
import { buildBigrams, CharTokenizer } from '@llm-playground/data';
import { BigramNet, createOptimizer } from '@llm-playground/makemore';
import type { Optimizer } from '@llm-playground/nn';

export interface TrainerOptions {
  seed: number;
  /** Learning rate of plain gradient descent (the lecture's 50). */
  lr: number;
  /** λ of the λ·mean(W²) penalty (the lecture's 0.01). */
  lambda: number;
}

/** What one step reports: the loss at the weights before the update, as the lecture prints it. */
export interface StepResult {
  step: number;
  /** Data loss + λ·mean(W²). */
  loss: number;
  /** The cross-entropy part alone (comparable with the count model's NLL). */
  dataLoss: number;
}

/** Why training stopped by itself. */
export interface Divergence {
  step: number;
  loss: number;
  lr: number;
  message: string;
}

/**
 * A loss above this is divergence even if finite: a uniform guess scores log V ≈ 3.3, and with
 * λ ≤ 10 the penalty of the initial randn weights is about λ.
 */
export const EXPLODED_LOSS = 1000;

/**
 * Full-batch gradient descent on the bigram net.
 *
 * @example
 * ```ts
 * const trainer = new BigramNetTrainer(bundledNames().words, { seed: 2147483647, lr: 50, lambda: 0.01 });
 * trainer.step().loss; // ≈ 3.8538 (random W)
 * for (let i = 0; i < 200; i++) trainer.step();
 * trainer.step().dataLoss; // ≈ 2.44, close to the count model's 2.4187
 * ```
 */
export class BigramNetTrainer {
  readonly tokenizer: CharTokenizer;
  readonly V: number;
  /** The pair counts N (float64, row-major V×V). */
  readonly counts: Float64Array;
  /** Σ N: the number of bigrams. */
  readonly total: number;
  /** The count model's NLL on the data, unsmoothed: the lowest data loss a bigram model can reach. */
  readonly countLoss: number;
  private readonly data: { X: Int32Array; Y: Int32Array; length: number; blockSize: number };
  private net!: BigramNet;
  private objective!: () => ReturnType<BigramNet['loss']>;
  private optimizer!: Optimizer;
  private options: TrainerOptions;
  /** Number of updates done. */
  steps = 0;

  constructor(words: readonly string[], options: TrainerOptions) {
    this.tokenizer = CharTokenizer.fromWords(words);
    this.V = this.tokenizer.vocabSize;
    const { xs, ys, length } = buildBigrams(words, this.tokenizer);
    this.data = { X: xs, Y: ys, length, blockSize: 1 };
    const V = this.V;
    this.counts = new Float64Array(V * V);
    for (let i = 0; i < length; i++) this.counts[xs[i] * V + ys[i]] += 1;
    this.total = length;
    this.countLoss = smoothedCountLoss(this.counts, V, 0);
    this.options = { ...options };
    this.reset(options.seed);
  }

  /** New random weights W ~ randn(V, V) from `Generator(seed)`; step count back to 0. */
  reset(seed: number = this.options.seed): void {
    this.options.seed = seed;
    this.net = new BigramNet(
      { kind: 'bigram-net', vocabSize: this.V, blockSize: 1, regularization: this.options.lambda },
      { generator: new Generator(seed) },
    );
    this.rebuild();
    this.steps = 0;
  }

  /** Changes lr and/or λ in place: training continues from the current weights. */
  configure(patch: Partial<Pick<TrainerOptions, 'lr' | 'lambda'>>): void {
    if (patch.lr !== undefined) checkNonNegative(patch.lr, 'lr');
    if (patch.lambda !== undefined) checkNonNegative(patch.lambda, 'lambda');
    const lambdaChanged = patch.lambda !== undefined && patch.lambda !== this.options.lambda;
    this.options = { ...this.options, ...patch };
    if (lambdaChanged) {
      // BigramNet fixes λ in its config: build one with the new λ and carry the weights over.
      const previous = this.net.W;
      this.net = new BigramNet(
        {
          kind: 'bigram-net',
          vocabSize: this.V,
          blockSize: 1,
          regularization: this.options.lambda,
        },
        { generator: new Generator(0) },
      );
      this.net.loadStateDict({ W: previous.detach() });
      this.rebuild();
    } else {
      for (const group of this.optimizer.paramGroups) group.lr = this.options.lr;
    }
  }

  get lr(): number {
    return this.options.lr;
  }

  get lambda(): number {
    return this.options.lambda;
  }

  /** One full-batch gradient-descent update; returns the loss before it. */
  step(): StepResult {
    const lossTensor = this.objective();
    const loss = lossTensor.item();
    const penalty = this.options.lambda * meanSquare(this.net.W.data);
    this.optimizer.zeroGrad();
    lossTensor.backward();
    this.optimizer.step();
    this.steps++;
    return { step: this.steps - 1, loss, dataLoss: loss - penalty };
  }

  /** The reason to stop if `result` shows divergence (NaN, ±Infinity or an exploded loss), else null. */
  divergence(result: StepResult): Divergence | null {
    const { loss, step } = result;
    if (Number.isFinite(loss) && loss <= EXPLODED_LOSS) return null;
    const lr = this.options.lr;
    const what = Number.isFinite(loss)
      ? `exploded to ${loss.toPrecision(4)} (a uniform guess scores log ${this.V} ≈ ${Math.log(this.V).toFixed(2)})`
      : `became ${loss}`;
    return {
      step,
      loss,
      lr,
      message:
        `Training diverged: the loss ${what} at step ${step} with learning rate ${lr}. ` +
        'Each step moved W so far that it overshot the minimum and the weights blew up. ' +
        `Try a lower learning rate (e.g. ${Math.max(lr / 100, 0.1)}) and reset.`,
    };
  }

  /** A copy of W (float32, row-major V×V). */
  weights(): Float32Array {
    return Float32Array.from(this.net.W.data);
  }

  private rebuild(): void {
    this.objective = this.net.fullBatchObjective(this.data);
    this.optimizer = createOptimizer('sgd', [this.net.W], { lr: this.options.lr });
  }
}

function checkNonNegative(x: number, name: string): void {
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new RangeError(
      `Argument '${name}' passed to 'BigramNetTrainer.configure' must be a finite number ≥ 0, got ${x}`,
    );
  }
}

function meanSquare(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return s / values.length;
}

/**
 * The NLL on the data of the count model with add-k smoothing, from the counts alone:
 * −Σ_ij N_ij·log((N_ij + k) / (R_i + V·k)) / Σ N, with R_i the row sums. k = 0 is the maximum
 * likelihood estimate, so this grows with k.
 *
 * @example
 * ```ts
 * smoothedCountLoss(Float64Array.from([0, 2, 2, 0]), 2, 0); // 0
 * smoothedCountLoss(Float64Array.from([0, 2, 2, 0]), 2, 1); // −log(3/4) ≈ 0.2877
 * ```
 */
export function smoothedCountLoss(counts: ArrayLike<number>, V: number, k: number): number {
  let logLikelihood = 0;
  let total = 0;
  for (let i = 0; i < V; i++) {
    let rowSum = 0;
    for (let j = 0; j < V; j++) rowSum += counts[i * V + j];
    if (rowSum === 0) continue;
    const denominator = rowSum + V * k;
    for (let j = 0; j < V; j++) {
      const n = counts[i * V + j];
      if (n > 0) logLikelihood += n * Math.log((n + k) / denominator);
    }
    total += rowSum;
  }
  return total > 0 ? -logLikelihood / total : Number.NaN;
}

/**
 * The add-k smoothing whose count model has the same data loss as the net: solves
 * smoothedCountLoss(k) = dataLoss by bisection (the loss grows with k). It makes "λ acts like
 * smoothing" a number. Returns 0 below the count model's loss and Infinity at or beyond the
 * uniform model's log V.
 *
 * @example
 * ```ts
 * const counts = Float64Array.from([0, 2, 2, 0]);
 * equivalentSmoothing(counts, 2, smoothedCountLoss(counts, 2, 3)); // ≈ 3
 * ```
 */
export function equivalentSmoothing(
  counts: ArrayLike<number>,
  V: number,
  dataLoss: number,
): number {
  if (!Number.isFinite(dataLoss)) return Number.NaN;
  if (dataLoss <= smoothedCountLoss(counts, V, 0)) return 0;
  if (dataLoss >= Math.log(V)) return Infinity;
  let low = 0;
  let high = 1;
  while (smoothedCountLoss(counts, V, high) < dataLoss) {
    high *= 2;
    if (high > 1e12) return Infinity;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (smoothedCountLoss(counts, V, mid) < dataLoss) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Subtracts each row's mean. Softmax ignores a constant added to a row, so W can only converge to
 * log N up to one constant per row: centring both makes them comparable on one colour scale.
 *
 * @example
 * ```ts
 * Array.from(centerRows(Float32Array.from([1, 3, 10, 20]), 2)); // [-1, 1, -5, 5]
 * ```
 */
export function centerRows(matrix: ArrayLike<number>, V: number): Float32Array {
  const out = new Float32Array(V * V);
  for (let i = 0; i < V; i++) {
    let mean = 0;
    for (let j = 0; j < V; j++) mean += matrix[i * V + j];
    mean /= V;
    for (let j = 0; j < V; j++) out[i * V + j] = matrix[i * V + j] - mean;
  }
  return out;
}

/**
 * log(N + k) of every pair, row-centred: what W converges to. k = 1 (the lecture's smoothing)
 * keeps never-seen pairs finite; the net gets there too only because λ stops W at a finite value.
 *
 * @example
 * ```ts
 * Array.from(centeredLogCounts(Float64Array.from([0, 2, 2, 0]), 2, 1)).map((x) => x.toFixed(3)); // ['-0.549', '0.549', '0.549', '-0.549']
 * ```
 */
export function centeredLogCounts(counts: ArrayLike<number>, V: number, k = 1): Float32Array {
  const logs = new Float64Array(V * V);
  for (let i = 0; i < V * V; i++) logs[i] = Math.log(counts[i] + k);
  return centerRows(logs, V);
}
