/**
 * Linear scales and "nice" axis ticks for the small hand-drawn SVG plots (the nudge plot, the
 * layer page's activation plot): plain numbers, no DOM.
 */

/**
 * Round tick values inside [min, max]: steps of 1, 2 or 5 × 10ᵏ, about `count` of them.
 *
 * @example
 * ```ts
 * niceTicks(-5, 5, 5); // [-4, -2, 0, 2, 4]
 * niceTicks(-10, 110, 5); // [0, 20, 40, 60, 80, 100]
 * ```
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) {
    throw new RangeError(
      `Arguments 'min' and 'max' passed to 'niceTicks' must be finite with max > min, got ${min} and ${max}`,
    );
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  // The multiplier nearest to raw on a log scale (d3's thresholds: √2, √10, √50).
  const ratio = raw / power;
  const step =
    power *
    (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.SQRT2 ? 2 : 1);
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++) {
    // Rounded to the step's decimals, so 0.1 + 0.2 prints as 0.3; never -0.
    const digits = Math.max(0, -Math.floor(Math.log10(step)));
    ticks.push(Number((k * step).toFixed(digits)) + 0);
  }
  return ticks;
}

/** A linear map from data [d0, d1] to pixels [p0, p1] (p1 < p0 for a y axis pointing up). */
export interface LinearScale {
  (value: number): number;
  /** Pixels back to data. */
  invert(pixel: number): number;
}

/**
 * @example
 * ```ts
 * const y = linearScale([0, 1], [100, 0]);
 * y(0.25); // 75
 * y.invert(75); // 0.25
 * ```
 */
export function linearScale(
  [d0, d1]: readonly [number, number],
  [p0, p1]: readonly [number, number],
): LinearScale {
  const k = (p1 - p0) / (d1 - d0);
  const scale = ((value: number) => p0 + (value - d0) * k) as LinearScale;
  scale.invert = (pixel: number) => d0 + (pixel - p0) / k;
  return scale;
}

/**
 * How far an arrow key moves a point dragged along a plot: ±0.1, ±1 with Shift (right/up raise,
 * left/down lower), 0 for any other key.
 */
export function arrowKeyDelta(event: { key: string; shiftKey: boolean }): number {
  const step = event.shiftKey ? 1 : 0.1;
  if (event.key === 'ArrowRight' || event.key === 'ArrowUp') return step;
  if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') return -step;
  return 0;
}
