/**
 * Numerical derivatives: the lecture's "nudge the input by a tiny h and see how the output moves",
 * and `gradcheck`, which uses them to test a backward pass.
 *
 * The forward difference (f(x+h) − f(x)) / h has error O(h); the central difference
 * (f(x+h) − f(x−h)) / 2h cancels the second-order term of the Taylor series, so its error is O(h²).
 * Rounding adds about ε·|f|/h (ε ≈ 2.2e-16 in float64), so h cannot shrink forever: h = 1e-6 keeps
 * both errors near 1e-10 for well-scaled functions (PyTorch's `gradcheck` uses the same `eps`).
 */

import { GradcheckError } from './errors.js';
import { Value } from './value.js';

/**
 * Options for `derivative` and `partialDerivatives`.
 *
 * @example
 * ```ts
 * const lecture: DerivativeOptions = { h: 0.0001, method: 'forward' };
 * derivative((x) => x * x, 1, lecture); // 2.0001000000000033
 * ```
 */
export interface DerivativeOptions {
  /** The nudge (default 1e-6). The lecture used 0.0001 with the forward difference. */
  h?: number;
  /** `'central'` (default): (f(x+h) − f(x−h)) / 2h. `'forward'`: (f(x+h) − f(x)) / h, the lecture's. */
  method?: 'central' | 'forward';
}

/**
 * Options for `gradcheck` and `assertGradcheck`.
 *
 * @example
 * ```ts
 * const strict: GradcheckOptions = { atol: 1e-8, rtol: 1e-6 };
 * gradcheck(([x]) => x.exp(), [1], strict).ok; // true
 * ```
 */
export interface GradcheckOptions {
  /** The nudge of the central differences (default 1e-6). */
  h?: number;
  /** Absolute tolerance (default 1e-5, as PyTorch's `gradcheck`). */
  atol?: number;
  /** Relative tolerance, times |numeric| (default 1e-3, as PyTorch's `gradcheck`). */
  rtol?: number;
}

/**
 * What `gradcheck` found, input by input.
 *
 * @example
 * ```ts
 * const result: GradcheckResult = gradcheck(([x, y]) => x.mul(y), [2, -3]);
 * result.analytic; // [-3, 2]
 * result.numeric; // ≈ [-3, 2]
 * ```
 */
export interface GradcheckResult {
  /** Whether every input passed |analytic − numeric| ≤ atol + rtol·|numeric|. */
  ok: boolean;
  /** Gradients from `backward()`. */
  analytic: number[];
  /** Gradients from central differences. */
  numeric: number[];
  /** The largest |analytic − numeric| (Infinity if any is NaN; 0 for no inputs). */
  maxAbsError: number;
  /** The input with the largest error (−1 for no inputs). */
  worstIndex: number;
}

/**
 * df/dx at `x` by finite differences.
 *
 * @example
 * ```ts
 * const f = (x: number) => 3 * x ** 2 - 4 * x + 5;
 * derivative(f, 3); // ≈ 14
 * // the lecture's forward difference with h = 0.0001:
 * derivative(f, 3, { h: 0.0001, method: 'forward' }); // 14.000300000063248
 * ```
 */
export function derivative(
  f: (x: number) => number,
  x: number,
  options: DerivativeOptions = {},
): number {
  checkFunction(f, 'derivative');
  if (typeof x !== 'number') {
    throw new TypeError(`Argument 'x' passed to 'derivative' must be a number, got ${typeof x}`);
  }
  const { h, method } = readDerivativeOptions(options, 'derivative');
  return difference(f, x, h, method);
}

/**
 * ∂f/∂xᵢ at `xs` for every i, by finite differences (each nudges one input, the rest stay put).
 *
 * @example
 * ```ts
 * const d = (a: number, b: number, c: number) => a * b + c;
 * partialDerivatives(d, [2, -3, 10]); // ≈ [-3, 2, 1]
 * ```
 */
export function partialDerivatives(
  f: (...xs: number[]) => number,
  xs: readonly number[],
  options: DerivativeOptions = {},
): number[] {
  checkFunction(f, 'partialDerivatives');
  checkPoint(xs, 'xs', 'partialDerivatives');
  const { h, method } = readDerivativeOptions(options, 'partialDerivatives');
  const args = xs.slice();
  return xs.map((xi, i) =>
    difference(
      (t) => {
        args[i] = t;
        const y = f(...args);
        args[i] = xi;
        return y;
      },
      xi,
      h,
      method,
    ),
  );
}

/**
 * Checks a backward pass against central differences: builds fresh leaf `Value`s at `point`, runs
 * `f(...).backward()`, and compares each leaf's `grad` with the numerical partial derivative of
 * `f(fresh leaves).data`. Passes when |analytic − numeric| ≤ atol + rtol·|numeric| for every input.
 *
 * @example
 * ```ts
 * const result = gradcheck(([x, y]) => x.mul(y).tanh(), [0.5, -1.5]);
 * result.ok; // true
 * result.analytic.map((g) => g.toFixed(4)); // ['-0.8949', '0.2983']
 * ```
 */
export function gradcheck(
  f: (inputs: Value[]) => Value,
  point: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  checkFunction(f, 'gradcheck');
  checkPoint(point, 'point', 'gradcheck');
  const { h = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  checkPositive(h, 'h', 'gradcheck');
  checkNonNegative(atol, 'atol', 'gradcheck');
  checkNonNegative(rtol, 'rtol', 'gradcheck');

  // Each evaluation gets fresh leaves, so the numerical side never sees accumulated grads.
  const run = (leaves: Value[]): Value => {
    const out = f(leaves);
    if (!(out instanceof Value)) {
      throw new TypeError(
        `Argument 'f' passed to 'gradcheck' must return a Value, got ${describeResult(out)}`,
      );
    }
    return out;
  };
  const leaves = point.map((x) => new Value(x));
  run(leaves).backward();
  const analytic = leaves.map((leaf) => leaf.grad);
  const numeric = partialDerivatives((...xs) => run(xs.map((x) => new Value(x))).data, point, {
    h,
    method: 'central',
  });

  let ok = true;
  let maxAbsError = 0;
  let worstIndex = point.length > 0 ? 0 : -1;
  for (let i = 0; i < point.length; i++) {
    const error = Math.abs(analytic[i] - numeric[i]);
    // NaN compares false both ways: count it as a failure and as the worst possible error.
    if (!(error <= atol + rtol * Math.abs(numeric[i]))) ok = false;
    const e = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
    if (e > maxAbsError) {
      maxAbsError = e;
      worstIndex = i;
    }
  }
  return { ok, analytic, numeric, maxAbsError, worstIndex };
}

/**
 * `gradcheck`, throwing a `GradcheckError` that lists every mismatching input when it fails.
 * Returns the result when it passes.
 *
 * @example
 * ```ts
 * assertGradcheck(([x]) => x.pow(3), [1.5]).ok; // true
 * // relu has a kink at 0: its one-sided slopes are 0 and 1, the central difference 0.5
 * assertGradcheck(([x]) => x.relu(), [0]); // throws GradcheckError
 * ```
 */
export function assertGradcheck(
  f: (inputs: Value[]) => Value,
  point: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const result = gradcheck(f, point, options);
  if (result.ok) return result;
  const { h = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  const lines: string[] = [];
  for (let i = 0; i < point.length; i++) {
    const a = result.analytic[i];
    const n = result.numeric[i];
    const tolerance = atol + rtol * Math.abs(n);
    const error = Math.abs(a - n);
    if (error <= tolerance) continue;
    lines.push(
      `  input ${i} (x=${point[i]}): analytic ${a}, numeric ${n}, |difference| ${error} > tolerance ${tolerance}`,
    );
  }
  throw new GradcheckError(
    `gradcheck failed for ${lines.length} of ${point.length} inputs at point [${point.join(', ')}] ` +
      `(h=${h}, atol=${atol}, rtol=${rtol}):\n${lines.join('\n')}`,
    result,
  );
}

// ---- helpers ----------------------------------------------------------------------------------

function difference(
  f: (x: number) => number,
  x: number,
  h: number,
  method: 'central' | 'forward',
): number {
  if (method === 'forward') return (f(x + h) - f(x)) / h;
  return (f(x + h) - f(x - h)) / (2 * h);
}

function readDerivativeOptions(
  options: DerivativeOptions,
  op: string,
): { h: number; method: 'central' | 'forward' } {
  const { h = 1e-6, method = 'central' } = options;
  checkPositive(h, 'h', op);
  if (method !== 'central' && method !== 'forward') {
    throw new RangeError(
      `Argument 'method' passed to '${op}' must be 'central' or 'forward', got ${String(method)}`,
    );
  }
  return { h, method };
}

function checkFunction(f: unknown, op: string): void {
  if (typeof f !== 'function') {
    throw new TypeError(`Argument 'f' passed to '${op}' must be a function, got ${typeof f}`);
  }
}

function checkPoint(xs: unknown, name: string, op: string): void {
  if (!Array.isArray(xs)) {
    throw new TypeError(
      `Argument '${name}' passed to '${op}' must be an array of numbers, got ${typeof xs}`,
    );
  }
  const bad = xs.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must hold finite numbers, got ${String(xs[bad])} at index ${bad}`,
    );
  }
}

function checkPositive(x: number, name: string, op: string): void {
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must be a positive number, got ${x}`,
    );
  }
}

function checkNonNegative(x: number, name: string, op: string): void {
  if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must be a non-negative number, got ${x}`,
    );
  }
}

function describeResult(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? `an object (${x.constructor?.name ?? 'Object'})` : typeof x;
}
