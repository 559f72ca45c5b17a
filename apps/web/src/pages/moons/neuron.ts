/**
 * One neuron on plain numbers, for the page's first demo: n = Σ wᵢxᵢ + b, o = act(n), with each
 * activation's derivative (what backward multiplies by) and the window to plot it in.
 */

/** The activations of the neuron demo. */
export type NeuronActivation = 'tanh' | 'sigmoid' | 'relu';

/**
 * Each activation and its derivative.
 *
 * @example
 * ```ts
 * ACTIVATION_FUNCTIONS.tanh.derivative(0); // 1
 * ```
 */
export const ACTIVATION_FUNCTIONS: Readonly<
  Record<
    NeuronActivation,
    { value: (n: number) => number; derivative: (n: number) => number; formula: string }
  >
> = {
  tanh: {
    value: Math.tanh,
    derivative: (n) => 1 - Math.tanh(n) ** 2,
    formula: "tanh(n) = (e²ⁿ − 1)/(e²ⁿ + 1);  tanh'(n) = 1 − tanh²(n)",
  },
  sigmoid: {
    value: (n) => (n >= 0 ? 1 / (1 + Math.exp(-n)) : Math.exp(n) / (1 + Math.exp(n))),
    derivative: (n) => {
      const e = Math.exp(-Math.abs(n));
      return e / ((1 + e) * (1 + e));
    },
    formula: "σ(n) = 1/(1 + e⁻ⁿ);  σ'(n) = σ(n)(1 − σ(n))",
  },
  relu: {
    value: (n) => Math.max(n, 0),
    derivative: (n) => (n > 0 ? 1 : 0),
    formula: "relu(n) = max(0, n);  relu'(n) = 1 if n > 0 else 0",
  },
};

/** The neuron's forward and backward on plain numbers. */
export interface NeuronResult {
  /** The pre-activation n = Σ wᵢxᵢ + b. */
  n: number;
  /** The output o = act(n). */
  o: number;
  /** do/dn, the activation's slope at n. */
  dodn: number;
  /** do/dwᵢ = do/dn · xᵢ. */
  dw: number[];
  /** do/dxᵢ = do/dn · wᵢ. */
  dx: number[];
  /** do/db = do/dn. */
  db: number;
}

/**
 * Forward and backward of one neuron.
 *
 * @example
 * ```ts
 * neuronForward([2, 0], [-3, 1], 6.8813735870195432, 'tanh').o; // 0.7071067811865476
 * ```
 */
export function neuronForward(
  x: readonly number[],
  w: readonly number[],
  b: number,
  activation: NeuronActivation,
): NeuronResult {
  if (x.length !== w.length) {
    throw new RangeError(
      `Arguments 'x' and 'w' passed to 'neuronForward' must have the same length, got ${x.length} and ${w.length}`,
    );
  }
  let n = b;
  for (let i = 0; i < x.length; i++) n += w[i] * x[i];
  const fn = ACTIVATION_FUNCTIONS[activation];
  const dodn = fn.derivative(n);
  return {
    n,
    o: fn.value(n),
    dodn,
    dw: x.map((xi) => dodn * xi),
    dx: w.map((wi) => dodn * wi),
    db: dodn,
  };
}

/** The plotted window of the neuron demo's activation plot. */
export interface PlotBox {
  width: number;
  height: number;
  nMin: number;
  nMax: number;
  yMin: number;
  yMax: number;
}

/**
 * The window that shows `activation` around the neuron's `n`: n from −4 to 4, widened
 * (symmetrically, with a 10% margin) so that `n` is always inside; y covering the activation's
 * whole range over that window, so nothing is clipped — in particular ReLU, which grows without
 * bound, is never cut off at the top (it would look saturated).
 *
 * @example
 * ```ts
 * activationBox('relu', 8.88, 320, 180).yMax; // ≥ 9.77: the line reaches the top of the window, unclipped
 * ```
 */
export function activationBox(
  activation: NeuronActivation,
  n: number,
  width: number,
  height: number,
): PlotBox {
  const reach = Number.isFinite(n) ? Math.max(4, Math.abs(n) * 1.1) : 4;
  const nMin = -reach;
  const nMax = reach;
  switch (activation) {
    case 'tanh':
      return { width, height, nMin, nMax, yMin: -1.25, yMax: 1.25 };
    case 'sigmoid':
      return { width, height, nMin, nMax, yMin: -0.15, yMax: 1.15 };
    case 'relu':
      return { width, height, nMin, nMax, yMin: -0.1 * nMax, yMax: 1.05 * nMax };
  }
}

/**
 * The bias that gives the neuron pre-activation `n`: b = n − Σ wᵢ·xᵢ, kept within the bias
 * slider's ±`limit` and rounded to its 0.01 step (so the URL stays short). Dragging the point on
 * the activation plot, or the arrow keys on it, moves n through this.
 *
 * @example
 * ```ts
 * biasForN(1, [2, 0], [-3, 1]); // 7 (n = −6 + 7 = 1)
 * ```
 */
export function biasForN(n: number, x: readonly number[], w: readonly number[], limit = 8): number {
  let wx = 0;
  for (let i = 0; i < x.length; i++) wx += w[i] * x[i];
  const b = Math.max(-limit, Math.min(limit, n - wx));
  return Math.round(b * 100) / 100 + 0; // + 0: no −0 in the URL
}
