import { Tensor } from '../tensor.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  atol?: number;
  rtol?: number;
}

export interface GradcheckReport {
  ok: boolean;
  /** Largest |analytic − numeric| over all inputs and elements. */
  maxAbsError: number;
  /** Where it happened: input number and flat element index. */
  worst: { input: number; element: number; analytic: number; numeric: number } | null;
}

/**
 * Compares autograd's gradients of `sum(fn(...inputs) · w)` (for a fixed random-looking weight `w`,
 * so every output element matters) against central finite differences. Inputs should be float64
 * tensors with `requiresGrad`; they are not modified.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const leaves = inputs.map((t) => {
    const copy = new Tensor(Float64Array.from(t.data), t.shape);
    copy.requiresGrad = t.requiresGrad;
    return copy;
  });
  const weightOf = (out: Tensor): Tensor => {
    const w = new Float64Array(out.numel());
    for (let i = 0; i < w.length; i++) w[i] = 1 + 0.5 * Math.sin(1.7 * i + 0.3);
    return new Tensor(w, out.shape);
  };
  const scalar = (xs: Tensor[]): number => {
    const out = fn(...xs);
    const o = out.data;
    const w = weightOf(out).data;
    let s = 0;
    for (let i = 0; i < o.length; i++) s += o[i] * w[i];
    return s;
  };
  const out = fn(...leaves);
  out.mul(weightOf(out).to(out.dtype)).sum().backward();
  let maxAbsError = 0;
  let worst: GradcheckReport['worst'] = null;
  let ok = true;
  leaves.forEach((leaf, k) => {
    if (!leaf.requiresGrad) return;
    const analytic = leaf.grad ? Array.from(leaf.grad.data) : new Array(leaf.numel()).fill(0);
    for (let i = 0; i < leaf.numel(); i++) {
      const plus = leaves.map((t) => new Tensor(Float64Array.from(t.data), t.shape));
      const minus = leaves.map((t) => new Tensor(Float64Array.from(t.data), t.shape));
      plus[k].storage[i] += eps;
      minus[k].storage[i] -= eps;
      const numeric = (scalar(plus) - scalar(minus)) / (2 * eps);
      const err = Math.abs(analytic[i] - numeric);
      if (worst === null || err > maxAbsError) {
        maxAbsError = err;
        worst = { input: k, element: i, analytic: analytic[i], numeric };
      }
      if (!(err <= atol + rtol * Math.abs(numeric))) ok = false;
    }
  });
  return { ok, maxAbsError, worst };
}

/** `gradcheck` that throws a readable error when the gradients disagree. */
export function assertGradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const r = gradcheck(fn, inputs, options);
  if (!r.ok) {
    const w = r.worst;
    throw new Error(
      `gradcheck failed: max |analytic - numeric| = ${r.maxAbsError}` +
        (w
          ? ` at input ${w.input}, element ${w.element}: analytic ${w.analytic}, numeric ${w.numeric}`
          : ''),
    );
  }
}
