/**
 * The embedding picture of makemore part 2: with a 2-dimensional embedding table `C`,
 * `plt.scatter(C[:,0], C[:,1], s=200)` and each character written in white on its dot, with a grid.
 * Characters used in similar contexts end up close (the vowels cluster; `.` and `q` sit apart).
 * With more than two dimensions the caller passes the first two, which is what the lecture's figure
 * would show for `C[:, :2]`.
 *
 * NOTE: unlike the lecture's scatter, bubbles that would overlap are pushed apart (a few rounds of
 * pairwise repulsion in pixels) so every letter stays readable; a displaced bubble is joined to a
 * small dot at its true position by a thin line.
 */
import * as Plot from '@observablehq/plot';
import { visibleChar } from './bigram-heatmap.js';
import { plotSvg } from './plot.js';

/** What to draw: one point per character. */
export interface EmbeddingScatterPlot {
  /** `[x, y]` of each character (the first two embedding dimensions). */
  points: readonly (readonly [number, number])[];
  /** The character at each point (`itos`). */
  labels: readonly string[];
  /** First line above the plot. */
  title?: string;
  /** Second, smaller line above the plot. */
  subtitle?: string;
  /** Axis names (default `C[:, 0]` and `C[:, 1]`). */
  xLabel?: string;
  yLabel?: string;
  /** Side of the square plot in SVG units (default 640). */
  size?: number;
}

/** matplotlib's first cycle colour, as in the lecture. */
export const EMBEDDING_DOT = '#1f77b4';

/** Radius of a letter's bubble, in SVG units. */
const BUBBLE = 12;

/**
 * Label positions (pixels) near `points` with no two closer than `2·radius + 1`: rounds of pairwise
 * repulsion, each pair pushed apart by half its overlap, kept inside `[radius, width − radius] ×
 * [radius, height − radius]`. Deterministic; points that do not collide stay where they are.
 *
 * @example
 * repel([[50, 50], [51, 50]], 12, 100, 100); // [[38, 50], [63, 50]]
 */
export function repel(
  points: readonly (readonly [number, number])[],
  radius: number,
  width: number,
  height: number,
): [number, number][] {
  const placed = points.map(([x, y]) => [x, y] as [number, number]);
  const gap = 2 * radius + 1;
  for (let round = 0; round < 200; round++) {
    let moved = false;
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        let dx = placed[j][0] - placed[i][0];
        let dy = placed[j][1] - placed[i][1];
        let distance = Math.hypot(dx, dy);
        if (distance >= gap - 1e-9) continue;
        if (distance < 1e-9) [dx, dy, distance] = [1, 0.5 * (j - i), Math.hypot(1, 0.5 * (j - i))];
        const push = (gap - distance) / 2 / distance;
        placed[i][0] -= dx * push;
        placed[i][1] -= dy * push;
        placed[j][0] += dx * push;
        placed[j][1] += dy * push;
        moved = true;
      }
    }
    for (const point of placed) {
      point[0] = Math.min(width - radius, Math.max(radius, point[0]));
      point[1] = Math.min(height - radius, Math.max(radius, point[1]));
    }
    if (!moved) break;
  }
  return placed;
}

/** `[low, high]` of the finite values, padded by 8% for the dots' radius (±1 when flat). */
function paddedRange(values: readonly number[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (!Number.isFinite(low)) [low, high] = [-1, 1];
  if (high - low < 1e-9) [low, high] = [low - 1, high + 1];
  const pad = (high - low) * 0.08;
  return [low - pad, high + pad];
}

/**
 * Renders the 2-D embedding scatter as a standalone SVG document.
 *
 * @example
 * const svg = embeddingScatterSvg({ points: [[0, 0], [1, 2]], labels: ['.', 'a'] });
 * svg.includes('>a</text>'); // true
 */
export function embeddingScatterSvg(plot: EmbeddingScatterPlot): string {
  const { points, labels } = plot;
  if (points.length !== labels.length) {
    throw new RangeError(
      `embeddingScatterSvg: points and labels must have the same length, got ${points.length} and ${labels.length}`,
    );
  }
  const data = points
    .map(([x, y], k) => ({ x, y, label: visibleChar(labels[k]) }))
    .filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const size = plot.size ?? 640;
  const margin = { left: 62, right: 24, top: 16, bottom: 46 };
  const xDomain = paddedRange(data.map((point) => point.x));
  const yDomain = paddedRange(data.map((point) => point.y));
  // Bubbles pushed apart in pixel space, then mapped back to data coordinates for Plot.
  const width = size - margin.left - margin.right;
  const height = size - margin.top - margin.bottom;
  const toPixel = (point: { x: number; y: number }) =>
    [
      ((point.x - xDomain[0]) / (xDomain[1] - xDomain[0])) * width,
      ((point.y - yDomain[0]) / (yDomain[1] - yDomain[0])) * height,
    ] as const;
  const bubbles = repel(data.map(toPixel), BUBBLE, width, height).map(([px, py], k) => ({
    x: xDomain[0] + (px / width) * (xDomain[1] - xDomain[0]),
    y: yDomain[0] + (py / height) * (yDomain[1] - yDomain[0]),
    label: data[k].label,
    fromX: data[k].x,
    fromY: data[k].y,
    moved: Math.hypot(px - toPixel(data[k])[0], py - toPixel(data[k])[1]) > 2,
  }));
  const displaced = bubbles.filter((bubble) => bubble.moved);
  return plotSvg(
    {
      width: size,
      height: size,
      marginLeft: margin.left,
      marginRight: margin.right,
      marginTop: margin.top,
      marginBottom: margin.bottom,
      x: {
        domain: xDomain,
        label: plot.xLabel ?? 'C[:, 0]',
        labelAnchor: 'center',
        labelArrow: 'none',
        grid: true,
      },
      y: {
        domain: yDomain,
        label: plot.yLabel ?? 'C[:, 1]',
        labelAnchor: 'center',
        labelArrow: 'none',
        grid: true,
      },
      marks: [
        Plot.frame({ stroke: '#8a8a8a' }),
        Plot.link(displaced, {
          x1: 'fromX',
          y1: 'fromY',
          x2: 'x',
          y2: 'y',
          stroke: EMBEDDING_DOT,
          strokeOpacity: 0.7,
          className: 'leaders',
        }),
        Plot.dot(displaced, {
          x: 'fromX',
          y: 'fromY',
          r: 2.5,
          fill: EMBEDDING_DOT,
          className: 'true-positions',
        }),
        Plot.dot(bubbles, {
          x: 'x',
          y: 'y',
          r: BUBBLE,
          fill: EMBEDDING_DOT,
          fillOpacity: 0.92,
          // a white ring keeps two overlapping characters apart
          stroke: 'white',
          strokeWidth: 1.5,
          className: 'dots',
        }),
        Plot.text(bubbles, {
          x: 'x',
          y: 'y',
          text: 'label',
          fill: 'white',
          fontSize: 14,
          fontWeight: 'bold',
          className: 'letters',
        }),
      ],
    },
    { title: plot.title, subtitle: plot.subtitle },
  );
}
