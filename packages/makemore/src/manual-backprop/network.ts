/**
 * The network of makemore part 4 ("becoming a backprop ninja"): the part 3 MLP with BatchNorm —
 * embedding → linear → BatchNorm → tanh → linear → cross-entropy — written as the lecture's
 * explicit forward steps, every intermediate kept (and, for the check against autograd, retaining
 * its gradient), plus the compact forward of exercise 4, BatchNorm's calibration over the training
 * set and the lecture's `split_loss`.
 *
 * NOTE: the intermediates keep the lecture's variable names (`bnvar_inv`, `logit_maxes`,
 * `counts_sum_inv`, …) instead of camelCase, so the `cmp` table, the code and the notebook read the
 * same line for line.
 */
import { Generator } from '@llm-playground/core';
import type { ContextDataset } from '@llm-playground/data';
import { F } from '@llm-playground/nn';
import { arange, type DType, noGrad, randn, Tensor, tensor } from '@llm-playground/tensor';

/** The lecture's seed of `g`, which draws C, W1, b1, W2, b2 and then the minibatches. */
export const BACKPROP_SEED = 2147483647;

/**
 * The seed of the generator that draws `bngain` and `bnbias`: 67280421310721, PyTorch's
 * `default_rng_seed_val` (also tensor's `getDefaultGenerator()` seed).
 *
 * NOTE: the lecture draws these two from torch's global generator, which Python seeds at random in
 * every process (`torch.initial_seed()` differs run to run), so its first loss (3.3377) cannot be
 * reproduced. A separate generator keeps `g`'s stream — and so the lecture's minibatch — intact;
 * with this seed PyTorch 1.13 prints the first loss 3.3345840 (float32).
 */
export const BACKPROP_BN_SEED = 67280421310721;

/** The parameters of the lecture's network, in the lecture's order (`parameters`). */
export interface BackpropMlpParameters {
  C: Tensor;
  W1: Tensor;
  b1: Tensor;
  W2: Tensor;
  b2: Tensor;
  bngain: Tensor;
  bnbias: Tensor;
}

/** The names of `BackpropMlpParameters`, in the lecture's order. */
export const BACKPROP_PARAMETER_NAMES = ['C', 'W1', 'b1', 'W2', 'b2', 'bngain', 'bnbias'] as const;
export type BackpropParameterName = (typeof BACKPROP_PARAMETER_NAMES)[number];

/** Options of `initBackpropMlp`. */
export interface BackpropMlpOptions {
  /** Vocabulary size (27 on names.txt). */
  vocabSize: number;
  /** Context length (default 3). */
  blockSize?: number;
  /** Embedding size (default 10). */
  nEmbd?: number;
  /** Hidden units (default 64, exercises 1–3; exercise 4 uses 200). */
  nHidden?: number;
  /** Draws C, W1, b1, W2, b2 (default `new Generator(BACKPROP_SEED)`); left ready for the minibatches. */
  generator?: Generator;
  /** Draws bngain and bnbias (default `new Generator(BACKPROP_BN_SEED)`, see `BACKPROP_BN_SEED`). */
  bnGenerator?: Generator;
  /**
   * `'float32'` (default, the lecture's) or `'float64'`: the draws are float32 (PyTorch's stream)
   * and then cast, as `p.double()` would.
   */
  dtype?: DType;
  /** Leaves that require grad (default true). */
  requiresGrad?: boolean;
}

/**
 * The lecture's initialisation, non-standard on purpose (an all-zero start, say, could hide a
 * wrong backward pass): `C = randn(V, n_embd)`, `W1 = randn(n_embd·block, n_hidden)·(5/3)/√(n_embd·block)`,
 * `b1 = randn(n_hidden)·0.1`, `W2 = randn(n_hidden, V)·0.1`, `b2 = randn(V)·0.1` from `generator`,
 * then `bngain = randn(1, n_hidden)·0.1 + 1`, `bnbias = randn(1, n_hidden)·0.1` from `bnGenerator`.
 *
 * @example
 * ```ts
 * const p = initBackpropMlp({ vocabSize: 27 });
 * p.W1.shape; // [30, 64]
 * BACKPROP_PARAMETER_NAMES.reduce((n, k) => n + p[k].numel(), 0); // 4137
 * ```
 */
export function initBackpropMlp(options: BackpropMlpOptions): BackpropMlpParameters {
  const { vocabSize, blockSize = 3, nEmbd = 10, nHidden = 64 } = options;
  for (const [name, value] of Object.entries({ vocabSize, blockSize, nEmbd, nHidden })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Argument '${name}' passed to 'initBackpropMlp' must be a positive integer, got ${value}`,
      );
    }
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(
      `Argument 'dtype' passed to 'initBackpropMlp' must be 'float32' or 'float64', got ${dtype}`,
    );
  }
  const g = options.generator ?? new Generator(BACKPROP_SEED);
  const gbn = options.bnGenerator ?? new Generator(BACKPROP_BN_SEED);
  const fanIn = nEmbd * blockSize;
  const drawn: BackpropMlpParameters = {
    C: randn([vocabSize, nEmbd], { generator: g }),
    W1: randn([fanIn, nHidden], { generator: g })
      .mul(5 / 3)
      .div(fanIn ** 0.5),
    b1: randn([nHidden], { generator: g }).mul(0.1),
    W2: randn([nHidden, vocabSize], { generator: g }).mul(0.1),
    b2: randn([vocabSize], { generator: g }).mul(0.1),
    bngain: randn([1, nHidden], { generator: gbn }).mul(0.1).add(1),
    bnbias: randn([1, nHidden], { generator: gbn }).mul(0.1),
  };
  const requiresGrad = options.requiresGrad ?? true;
  for (const name of BACKPROP_PARAMETER_NAMES) {
    const p = drawn[name].to(dtype).detach();
    drawn[name] = requiresGrad ? p.requiresGrad_() : p;
  }
  return drawn;
}

/** The intermediates of `ForwardSteps` (all but `loss`), in the order the lecture's `cmp` lines check them. */
export const BACKPROP_INTERMEDIATE_NAMES = [
  'logprobs',
  'probs',
  'counts_sum_inv',
  'counts_sum',
  'counts',
  'norm_logits',
  'logit_maxes',
  'logits',
  'h',
  'hpreact',
  'bnraw',
  'bnvar_inv',
  'bnvar',
  'bndiff2',
  'bndiff',
  'bnmeani',
  'hprebn',
  'embcat',
  'emb',
] as const;
export type BackpropIntermediateName = (typeof BACKPROP_INTERMEDIATE_NAMES)[number];

/** Every tensor of the lecture's forward pass, under the lecture's names (`steps.bnvar_inv`, …). */
export type ForwardSteps = Record<BackpropIntermediateName | 'loss', Tensor>;

/** BatchNorm's ε (PyTorch's default, the lecture's `1e-5`). */
export const BACKPROP_BN_EPS = 1e-5;

/** Checks a minibatch against the parameters; returns its size n. */
export function checkBatch(
  params: BackpropMlpParameters,
  Xb: Tensor,
  Yb: Tensor,
  op: string,
): number {
  const [V, nEmbd] = params.C.shape;
  if (Xb.ndim !== 2 || Xb.shape[1] * nEmbd !== params.W1.shape[0]) {
    throw new RangeError(
      `${op}: Xb must be [n, blockSize] with blockSize·nEmbd = W1.shape[0] = ${params.W1.shape[0]}, got shape [${Xb.shape.join(', ')}]`,
    );
  }
  const n = Xb.shape[0];
  if (Yb.ndim !== 1 || Yb.shape[0] !== n) {
    throw new RangeError(
      `${op}: Yb must be [n] with n = ${n} (Xb's rows), got shape [${Yb.shape.join(', ')}]`,
    );
  }
  if (n < 2) {
    // PyTorch's BatchNorm1d says the same for one example per channel in training mode.
    throw new RangeError(
      `${op}: Expected more than 1 value per channel when training, got input size [${n}, ${params.W1.shape[1]}]: the batch needs at least 2 examples (Bessel's 1/(n−1))`,
    );
  }
  if (Xb.dtype !== 'int32' || Yb.dtype !== 'int32') {
    throw new TypeError(
      `${op}: Xb and Yb must be int32 token ids, got ${Xb.dtype} and ${Yb.dtype}`,
    );
  }
  for (const t of Yb.data) {
    if (t < 0 || t >= V)
      throw new RangeError(`${op}: target ${t} is out of bounds for ${V} classes`);
  }
  return n;
}

/**
 * The lecture's forward pass, "chunkated into smaller steps that are possible to backward one at a
 * time". With `retainGrad` (default true, when the parameters require grad) every intermediate
 * keeps its gradient, so after `loss.backward()` each `steps[name].grad` is autograd's answer for
 * `cmp`. BatchNorm uses Bessel's correction, 1/(n−1), and ε = 1e-5.
 *
 * @example
 * ```ts
 * const p = initBackpropMlp({ vocabSize: 27 });
 * const Xb = tensor([[0, 0, 0], [0, 0, 5], [0, 5, 13]]); // ..., ..e, .em
 * const Yb = tensor([5, 13, 13]); // e, m, m
 * const steps = forwardSteps(p, Xb, Yb);
 * steps.loss.backward();
 * console.log(steps.bnvar_inv.grad?.shape); // [ 1, 64 ]
 * ```
 */
export function forwardSteps(
  params: BackpropMlpParameters,
  Xb: Tensor,
  Yb: Tensor,
  options: { retainGrad?: boolean } = {},
): ForwardSteps {
  const n = checkBatch(params, Xb, Yb, 'forwardSteps');
  const { C, W1, b1, W2, b2, bngain, bnbias } = params;
  const emb = C.index(Xb); // embed the characters into vectors
  const embcat = emb.view(emb.shape[0], -1); // concatenate the vectors
  // Linear layer 1
  const hprebn = embcat.matmul(W1).add(b1); // hidden layer pre-activation
  // BatchNorm layer
  const bnmeani = hprebn.sum(0, true).mul(1 / n);
  const bndiff = hprebn.sub(bnmeani);
  const bndiff2 = bndiff.pow(2);
  const bnvar = bndiff2.sum(0, true).mul(1 / (n - 1)); // Bessel's correction: n−1, not n
  const bnvar_inv = bnvar.add(BACKPROP_BN_EPS).pow(-0.5);
  const bnraw = bndiff.mul(bnvar_inv);
  const hpreact = bngain.mul(bnraw).add(bnbias);
  // Non-linearity
  const h = hpreact.tanh();
  // Linear layer 2
  const logits = h.matmul(W2).add(b2);
  // cross entropy loss (same as F.cross_entropy(logits, Yb))
  const logit_maxes = logits.max(1, true).values;
  const norm_logits = logits.sub(logit_maxes); // subtract max for numerical stability
  const counts = norm_logits.exp();
  const counts_sum = counts.sum(1, true);
  const counts_sum_inv = counts_sum.pow(-1); // the lecture: 1.0/counts_sum is not bit exact
  const probs = counts.mul(counts_sum_inv);
  const logprobs = probs.log();
  const loss = logprobs.index(arange(n), Yb).mean().neg();
  const steps: ForwardSteps = {
    emb,
    embcat,
    hprebn,
    bnmeani,
    bndiff,
    bndiff2,
    bnvar,
    bnvar_inv,
    bnraw,
    hpreact,
    h,
    logits,
    logit_maxes,
    norm_logits,
    counts,
    counts_sum,
    counts_sum_inv,
    probs,
    logprobs,
    loss,
  };
  if ((options.retainGrad ?? true) && loss.requiresGrad) {
    for (const name of BACKPROP_INTERMEDIATE_NAMES) steps[name].retainGrad();
  }
  return steps;
}

/** Exercise 4's forward: BatchNorm through `mean` and `var`, the loss through `F.crossEntropy`. */
export type FastForward = Record<
  'emb' | 'embcat' | 'hprebn' | 'bnvar_inv' | 'bnraw' | 'hpreact' | 'h' | 'logits' | 'loss',
  Tensor
>;

/**
 * The compact forward pass of exercise 4 (`hprebn.mean(0)`, `hprebn.var(0, unbiased=True)`,
 * `F.cross_entropy`), keeping what `fusedBackward` needs.
 */
export function fastForward(params: BackpropMlpParameters, Xb: Tensor, Yb: Tensor): FastForward {
  checkBatch(params, Xb, Yb, 'fastForward');
  const { C, W1, b1, W2, b2, bngain, bnbias } = params;
  const emb = C.index(Xb);
  const embcat = emb.view(emb.shape[0], -1);
  const hprebn = embcat.matmul(W1).add(b1);
  const bnmean = hprebn.mean(0, true);
  const bnvar = hprebn.var(0, true, true);
  const bnvar_inv = bnvar.add(BACKPROP_BN_EPS).pow(-0.5);
  const bnraw = hprebn.sub(bnmean).mul(bnvar_inv);
  const hpreact = bngain.mul(bnraw).add(bnbias);
  const h = hpreact.tanh();
  const logits = h.matmul(W2).add(b2);
  const loss = F.crossEntropy(logits, Yb);
  return { emb, embcat, hprebn, bnvar_inv, bnraw, hpreact, h, logits, loss };
}

/** BatchNorm's statistics over a whole dataset (the lecture's "calibrate the batch norm"). */
export interface BatchNormStats {
  bnmean: Tensor;
  bnvar: Tensor;
}

const CHUNK = 8192;

/** `hprebn = C[X]·W1 + b1` for rows [from, to) of `data`. */
function preactivations(
  params: BackpropMlpParameters,
  data: ContextDataset,
  from: number,
  to: number,
) {
  const X = new Tensor(data.X.slice(from * data.blockSize, to * data.blockSize), [
    to - from,
    data.blockSize,
  ]);
  return params.C.index(X)
    .view(to - from, -1)
    .matmul(params.W1)
    .add(params.b1);
}

/**
 * The mean and unbiased variance of `hprebn` over all of `data` (the lecture passes the whole
 * training set through at once), with the parameters as they are.
 *
 * NOTE: computed in one pass over chunks of 8,192 rows, with float64 sums of x and x² (var =
 * (Σx² − (Σx)²/N)/(N − 1); in float64 the cancellation costs nothing visible in float32 for these
 * O(1) activations), not in one float32 reduction over 182,625 × 200 numbers: the same statistics
 * to float32 precision without the lecture's 150 MB intermediates.
 */
export function calibrateBatchNorm(
  params: BackpropMlpParameters,
  data: ContextDataset,
): BatchNormStats {
  const N = data.length;
  if (N < 2) {
    throw new RangeError(`calibrateBatchNorm: the data needs at least 2 examples, got ${N}`);
  }
  const H = params.W1.shape[1];
  const sum = new Float64Array(H);
  const squares = new Float64Array(H);
  noGrad(() => {
    for (let from = 0; from < N; from += CHUNK) {
      const to = Math.min(N, from + CHUNK);
      const x = preactivations(params, data, from, to).data;
      for (let r = 0; r < to - from; r++) {
        for (let j = 0; j < H; j++) {
          const v = x[r * H + j];
          sum[j] += v;
          squares[j] += v * v;
        }
      }
    }
  });
  const dtype = params.W1.dtype;
  const mean = Array.from(sum, (s) => s / N);
  const variance = Array.from(squares, (q, j) => (q - (sum[j] * sum[j]) / N) / (N - 1));
  return {
    bnmean: tensor([mean], { dtype }),
    bnvar: tensor([variance], { dtype }),
  };
}

/**
 * The lecture's `split_loss`: the mean cross-entropy over `data` with BatchNorm in inference mode
 * (`bngain·(hpreact − bnmean)·(bnvar + ε)^−½ + bnbias`), in chunks of 8,192 rows.
 */
export function splitLoss(
  params: BackpropMlpParameters,
  stats: BatchNormStats,
  data: ContextDataset,
): number {
  const N = data.length;
  if (N === 0) return Number.NaN;
  let total = 0;
  noGrad(() => {
    const scale = stats.bnvar.add(BACKPROP_BN_EPS).pow(-0.5);
    for (let from = 0; from < N; from += CHUNK) {
      const to = Math.min(N, from + CHUNK);
      const hpreact = params.bngain
        .mul(preactivations(params, data, from, to).sub(stats.bnmean))
        .mul(scale)
        .add(params.bnbias);
      const logits = hpreact.tanh().matmul(params.W2).add(params.b2);
      const Y = new Tensor(data.Y.slice(from, to), [to - from]);
      total += F.crossEntropy(logits, Y, { reduction: 'sum' }).item();
    }
  });
  return total / N;
}
