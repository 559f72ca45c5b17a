/**
 * Lecture 1's first experiment: the derivative of f(x) = 3x² − 4x + 5 "by nudging". Move x by a
 * small h and see how much f moves: (f(x + h) − f(x)) / h approaches the exact slope 6x − 4 as h
 * shrinks, until floating point rounding takes over (try h = 1e-12).
 */

/**
 * The lecture's function, f(x) = 3x² − 4x + 5.
 *
 * @example
 * ```ts
 * f(3); // 20
 * ```
 */
export function f(x: number): number {
  return 3 * x ** 2 - 4 * x + 5;
}

/**
 * f'(x) = 6x − 4, the exact derivative.
 *
 * @example
 * ```ts
 * exactSlope(3); // 14
 * ```
 */
export function exactSlope(x: number): number {
  return 6 * x - 4;
}

/**
 * The forward-difference estimate (f(x + h) − f(x)) / h, as in the lecture. For this quadratic it
 * equals 6x − 4 + 3h exactly (in real numbers), so the error shrinks linearly with h.
 *
 * @example
 * ```ts
 * nudgeSlope(3, 0.001); // 14.003000000001452
 * ```
 */
export function nudgeSlope(x: number, h: number): number {
  if (!(h !== 0 && Number.isFinite(h))) {
    throw new RangeError(
      `Argument 'h' passed to 'nudgeSlope' must be a finite non-zero number, got ${h}`,
    );
  }
  return (f(x + h) - f(x)) / h;
}
