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

/**
 * Moves labelled dots of radius `radius` apart until no two overlap (or `iterations` passes),
 * keeping each inside `[margin, width − margin] × [margin, height − margin]`: overlapping pairs
 * are pushed apart along the line between them, each by half the overlap (coincident dots along
 * a fixed direction per pair). Returns new positions; `moved` says which left their place (the
 * scatter draws a thin line back to the true position).
 *
 * @example
 * ```ts
 * nudgeLabels([{ label: 'a', px: 50, py: 50 }, { label: 'b', px: 52, py: 50 }], 10, 100, 100, 0)
 *   .map((p) => Math.round(p.px)); // [41, 61]
 * ```
 */
export function nudgeLabels(
  points: readonly { label: string; px: number; py: number }[],
  radius: number,
  width: number,
  height: number,
  margin: number,
  iterations = 60,
): { label: string; px: number; py: number; x0: number; y0: number; moved: boolean }[] {
  const out = points.map((p) => ({ label: p.label, px: p.px, py: p.py, x0: p.px, y0: p.py }));
  const gap = 2 * radius;
  const clampX = (v: number) => Math.min(width - margin, Math.max(margin, v));
  const clampY = (v: number) => Math.min(height - margin, Math.max(margin, v));
  for (let pass = 0; pass < iterations; pass++) {
    let overlapping = false;
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i];
        const b = out[j];
        let dx = b.px - a.px;
        let dy = b.py - a.py;
        let distance = Math.hypot(dx, dy);
        if (distance >= gap - 1e-9) continue;
        overlapping = true;
        if (distance < 1e-9) {
          // Same place: a direction that depends on the pair only (deterministic).
          const angle = ((i * 7 + j * 13) % 16) * (Math.PI / 8);
          dx = Math.cos(angle);
          dy = Math.sin(angle);
          distance = 1;
        }
        const push = (gap - Math.hypot(b.px - a.px, b.py - a.py)) / 2 + 1e-6;
        const ux = dx / distance;
        const uy = dy / distance;
        a.px = clampX(a.px - ux * push);
        a.py = clampY(a.py - uy * push);
        b.px = clampX(b.px + ux * push);
        b.py = clampY(b.py + uy * push);
      }
    }
    if (!overlapping) break;
  }
  return out.map((p) => ({ ...p, moved: Math.hypot(p.px - p.x0, p.py - p.y0) > 0.5 }));
}
