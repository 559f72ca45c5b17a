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

/** Screen geometry of the little plot: the curve, the point, the secant through x and x + h. */
export interface NudgePlot {
  /** SVG path of f over [xMin, xMax]. */
  curve: string;
  /** SVG path of the secant line through (x, f(x)) and (x + h, f(x + h)), extended across the plot. */
  secant: string;
  point: { cx: number; cy: number };
}

/**
 * Maps f over [xMin, xMax] × [yMin, yMax] into a width × height box (y up), with the secant whose
 * slope is the nudge estimate.
 *
 * @example
 * ```ts
 * nudgePlot(3, 0.5, { width: 300, height: 200 }).curve.startsWith('M'); // true
 * ```
 */
export function nudgePlot(
  x: number,
  h: number,
  box: {
    width: number;
    height: number;
    xMin?: number;
    xMax?: number;
    yMin?: number;
    yMax?: number;
  },
): NudgePlot {
  const { width, height, xMin = -5, xMax = 5, yMin = -10, yMax = 110 } = box;
  const sx = (u: number) => ((u - xMin) / (xMax - xMin)) * width;
  const sy = (v: number) => height - ((v - yMin) / (yMax - yMin)) * height;
  const samples = 120;
  const parts: string[] = [];
  for (let i = 0; i <= samples; i++) {
    const u = xMin + ((xMax - xMin) * i) / samples;
    parts.push(`${i === 0 ? 'M' : 'L'}${sx(u).toFixed(1)},${sy(f(u)).toFixed(1)}`);
  }
  const slope = nudgeSlope(x, h);
  const line = (u: number) => f(x) + slope * (u - x);
  return {
    curve: parts.join(''),
    secant: `M${sx(xMin).toFixed(1)},${sy(line(xMin)).toFixed(1)}L${sx(xMax).toFixed(1)},${sy(line(xMax)).toFixed(1)}`,
    point: { cx: sx(x), cy: sy(f(x)) },
  };
}
