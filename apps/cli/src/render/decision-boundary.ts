/**
 * The decision-boundary picture of micrograd's demo: the model's score on a grid, the region
 * `score > 0` filled in one colour and the rest in another (matplotlib's `contourf` at a single
 * level), the zero contour drawn as a line, the data on top coloured by class. Plot's `contour`
 * mark does the marching squares (interpolated along the cell edges, so the boundary is a smooth
 * polyline, not a staircase of cells); the scores are computed here on a coarse grid because one
 * score is a whole forward pass of a micrograd network.
 */
import * as Plot from '@observablehq/plot';
import { plotSvg } from './plot.js';

/** What to draw: points with labels, a score function, and text. */
export interface DecisionBoundaryPlot {
  /** Data points `[x1, x2]`. */
  points: readonly (readonly [number, number])[];
  /** Class of each point: positive (`1`) or not (`0` or `-1`). */
  labels: readonly number[];
  /** The model's score at a point; the predicted class is `score > 0`. */
  score: (x1: number, x2: number) => number;
  /** First line above the plot. */
  title?: string;
  /** Second, smaller line above the plot. */
  subtitle?: string;
  /** Grid cells across the x range (default 72; the region is interpolated within cells). */
  resolution?: number;
  /** Width of the plot in SVG units (default 640); the height keeps the data's aspect. */
  width?: number;
}

/** Colours of the two classes: light fills for the regions, strong ones for the points. */
export const DECISION_COLORS = {
  negativeRegion: '#f9d3c5',
  positiveRegion: '#c9def0',
  negativePoint: '#d6452b',
  positivePoint: '#2f74b5',
  pointEdge: '#1b1b1b',
  boundary: '#4a4a4a',
} as const;

/**
 * The scores on a `columns × rows` grid of points spanning `[x0, x1] × [y0, y1]` corner to corner,
 * row-major from the top row (`y = y1`) down, as Plot's gridded `contour` data is laid out.
 *
 * @example
 * scoreGrid((x) => x, [0, 2], [0, 1], 3, 2); // Float64Array [0, 1, 2, 0, 1, 2]
 */
export function scoreGrid(
  score: (x1: number, x2: number) => number,
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  columns: number,
  rows: number,
): Float64Array {
  const values = new Float64Array(columns * rows);
  for (let j = 0; j < rows; j++) {
    const y = y1 - (j / (rows - 1)) * (y1 - y0);
    for (let i = 0; i < columns; i++) {
      values[j * columns + i] = score(x0 + (i / (columns - 1)) * (x1 - x0), y);
    }
  }
  return values;
}

/**
 * Renders the decision-boundary plot as a standalone SVG document. The x and y ranges are the
 * data's, padded by 1 unit on each side (as in the demo), at the same scale on both axes.
 *
 * @example
 * const svg = decisionBoundarySvg({
 *   points: [[0, 0], [1, 1]],
 *   labels: [0, 1],
 *   score: (x1, x2) => x1 + x2 - 1,
 *   title: 'a line',
 * });
 * svg.startsWith('<svg'); // true
 */
export function decisionBoundarySvg(plot: DecisionBoundaryPlot): string {
  const { points, labels } = plot;
  if (points.length !== labels.length) {
    throw new RangeError(
      `decisionBoundarySvg: points and labels must have the same length, got ${points.length} and ${labels.length}`,
    );
  }
  let [x0, x1, y0, y1] = [0, 0, 0, 0];
  if (points.length > 0) {
    [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const [x, y] of points) {
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    }
  }
  [x0, x1, y0, y1] = [x0 - 1, x1 + 1, y0 - 1, y1 + 1];

  // ---- layout: equal scale on both axes, so the moons keep their shape ----
  const width = plot.width ?? 640;
  const margin = { left: 52, right: 20, top: 14, bottom: 46 };
  const scale = (width - margin.left - margin.right) / (x1 - x0);
  const height = Math.round(margin.top + (y1 - y0) * scale + margin.bottom);

  // ---- scores on the grid: one forward pass per grid point ----
  // Plot places gridded value i at the centre of the i-th of `width` cells, so the contour's extent
  // reaches half a cell beyond the first and last points; it is clipped to the frame.
  const cells = Math.max(2, Math.round(plot.resolution ?? 72));
  const step = (x1 - x0) / cells;
  const columns = cells + 1;
  const rows = Math.max(2, Math.round((y1 - y0) / step)) + 1;
  const top = y0 + (rows - 1) * step; // ≥ y1 by less than a cell
  const grid = scoreGrid(plot.score, [x0, x1], [y0, top], columns, rows);
  const contour = {
    x1: x0 - step / 2,
    x2: x1 + step / 2,
    y1: top + step / 2,
    y2: y0 - step / 2,
    width: columns,
    height: rows,
    thresholds: [0],
    clip: 'frame' as const,
  };

  // Negatives first, so that both classes stay visible where they meet.
  const data = points
    .map(([x, y], k) => ({ x, y, positive: labels[k] > 0 }))
    .sort((a, b) => Number(a.positive) - Number(b.positive));
  return plotSvg(
    {
      width,
      height,
      marginLeft: margin.left,
      marginRight: margin.right,
      marginTop: margin.top,
      marginBottom: margin.bottom,
      x: { domain: [x0, x1], label: 'x₁', labelAnchor: 'center', labelArrow: 'none' },
      y: { domain: [y0, y1], label: 'x₂', labelAnchor: 'center', labelArrow: 'none' },
      marks: [
        Plot.frame({ fill: DECISION_COLORS.negativeRegion }),
        Plot.contour(grid, {
          ...contour,
          fill: DECISION_COLORS.positiveRegion,
          stroke: 'none',
          className: 'region-positive',
        }),
        Plot.contour(grid, {
          ...contour,
          fill: 'none',
          stroke: DECISION_COLORS.boundary,
          strokeWidth: 1.2,
          className: 'boundary',
        }),
        Plot.dot(data, {
          x: 'x',
          y: 'y',
          r: 4.5,
          fill: (point: { positive: boolean }) =>
            point.positive ? DECISION_COLORS.positivePoint : DECISION_COLORS.negativePoint,
          stroke: DECISION_COLORS.pointEdge,
          strokeWidth: 0.9,
          className: 'points',
        }),
        Plot.frame({ stroke: '#8a8a8a' }),
      ],
    },
    {
      title: plot.title,
      subtitle: plot.subtitle,
      legend: [
        { label: 'y = +1', color: DECISION_COLORS.positivePoint, shape: 'dot' },
        { label: 'y = −1', color: DECISION_COLORS.negativePoint, shape: 'dot' },
      ],
    },
  );
}
