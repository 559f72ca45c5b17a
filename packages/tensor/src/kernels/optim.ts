/**
 * Optimizer updates over flat float arrays (one parameter's storage, its gradient and its state
 * buffers), PyTorch's formulas in PyTorch's order of operations, so float32 buffers round as its do.
 *   SGD:   g = dw + λ·w;  b = first ? g : μ·b + (1 − τ)·g;  w −= lr · (nesterov ? g + μ·b : b)
 *          (no momentum: w −= lr · g, and no buffer)
 *   Adam:  g = dw + λ·w (AdamW instead decays w *= 1 − lr·λ);  m = β₁m + (1 − β₁)g;
 *          v = β₂v + (1 − β₂)g²;  w −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 */
import type { TypedArray } from '../dtype.js';

export interface SgdHyper {
  lr: number;
  /** μ (0: plain SGD, no buffer). */
  momentum: number;
  /** τ: the gradient enters the buffer scaled by 1 − τ. */
  dampening: number;
  /** λ: L2 penalty added to the gradient. */
  weightDecay: number;
  nesterov: boolean;
}

/**
 * One SGD step on w[0..n) from dw; `buffer` is the momentum buffer (ignored when momentum is 0) and
 * `first` says it is uninitialised (it is then set to the gradient, as PyTorch does).
 */
export function sgdStep(
  w: TypedArray,
  dw: TypedArray,
  buffer: TypedArray | null,
  n: number,
  hyper: SgdHyper,
  first: boolean,
): void {
  const { lr, momentum, dampening, weightDecay, nesterov } = hyper;
  if (momentum === 0 || buffer === null) {
    for (let i = 0; i < n; i++) w[i] -= lr * (dw[i] + weightDecay * w[i]);
    return;
  }
  const b = buffer;
  for (let i = 0; i < n; i++) {
    const g = dw[i] + weightDecay * w[i];
    const bi = first ? g : momentum * b[i] + (1 - dampening) * g;
    b[i] = bi;
    // NOTE: reads b[i] back so that float32 buffers round exactly as PyTorch's do.
    w[i] -= lr * (nesterov ? g + momentum * b[i] : b[i]);
  }
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the weights (w *= 1 − lr·λ) instead of adding λ·w to the gradient. */
  decoupled: boolean;
  /** The step number t, from 1. */
  step: number;
}

/** One Adam/AdamW step on w[0..n) from dw, updating the running averages m and v in place. */
export function adamStep(
  w: TypedArray,
  dw: TypedArray,
  m: TypedArray,
  v: TypedArray,
  n: number,
  hyper: AdamHyper,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step: t } = hyper;
  const stepSize = lr / (1 - beta1 ** t);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < n; i++) {
    const g = dw[i] + l2 * w[i];
    if (decoupled) w[i] *= decay;
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + eps);
  }
}

/** One tensor of a multi-tensor Adam step: its storage, gradient, running averages and length. */
export interface AdamTensors {
  w: TypedArray;
  dw: TypedArray;
  m: TypedArray;
  v: TypedArray;
  n: number;
}

/**
 * `adamStep` on every tensor of `tensors` with the same hyper-parameters and step number (PyTorch's
 * multi-tensor "foreach" Adam): the same numbers as one `adamStep` per tensor; the wasm backend
 * updates all tensors resident in its memory in one kernel call.
 */
export function adamStepMulti(tensors: readonly AdamTensors[], hyper: AdamHyper): void {
  for (const t of tensors) adamStep(t.w, t.dw, t.m, t.v, t.n, hyper);
}
