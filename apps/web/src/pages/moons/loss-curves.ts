/**
 * The three classification losses of the moons page as plain functions of the margin m = y·score
 * (labels y ∈ {−1, +1}), for the "losses side by side" plot: what each one charges a single point
 * that is wrong (m < 0), barely right (0 < m < 1) or confidently right (m > 1).
 */
import type { MoonsLoss } from '@llm-playground/makemore';

/**
 * A learning rate that trains each loss well with the default settings (measured with seed 1337:
 * 100% / 98% / 99% training accuracy). Squared error needs a smaller one: its gradient 2(score − y)
 * grows with the error, so at lr ≥ 0.3 the first overshoot feeds a larger gradient and the weights
 * blow up; the hinge's and the logistic loss's gradients stay within [−1, 1] per point.
 *
 * @example
 * ```ts
 * SUGGESTED_LR.mse; // 0.1
 * ```
 */
export const SUGGESTED_LR: Readonly<Record<MoonsLoss, number>> = Object.freeze({
  'max-margin': 1,
  mse: 0.1,
  'cross-entropy': 1,
});

/** One loss as a curve: its name, formula and the per-point cost as a function of the margin. */
export interface MarginLoss {
  loss: MoonsLoss;
  label: string;
  formula: string;
  color: string;
  /** The cost of one point with margin m = y·score. */
  at(m: number): number;
}

/**
 * log(1 + e^(−m)) without overflow: for m ≪ 0, e^(−m) overflows long before the result does, so
 * use log(1 + e^(−m)) = −m + log(1 + e^m) there (both terms then stay finite).
 */
function logistic(m: number): number {
  return m >= 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

/**
 * The losses in the order of the loss selector.
 *
 * @example
 * ```ts
 * MARGIN_LOSSES.map((l) => l.at(1)); // [0, 0, 0.3133] (hinge, squared error, logistic at m = 1)
 * ```
 */
export const MARGIN_LOSSES: readonly MarginLoss[] = [
  {
    loss: 'max-margin',
    label: 'hinge (max-margin)',
    formula: 'max(0, 1 − m)',
    color: '#2f6fb3',
    at: (m) => Math.max(0, 1 - m),
  },
  {
    loss: 'mse',
    label: 'squared error',
    formula: '(1 − m)²',
    color: '#b3541e',
    at: (m) => (1 - m) ** 2,
  },
  {
    loss: 'cross-entropy',
    label: 'logistic (cross-entropy)',
    formula: 'log(1 + e^(−m))',
    color: '#1d7a3a',
    at: logistic,
  },
];

/** The plotted window: margins from −3 to 3, costs from 0 to 4 (squared error leaves the top). */
export interface CurveBox {
  width: number;
  height: number;
  mMin: number;
  mMax: number;
  yMax: number;
}

export const CURVE_BOX: Readonly<CurveBox> = Object.freeze({
  width: 420,
  height: 240,
  mMin: -3,
  mMax: 3,
  yMax: 4,
});

/**
 * `n` evenly spaced samples of a loss over [mMin, mMax] (both ends included).
 *
 * @example
 * ```ts
 * sampleCurve(MARGIN_LOSSES[0], 7).map((p) => p.y); // [4, 3, 2, 1, 0, 0, 0]
 * ```
 */
export function sampleCurve(
  loss: MarginLoss,
  n = 121,
  box: Readonly<CurveBox> = CURVE_BOX,
): { m: number; y: number }[] {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`Argument 'n' passed to 'sampleCurve' must be an integer ≥ 2, got ${n}`);
  }
  return Array.from({ length: n }, (_, i) => {
    const m = box.mMin + ((box.mMax - box.mMin) * i) / (n - 1);
    return { m, y: loss.at(m) };
  });
}
