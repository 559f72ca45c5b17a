/**
 * The backward passes of makemore part 4, written by hand in tensor ops (no autograd):
 * exercise 1 backpropagates through every intermediate of `forwardSteps` one at a time, exercise 2
 * through the cross-entropy in one expression (`dlogits = (softmax − onehot)/n`), exercise 3
 * through the BatchNorm in one expression, and `fusedBackward` chains 2 and 3 for the training of
 * exercise 4. Each line is the lecture's formula; the comments give the local derivative.
 */
import { noGrad, oneHot, onesLike, type Tensor, zerosLike } from '@llm-playground/tensor';
import {
  BACKPROP_BN_EPS,
  type BackpropIntermediateName,
  type BackpropMlpParameters,
  type BackpropParameterName,
  checkBatch,
  type FastForward,
  type ForwardSteps,
} from './network.js';

/** A gradient for every intermediate and every parameter: `grads.h` is the lecture's `dh`. */
export type ManualGradients = Record<BackpropIntermediateName | BackpropParameterName, Tensor>;

/**
 * `dC` from `demb`: the embedding's backward is a scatter-add, one row of `C` per token —
 * the lecture's loop `for k, j: dC[Xb[k, j]] += demb[k, j]`, in the same order.
 */
export function embeddingBackward(demb: Tensor, Xb: Tensor, C: Tensor): Tensor {
  return noGrad(() => {
    const dC = zerosLike(C);
    const ids = Xb.contiguous().data;
    const [n, block] = Xb.shape;
    for (let k = 0; k < n; k++) {
      const row = demb.select(0, k);
      for (let j = 0; j < block; j++) dC.select(0, ids[k * block + j]).add_(row.select(0, j));
    }
    return dC;
  });
}

/**
 * Exercise 1: the gradient of the loss with respect to every intermediate of `steps` and every
 * parameter, each from the one before it, exactly as the lecture writes them.
 *
 * Bit-exact agreement with autograd needs n to be a power of two: `dprobs = (1/probs)·dlogprobs`
 * rounds like autograd's `grad/probs` only when −1/n is exact (with n = 3, float64 `probs` differs
 * by 1.8e-15 and every gradient below it by ~1e-16).
 *
 * NOTE: `dbnmeani` keeps its dimension (`sum(0, keepdim=True)`, shape [1, n_hidden] like `bnmeani`);
 * the lecture's `(-dbndiff).sum(0)` has shape [n_hidden], which its `cmp` lets pass by
 * broadcasting. The values are the same.
 *
 * @example
 * ```ts
 * const params = initBackpropMlp({ vocabSize: 27, dtype: 'float64' });
 * // ..., ..e, .em, emm → e, m, m, a: n = 4, a power of two like the lecture's 32
 * const Xb = tensor([[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13]]);
 * const Yb = tensor([5, 13, 13, 1]);
 * const steps = forwardSteps(params, Xb, Yb);
 * // autograd's answer, kept in each intermediate's .grad:
 * steps.loss.backward();
 * const grads = manualBackward(params, steps, Xb, Yb);
 * cmp('hprebn', grads.hprebn, steps.hprebn).exact; // true
 * ```
 */
export function manualBackward(
  params: BackpropMlpParameters,
  steps: ForwardSteps,
  Xb: Tensor,
  Yb: Tensor,
): ManualGradients {
  const n = checkBatch(params, Xb, Yb, 'manualBackward');
  const { C, W1, W2, bngain } = params;
  const s = steps;
  return noGrad(() => {
    const V = s.logits.shape[1];
    // loss = −mean(logprobs[i, Yb[i]]): −1/n at each row's target, 0 elsewhere.
    const dlogprobs = oneHot(Yb, V)
      .to(s.logprobs.dtype)
      .mul(-1 / n);
    // log: d/dx log x = 1/x
    const dprobs = s.probs.rdiv(1).mul(dlogprobs);
    // probs = counts · counts_sum_inv, broadcast over columns: the [n, 1] factor sums its row.
    const dcounts_sum_inv = s.counts.mul(dprobs).sum(1, true);
    let dcounts = s.counts_sum_inv.mul(dprobs);
    // x^−1 → −x^−2
    const dcounts_sum = s.counts_sum.pow(-2).neg().mul(dcounts_sum_inv);
    // counts_sum = Σ_j counts: every element of the row receives the row's gradient.
    dcounts = dcounts.add(onesLike(s.counts).mul(dcounts_sum));
    // exp: its own derivative
    const dnorm_logits = s.counts.mul(dcounts);
    // norm_logits = logits − logit_maxes: straight through, and minus the row sum to the max…
    let dlogits = dnorm_logits.clone();
    const dlogit_maxes = dnorm_logits.neg().sum(1, true);
    // …which flows back to the position of each row's maximum.
    dlogits = dlogits.add(oneHot(s.logits.max(1).indices, V).mul(dlogit_maxes));
    // Linear layer 2: logits = h @ W2 + b2
    const dh = dlogits.matmul(W2.T);
    const dW2 = s.h.T.matmul(dlogits);
    const db2 = dlogits.sum(0);
    // tanh: 1 − tanh²
    const dhpreact = s.h.pow(2).rsub(1).mul(dh);
    // hpreact = bngain · bnraw + bnbias, bngain and bnbias broadcast over the batch
    const dbngain = s.bnraw.mul(dhpreact).sum(0, true);
    const dbnraw = bngain.mul(dhpreact);
    const dbnbias = dhpreact.sum(0, true);
    // bnraw = bndiff · bnvar_inv
    let dbndiff = s.bnvar_inv.mul(dbnraw);
    const dbnvar_inv = s.bndiff.mul(dbnraw).sum(0, true);
    // (x + ε)^−½ → −½(x + ε)^−3/2
    const dbnvar = s.bnvar.add(BACKPROP_BN_EPS).pow(-1.5).mul(-0.5).mul(dbnvar_inv);
    // bnvar = 1/(n−1) Σ_i bndiff2
    const dbndiff2 = onesLike(s.bndiff2)
      .mul(1 / (n - 1))
      .mul(dbnvar);
    // bndiff2 = bndiff²
    dbndiff = dbndiff.add(s.bndiff.mul(2).mul(dbndiff2));
    // bndiff = hprebn − bnmeani
    let dhprebn = dbndiff.clone();
    const dbnmeani = dbndiff.neg().sum(0, true);
    // bnmeani = 1/n Σ_i hprebn
    dhprebn = dhprebn.add(
      onesLike(s.hprebn)
        .mul(dbnmeani)
        .mul(1 / n),
    );
    // Linear layer 1: hprebn = embcat @ W1 + b1
    const dembcat = dhprebn.matmul(W1.T);
    const dW1 = s.embcat.T.matmul(dhprebn);
    const db1 = dhprebn.sum(0);
    // embcat = emb.view(n, −1)
    const demb = dembcat.view(...s.emb.shape);
    const dC = embeddingBackward(demb, Xb, C);
    return {
      logprobs: dlogprobs,
      probs: dprobs,
      counts_sum_inv: dcounts_sum_inv,
      counts_sum: dcounts_sum,
      counts: dcounts,
      norm_logits: dnorm_logits,
      logit_maxes: dlogit_maxes,
      logits: dlogits,
      h: dh,
      W2: dW2,
      b2: db2,
      hpreact: dhpreact,
      bngain: dbngain,
      bnbias: dbnbias,
      bnraw: dbnraw,
      bnvar_inv: dbnvar_inv,
      bnvar: dbnvar,
      bndiff2: dbndiff2,
      bndiff: dbndiff,
      bnmeani: dbnmeani,
      hprebn: dhprebn,
      embcat: dembcat,
      W1: dW1,
      b1: db1,
      emb: demb,
      C: dC,
    };
  });
}

/**
 * Exercise 2: the cross-entropy's backward in one expression. With p = softmax(logits) per row,
 * ∂loss/∂logits[i, j] = (p[i, j] − [j = Yb[i]]) / n: `dlogits = F.softmax(logits, 1);
 * dlogits[range(n), Yb] -= 1; dlogits /= n`.
 *
 * @example
 * ```ts
 * crossEntropyBackward(tensor([[0, 0]], { dtype: 'float32' }), tensor([1])).tolist(); // [[0.5, -0.5]]
 * ```
 */
export function crossEntropyBackward(logits: Tensor, Yb: Tensor): Tensor {
  if (logits.ndim !== 2 || Yb.ndim !== 1 || Yb.shape[0] !== logits.shape[0]) {
    throw new RangeError(
      `crossEntropyBackward: expected logits [n, V] and Yb [n], got [${logits.shape.join(', ')}] and [${Yb.shape.join(', ')}]`,
    );
  }
  const [n, V] = logits.shape;
  return noGrad(() => logits.softmax(1).sub(oneHot(Yb, V)).div(n));
}

/** What exercise 3's formula reads from the forward pass. */
export interface BatchNormSaved {
  bngain: Tensor;
  bnvar_inv: Tensor;
  bnraw: Tensor;
}

/**
 * Exercise 3: BatchNorm's backward in one expression, from `dhpreact` to `dhprebn`. With
 * x̂ = bnraw, γ = bngain, σ̂⁻¹ = bnvar_inv and Bessel's n−1 in the variance:
 * dx = γσ̂⁻¹/n · (n·dy − Σ_i dy − n/(n−1) · x̂ · Σ_i dy·x̂), the lecture's
 * `bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))`.
 */
export function batchNormBackward(dhpreact: Tensor, saved: BatchNormSaved): Tensor {
  const { bngain, bnvar_inv, bnraw } = saved;
  if (dhpreact.ndim !== 2 || bnraw.shape.join() !== dhpreact.shape.join()) {
    throw new RangeError(
      `batchNormBackward: dhpreact and bnraw must have the same shape [n, n_hidden], got [${dhpreact.shape.join(', ')}] and [${bnraw.shape.join(', ')}]`,
    );
  }
  const n = dhpreact.shape[0];
  return noGrad(() =>
    bngain
      .mul(bnvar_inv)
      .div(n)
      .mul(
        dhpreact
          .mul(n)
          .sub(dhpreact.sum(0))
          .sub(bnraw.mul(n / (n - 1)).mul(dhpreact.mul(bnraw).sum(0))),
      ),
  );
}

/** The gradients `fusedBackward` computes: the parameters' and the few intermediates on the way. */
export type FusedGradients = Record<
  BackpropParameterName | 'logits' | 'h' | 'hpreact' | 'hprebn' | 'embcat' | 'emb',
  Tensor
>;

/**
 * Exercise 4's backward pass: exercise 2 for the loss, the linear layers and tanh as in exercise 1,
 * exercise 3 for the BatchNorm. Works on `forwardSteps` (exercise 1's forward) as well as on
 * `fastForward`.
 */
export function fusedBackward(
  params: BackpropMlpParameters,
  forward: FastForward | ForwardSteps,
  Xb: Tensor,
  Yb: Tensor,
): FusedGradients {
  checkBatch(params, Xb, Yb, 'fusedBackward');
  const { C, W1, W2, bngain } = params;
  const { h, bnraw, bnvar_inv, embcat, emb, logits } = forward;
  return noGrad(() => {
    const dlogits = crossEntropyBackward(logits, Yb);
    // 2nd layer
    const dh = dlogits.matmul(W2.T);
    const dW2 = h.T.matmul(dlogits);
    const db2 = dlogits.sum(0);
    // tanh
    const dhpreact = h.pow(2).rsub(1).mul(dh);
    // BatchNorm
    const dbngain = bnraw.mul(dhpreact).sum(0, true);
    const dbnbias = dhpreact.sum(0, true);
    const dhprebn = batchNormBackward(dhpreact, { bngain, bnvar_inv, bnraw });
    // 1st layer
    const dembcat = dhprebn.matmul(W1.T);
    const dW1 = embcat.T.matmul(dhprebn);
    const db1 = dhprebn.sum(0);
    // embedding
    const demb = dembcat.view(...emb.shape);
    const dC = embeddingBackward(demb, Xb, C);
    return {
      logits: dlogits,
      h: dh,
      W2: dW2,
      b2: db2,
      hpreact: dhpreact,
      bngain: dbngain,
      bnbias: dbnbias,
      hprebn: dhprebn,
      embcat: dembcat,
      W1: dW1,
      b1: db1,
      emb: demb,
      C: dC,
    };
  });
}
