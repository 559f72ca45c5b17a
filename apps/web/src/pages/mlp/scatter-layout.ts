/**
 * Pixel layout of the embedding scatter, framework-free: linear scales with "nice" round ticks
 * (1, 2 or 5 × 10^k apart, as d3 picks them), so the SVG component only draws. Re-drawing 28
 * labelled points a few times a second this way costs well under a millisecond.
 */

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

export interface ScatterLayout {
  points: { label: string; px: number; py: number }[];
  xTicks: { value: number; px: number }[];
  yTicks: { value: number; py: number }[];
}

/**
 * Round tick values covering [min, max] with about `count` ticks.
 *
 * @example
 * ```ts
 * niceTicks(-1.3, 2.2, 5); // [-1, -0.5, 0, 0.5, 1, 1.5, 2]
 * ```
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step =
    power *
    (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1);
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** Places the points in a `width × height` box with `margin` pixels on every side (y grows upwards). */
export function layoutScatter(
  points: readonly ScatterPoint[],
  width: number,
  height: number,
  margin: number,
): ScatterLayout {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  if (!(x1 >= x0)) [x0, x1] = [-1, 1];
  if (!(y1 >= y0)) [y0, y1] = [-1, 1];
  if (x1 - x0 < 1e-6) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 - y0 < 1e-6) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (v: number) => margin + ((v - x0) / (x1 - x0)) * (width - 2 * margin);
  const sy = (v: number) => height - margin - ((v - y0) / (y1 - y0)) * (height - 2 * margin);
  return {
    points: points.map((p) => ({ label: p.label, px: sx(p.x), py: sy(p.y) })),
    xTicks: niceTicks(x0, x1, 5).map((value) => ({ value, px: sx(value) })),
    yTicks: niceTicks(y0, y1, 5).map((value) => ({ value, py: sy(value) })),
  };
}
