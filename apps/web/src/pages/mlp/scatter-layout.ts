/**
 * Layout of the embedding scatter, framework-free: its data window, and the nudging that moves
 * overlapping letters apart (in the plot's pixels; the page maps with Observable Plot's scales).
 */

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
}

/**
 * The data window of the scatter: the points' extent (finite values only), widened to ±1 around a
 * single value so a lone point or a collapsed axis still has a scale.
 *
 * @example
 * ```ts
 * scatterDomain([{ label: 'a', x: -1, y: 0 }, { label: 'b', x: 1, y: 4 }]); // { x: [-1, 1], y: [0, 4] }
 * ```
 */
export function scatterDomain(points: readonly ScatterPoint[]): {
  x: [number, number];
  y: [number, number];
} {
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
  return { x: [x0, x1], y: [y0, y1] };
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
