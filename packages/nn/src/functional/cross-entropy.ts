/**
 * Cross-entropy from logits as ONE fused op: the training hot path of every classifier here.
 *
 * Forward, per row i with target t (stable: the row maximum m is subtracted before exp):
 *   lseᵢ = m + log Σ_c exp(x_ic − m),   nllᵢ = lseᵢ − x_it
 *   with label smoothing ε (PyTorch's formula: the target distribution is (1 − ε)·onehot + ε/C):
 *   lossᵢ = (1 − ε)·nllᵢ + ε·(lseᵢ − mean_c x_ic)
 * Rows whose target is `ignoreIndex` contribute nothing, and 'mean' divides by the rows that count.
 *
 * Backward, in closed form (no softmax or one-hot tensor is built):
 *   ∂lossᵢ/∂x_ic = softmax(xᵢ)_c − (1 − ε)·[c = t] − ε/C,   times dℓ (÷ count for 'mean').
 * The forward keeps exp(x − m) and 1/Σexp, so the backward needs no second exp.
 */
import {
  DTypeError,
  getBackend,
  replayEagerly,
  type Tensor,
  Tensor as TensorClass,
  zeros,
} from '@llm-playground/tensor';
import { customOp } from '../custom-op.js';
import { ConfigError } from '../errors.js';
import { classProblem } from './class-targets.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface CrossEntropyOptions {
  /** Target value whose rows are skipped (default −100, PyTorch's). */
  ignoreIndex?: number;
  /** 'mean' (default) over non-ignored rows, 'sum', or 'none' (one loss per row). */
  reduction?: Reduction;
  /** ε in [0, 1]: mix the one-hot target with the uniform distribution (default 0). */
  labelSmoothing?: number;
}

/**
 * PyTorch's `F.cross_entropy(logits, target)`: the negative log-likelihood of `target` under
 * softmax(`logits`). `logits` is `[N, C]` (or `[C]` with a 0-d target), `target` holds int32 class
 * indices. Stable for any logits, with a fused closed-form backward.
 * NOTE: unlike PyTorch, class-probability targets and per-class `weight` are not supported.
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 1, 0.1], [0.5, 2.5, 0.3]], { dtype: 'float64', requiresGrad: true });
 * const loss = crossEntropy(logits, tensor([0, 1]));
 * loss.item(); // ≈ 0.3185397696
 * loss.backward();
 * logits.grad.sum(1).tolist(); // ≈ [0, 0]
 * crossEntropy(tensor([[1000, 0, -1000]], { dtype: 'float32' }), tensor([2])).item(); // 2000
 * crossEntropy(logits, tensor([0, 30])); // throws IndexError
 * ```
 */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'crossEntropy';
  const ignoreIndex = options.ignoreIndex ?? -100;
  const reduction = checkReduction(options.reduction ?? 'mean', op);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) {
    throw new ConfigError(`${op}: label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  }
  if (logits.dtype === 'int32') throw new DTypeError(`${op}: expected float logits, got int32`);
  const dtype = logits.dtype;
  // The forward and the backward run the backend's fused kernels inside eager islands: they read the
  // targets (validated every time) and count the non-ignored rows in JavaScript, so a replayed
  // captured step recomputes both. Outside a capture an island is a plain call.
  type FloatArray = Float32Array | Float64Array;
  const st: {
    rows: number;
    C: number;
    count: number;
    saved: { expShifted: FloatArray; inverseSum: Float64Array } | null;
    perRow: FloatArray | null;
    value: FloatArray | null;
  } = { rows: 0, C: 0, count: 0, saved: null, perRow: null, value: null };
  replayEagerly(() => {
    const problem = classProblem(logits, target, ignoreIndex, op);
    if (st.saved === null) {
      st.rows = problem.rows;
      st.C = problem.classes;
      // exp(x − m), reused by the backward; 1/Σexp per row (float64, as the kernel computes it).
      st.saved = {
        expShifted: zeros([st.rows * st.C], { dtype }).storage as FloatArray,
        inverseSum: zeros([st.rows], { dtype: 'float64' }).storage as Float64Array,
      };
      if (reduction === 'none') st.perRow = zeros([st.rows], { dtype }).storage as FloatArray;
      else st.value = zeros([], { dtype }).storage as FloatArray;
    }
    const result = getBackend().crossEntropyForward(
      problem.x,
      st.rows,
      st.C,
      problem.y,
      ignoreIndex,
      eps,
      st.saved,
      st.perRow,
    );
    st.count = result.count;
    // All rows ignored: 0/0 = NaN, as PyTorch.
    if (st.value) st.value[0] = reduction === 'mean' ? result.total / st.count : result.total;
  });
  const { rows, C, perRow } = st;
  const out = perRow
    ? new TensorClass(perRow, logits.ndim === 2 ? [rows] : [])
    : new TensorClass(st.value as FloatArray, []);

  // ---- backward: dx = (softmax − (1 − ε)·onehot − ε/C) · dℓ, one pass ----
  return customOp(out, 'CrossEntropy', [logits], (grad) => {
    const g = grad.contiguous().data;
    const dx = zeros([rows * C], { dtype }).storage;
    replayEagerly(() => {
      // Ignored rows keep a zero gradient: clear what a previous replay may have left there.
      if (st.count !== rows) dx.fill(0);
      getBackend().crossEntropyBackward(
        g,
        perRow !== null,
        reduction === 'mean' ? st.count : 1,
        rows,
        C,
        target.data as Int32Array,
        ignoreIndex,
        eps,
        st.saved as NonNullable<typeof st.saved>,
        dx,
      );
    });
    return [new TensorClass(dx, logits.shape)];
  });
}
