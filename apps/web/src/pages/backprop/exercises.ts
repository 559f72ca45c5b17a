/**
 * The data of the backprop-ninja page (makemore part 4): the lecture's forward pass as code, and
 * for every gradient the learner writes — exercise 1's 26 lines, exercise 2's fused `dlogits`,
 * exercise 3's fused `dhprebn` — the forward line it flows back through, a hint and the solution.
 * The solutions are `manualBackward`'s formulas (makemore's `manual-backprop/backward.ts`) written
 * as box bodies; `exercises.test.ts` runs each through the page's evaluator and expects ✓ or ≈.
 *
 * A box is the body of a function that receives every forward tensor under the lecture's name
 * (`logprobs`, `bnvar_inv`, …), the parameters (`C`, `W1`, `b1`, `W2`, `b2`, `bngain`, `bnbias`),
 * the batch (`Xb`, `Yb`, `n`), the gradients checked before it (`dlogprobs`, …), and the tensor
 * API (`zerosLike`, `onesLike`, `oneHot`, …); it returns the gradient as a Tensor.
 */

/** Names of the tensor API handed to every box (keys of `BOX_API` in `evaluator.ts`). */
export const API_NAMES = [
  'tensor',
  'zeros',
  'ones',
  'zerosLike',
  'onesLike',
  'fullLike',
  'oneHot',
  'arange',
  'cat',
  'stack',
] as const;

/** The lecture's forward pass (`forwardSteps` in makemore), one statement per line. */
export const FORWARD_CODE = `const emb = C.index(Xb);                  // embed the characters into vectors
const embcat = emb.view(n, -1);           // concatenate the vectors
const hprebn = embcat.matmul(W1).add(b1); // hidden layer pre-activation
const bnmeani = hprebn.sum(0, true).mul(1 / n);
const bndiff = hprebn.sub(bnmeani);
const bndiff2 = bndiff.pow(2);
const bnvar = bndiff2.sum(0, true).mul(1 / (n - 1)); // Bessel's correction
const bnvar_inv = bnvar.add(1e-5).pow(-0.5);
const bnraw = bndiff.mul(bnvar_inv);
const hpreact = bngain.mul(bnraw).add(bnbias);
const h = hpreact.tanh();
const logits = h.matmul(W2).add(b2);
const logit_maxes = logits.max(1, true).values;
const norm_logits = logits.sub(logit_maxes); // subtract max for numerical stability
const counts = norm_logits.exp();
const counts_sum = counts.sum(1, true);
const counts_sum_inv = counts_sum.pow(-1);
const probs = counts.mul(counts_sum_inv);
const logprobs = probs.log();
const loss = logprobs.index(arange(n), Yb).mean().neg();`;

export interface ExerciseLine {
  /** Unique key (the box's id, the key in localStorage). */
  id: string;
  exercise: 1 | 2 | 3;
  /** The tensor whose `.grad` (autograd's answer) the box is checked against. */
  target: string;
  /** The forward line(s) the gradient flows back through. */
  through: string;
  hint: string;
  solution: string;
  /** Gradients the box receives besides those checked before it in its exercise (autograd's). */
  given?: readonly string[];
}

function line(target: string, through: string, hint: string, solution: string): ExerciseLine {
  return { id: target, exercise: 1, target, through, hint, solution };
}

export const EXERCISE_LINES: readonly ExerciseLine[] = [
  line(
    'logprobs',
    'loss = logprobs.index(arange(n), Yb).mean().neg()',
    'The loss averages n of logprobs’ n·V numbers (one per row, at its target) and negates them: each picked one gets −1/n, every other 0.',
    '// the worked example: −1/n at each row’s target, 0 elsewhere\nreturn oneHot(Yb, logprobs.shape[1]).to(logprobs.dtype).mul(-1 / n);',
  ),
  line(
    'probs',
    'logprobs = probs.log()',
    'd/dx log x = 1/x; multiply the local derivative by the upstream gradient dlogprobs.',
    'return onesLike(probs).div(probs).mul(dlogprobs);',
  ),
  line(
    'counts_sum_inv',
    'probs = counts.mul(counts_sum_inv)',
    'counts_sum_inv is [32, 1] and was broadcast over the V columns: its gradient sums each row of counts·dprobs (keep the dimension).',
    'return counts.mul(dprobs).sum(1, true);',
  ),
  line(
    'counts_sum',
    'counts_sum_inv = counts_sum.pow(-1)',
    'd/dx x⁻¹ = −x⁻²; times dcounts_sum_inv.',
    'return counts_sum.pow(-2).neg().mul(dcounts_sum_inv);',
  ),
  line(
    'counts',
    'probs = counts.mul(counts_sum_inv); counts_sum = counts.sum(1, true)',
    'counts is used twice: add the branch through probs (counts_sum_inv·dprobs) and the one through the sum (every element of a row gets that row’s dcounts_sum).',
    'return counts_sum_inv.mul(dprobs).add(onesLike(counts).mul(dcounts_sum));',
  ),
  line(
    'norm_logits',
    'counts = norm_logits.exp()',
    'exp is its own derivative, and its output counts is at hand.',
    'return counts.mul(dcounts);',
  ),
  line(
    'logit_maxes',
    'norm_logits = logits.sub(logit_maxes)',
    'Subtracting a [32, 1] column broadcast over the row: minus the row sum of dnorm_logits (it should come out ≈ 0: the max does not change the loss).',
    'return dnorm_logits.neg().sum(1, true);',
  ),
  line(
    'logits',
    'norm_logits = logits.sub(logit_maxes); logit_maxes = logits.max(1, true).values',
    'Two branches: straight through from dnorm_logits, plus dlogit_maxes sent to the column of each row’s maximum (oneHot of logits.max(1).indices).',
    'const maxAt = oneHot(logits.max(1).indices, logits.shape[1]);\nreturn dnorm_logits.clone().add(maxAt.mul(dlogit_maxes));',
  ),
  line(
    'h',
    'logits = h.matmul(W2).add(b2)',
    'For a matmul, the gradient of one factor is the upstream gradient times the other factor transposed; let the shapes tell you the order.',
    'return dlogits.matmul(W2.T);',
  ),
  line(
    'W2',
    'logits = h.matmul(W2).add(b2)',
    'dW2 has W2’s shape [64, V]: h transposed times dlogits.',
    'return h.T.matmul(dlogits);',
  ),
  line(
    'b2',
    'logits = h.matmul(W2).add(b2)',
    'b2 was broadcast over the 32 rows: sum dlogits over dimension 0.',
    'return dlogits.sum(0);',
  ),
  line(
    'hpreact',
    'h = hpreact.tanh()',
    'd/dx tanh x = 1 − tanh²x, and tanh x is h.',
    'return onesLike(h).sub(h.pow(2)).mul(dh);',
  ),
  line(
    'bngain',
    'hpreact = bngain.mul(bnraw).add(bnbias)',
    'bngain [1, 64] was broadcast over the batch: bnraw·dhpreact, summed over dimension 0 keeping it.',
    'return bnraw.mul(dhpreact).sum(0, true);',
  ),
  line(
    'bnbias',
    'hpreact = bngain.mul(bnraw).add(bnbias)',
    'An addition passes the gradient through; the broadcast over the batch sums it (keep the dimension).',
    'return dhpreact.sum(0, true);',
  ),
  line(
    'bnraw',
    'hpreact = bngain.mul(bnraw).add(bnbias)',
    'The other factor of the product, bngain, times dhpreact (no sum: bnraw is [32, 64]).',
    'return bngain.mul(dhpreact);',
  ),
  line(
    'bnvar_inv',
    'bnraw = bndiff.mul(bnvar_inv)',
    'bnvar_inv [1, 64] was broadcast over the batch: bndiff·dbnraw summed over dimension 0.',
    'return bndiff.mul(dbnraw).sum(0, true);',
  ),
  line(
    'bnvar',
    'bnvar_inv = bnvar.add(1e-5).pow(-0.5)',
    'd/dx (x + ε)^−½ = −½(x + ε)^−3/2.',
    'return bnvar.add(1e-5).pow(-1.5).mul(-0.5).mul(dbnvar_inv);',
  ),
  line(
    'bndiff2',
    'bnvar = bndiff2.sum(0, true).mul(1 / (n - 1))',
    'A sum over the batch scaled by 1/(n−1): every row gets dbnvar/(n−1).',
    'return onesLike(bndiff2).mul(1 / (n - 1)).mul(dbnvar);',
  ),
  line(
    'bndiff',
    'bnraw = bndiff.mul(bnvar_inv); bndiff2 = bndiff.pow(2)',
    'Two branches again: bnvar_inv·dbnraw, plus 2·bndiff·dbndiff2.',
    'return bnvar_inv.mul(dbnraw).add(bndiff.mul(2).mul(dbndiff2));',
  ),
  line(
    'bnmeani',
    'bndiff = hprebn.sub(bnmeani)',
    'Minus dbndiff, summed over the batch (bnmeani is [1, 64]).',
    'return dbndiff.neg().sum(0, true);',
  ),
  line(
    'hprebn',
    'bndiff = hprebn.sub(bnmeani); bnmeani = hprebn.sum(0, true).mul(1 / n)',
    'Straight through from dbndiff, plus dbnmeani/n spread to every row.',
    'return dbndiff.clone().add(onesLike(hprebn).mul(dbnmeani).mul(1 / n));',
  ),
  line(
    'embcat',
    'hprebn = embcat.matmul(W1).add(b1)',
    'Like dh: the upstream gradient times the other factor transposed.',
    'return dhprebn.matmul(W1.T);',
  ),
  line(
    'W1',
    'hprebn = embcat.matmul(W1).add(b1)',
    'Like dW2: embcat transposed times dhprebn, shape [30, 64].',
    'return embcat.T.matmul(dhprebn);',
  ),
  line(
    'b1',
    'hprebn = embcat.matmul(W1).add(b1)',
    'Like db2. (It comes out ≈ 0: BatchNorm subtracts the mean, so b1 cannot change the loss.)',
    'return dhprebn.sum(0);',
  ),
  line(
    'emb',
    'embcat = emb.view(n, -1)',
    'A view only rearranges: view the gradient back to emb’s shape.',
    'return dembcat.view(...emb.shape);',
  ),
  line(
    'C',
    'emb = C.index(Xb)',
    'Each row of emb is a copy of the row of C picked by a token: add demb[k, j] into row Xb[k, j] of a zero tensor (a loop over k and j; select and add_ work in place).',
    'const dC = zerosLike(C);\nconst ix = Xb.tolist();\nfor (let k = 0; k < n; k++)\n  for (let j = 0; j < ix[k].length; j++) dC.select(0, ix[k][j]).add_(demb.select(0, k).select(0, j));\nreturn dC;',
  ),
  {
    id: 'ex2-logits',
    exercise: 2,
    target: 'logits',
    through: 'loss = F.crossEntropy(logits, Yb)',
    hint: 'On paper, ∂loss/∂logits[i, j] = (softmax(logits)[i, j] − [j = Yb[i]]) / n: the probabilities, minus 1 at each target, divided by n.',
    solution: 'return logits.softmax(1).sub(oneHot(Yb, logits.shape[1])).div(n);',
  },
  {
    id: 'ex3-hprebn',
    exercise: 3,
    target: 'hprebn',
    through: 'hpreact = bngain · (hprebn − mean) / √(var + ε) + bnbias, var with 1/(n−1)',
    hint: 'dhprebn = bngain·bnvar_inv/n · (n·dhpreact − Σ dhpreact − n/(n−1)·bnraw·Σ(dhpreact·bnraw)), the sums over the batch (dimension 0, kept).',
    solution:
      'const sum = dhpreact.sum(0, true);\nconst sumRaw = dhpreact.mul(bnraw).sum(0, true);\nconst inner = dhpreact.mul(n).sub(sum).sub(bnraw.mul(n / (n - 1)).mul(sumRaw));\nreturn bngain.mul(bnvar_inv).div(n).mul(inner);',
    given: ['hpreact'],
  },
];

/** What each exercise asks, for its tab. */
export const EXERCISE_TITLES: Record<1 | 2 | 3, string> = {
  1: 'Exercise 1: every step',
  2: 'Exercise 2: cross-entropy in one expression',
  3: 'Exercise 3: BatchNorm in one expression',
};
