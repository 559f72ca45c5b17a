/**
 * The decision-boundary picture of micrograd's demo, as a hand-written SVG: the model's score on a
 * grid, the region `score > 0` filled in one colour and the rest in another (like matplotlib's
 * `contourf` at a single level), the zero contour drawn as a line, the data on top coloured by
 * class, and axes with ticks.
 *
 * The filled region comes from marching squares: each grid cell is clipped against `score > 0`,
 * taking the score as linear along the cell's edges, so the boundary is a smooth polyline rather than
 * a staircase of cells. Every piece goes into ONE `<path>`: a rasteriser then adds up the coverage of
 * abutting pieces as one shape, so no hairline seams appear between cells.
 */
import {
  CHART_INK,
  chartAxes,
  chartLegend,
  chartTitles,
  niceTicks,
  svgDocument,
  svgNumber,
} from './svg-chart.js';

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
  /** Width of the plotting area in SVG units (default 560); the height keeps the data's aspect. */
  plotWidth?: number;
}

/** Colours of the two classes: light fills for the regions, strong ones for the points. */
export const PLOT_COLORS = {
  negativeRegion: '#f9d3c5',
  positiveRegion: '#c9def0',
  negativePoint: '#d6452b',
  positivePoint: '#2f74b5',
  pointEdge: '#1b1b1b',
  boundary: '#4a4a4a',
  ...CHART_INK,
} as const;

/**
 * Renders the decision-boundary plot as a standalone SVG document (with `width`, `height` and
 * `viewBox`). The x and y ranges are the data's, padded by 1 unit on each side (as in the demo).
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
  const xs = points.map((point) => point[0]);
  const ys = points.map((point) => point[1]);
  const x0 = (xs.length > 0 ? Math.min(...xs) : 0) - 1;
  const x1 = (xs.length > 0 ? Math.max(...xs) : 0) + 1;
  const y0 = (ys.length > 0 ? Math.min(...ys) : 0) - 1;
  const y1 = (ys.length > 0 ? Math.max(...ys) : 0) + 1;

  // ---- layout: equal scale on both axes, so the moons keep their shape ----
  const plotWidth = plot.plotWidth ?? 560;
  const scale = plotWidth / (x1 - x0);
  const plotHeight = (y1 - y0) * scale;
  const margin = { left: 58, right: 22, top: plot.subtitle === undefined ? 46 : 66, bottom: 52 };
  const width = margin.left + plotWidth + margin.right;
  const height = margin.top + plotHeight + margin.bottom;
  const px = (x: number) => margin.left + (x - x0) * scale;
  const py = (y: number) => margin.top + (y1 - y) * scale;
  const f = svgNumber;

  // ---- scores on the grid ----
  const nx = Math.max(2, Math.round(plot.resolution ?? 72));
  const h = (x1 - x0) / nx;
  const ny = Math.max(2, Math.ceil((y1 - y0) / h));
  const gridX = (i: number) => x0 + i * h;
  const gridY = (j: number) => Math.min(y1, y0 + j * h);
  const scores: Float64Array[] = [];
  for (let j = 0; j <= ny; j++) {
    const row = new Float64Array(nx + 1);
    for (let i = 0; i <= nx; i++) row[i] = plot.score(gridX(i), gridY(j));
    scores.push(row);
  }

  // ---- marching squares: positive region and zero contour ----
  const region: string[] = [];
  const contour: string[] = [];
  for (let j = 0; j < ny; j++) {
    let runStart = -1; // a run of fully positive cells becomes one rectangle
    const flushRun = (end: number) => {
      if (runStart < 0) return;
      const left = px(gridX(runStart));
      const right = px(gridX(end));
      const top = py(gridY(j + 1));
      const bottom = py(gridY(j));
      region.push(`M${f(left)} ${f(bottom)}H${f(right)}V${f(top)}H${f(left)}Z`);
      runStart = -1;
    };
    for (let i = 0; i < nx; i++) {
      // Corners counter-clockwise in data space: (i,j) (i+1,j) (i+1,j+1) (i,j+1).
      const cx = [gridX(i), gridX(i + 1), gridX(i + 1), gridX(i)];
      const cy = [gridY(j), gridY(j), gridY(j + 1), gridY(j + 1)];
      const v = [scores[j][i], scores[j][i + 1], scores[j + 1][i + 1], scores[j + 1][i]];
      const inside = v.map((value) => value > 0);
      const count = inside.filter(Boolean).length;
      if (count === 4) {
        if (runStart < 0) runStart = i;
        continue;
      }
      flushRun(i);
      if (count === 0) continue;
      const polygon: [number, number][] = [];
      const exits: [number, number][] = [];
      const entries: [number, number][] = [];
      for (let k = 0; k < 4; k++) {
        const next = (k + 1) % 4;
        if (inside[k]) polygon.push([cx[k], cy[k]]);
        if (inside[k] !== inside[next]) {
          const t = v[k] / (v[k] - v[next]); // where the linear interpolant crosses 0
          const point: [number, number] = [
            cx[k] + t * (cx[next] - cx[k]),
            cy[k] + t * (cy[next] - cy[k]),
          ];
          polygon.push(point);
          (inside[k] ? exits : entries).push(point);
        }
      }
      region.push(`M${polygon.map(([x, y]) => `${f(px(x))} ${f(py(y))}`).join('L')}Z`);
      // Each exit crossing is joined to the next entry crossing by the boundary inside the cell.
      for (let k = 0; k < exits.length; k++) {
        const exit = exits[k];
        const entry = entries[(k + (inside[0] ? 0 : 1)) % entries.length] ?? entries[0];
        contour.push(`M${f(px(exit[0]))} ${f(py(exit[1]))}L${f(px(entry[0]))} ${f(py(entry[1]))}`);
      }
    }
    flushRun(nx);
  }

  // ---- axes ----
  const { axes } = chartAxes(
    { left: margin.left, top: margin.top, width: plotWidth, height: plotHeight },
    { ticks: niceTicks(x0, x1), position: px, label: 'x₁' },
    { ticks: niceTicks(y0, y1), position: py, label: 'x₂' },
  );

  // ---- points: negatives first, so that both classes stay visible where they meet ----
  const circles: string[] = [];
  for (const positive of [false, true]) {
    for (let n = 0; n < points.length; n++) {
      if (labels[n] > 0 !== positive) continue;
      const fill = positive ? PLOT_COLORS.positivePoint : PLOT_COLORS.negativePoint;
      circles.push(
        `<circle class="point ${positive ? 'positive' : 'negative'}" cx="${f(px(points[n][0]))}" cy="${f(py(points[n][1]))}" r="4.5" fill="${fill}"/>`,
      );
    }
  }

  const legendX = margin.left + plotWidth - 118;
  const legendY = margin.top + 10;
  const legend = chartLegend({ x: legendX, y: legendY, width: 108, height: 44 }, [
    `<circle cx="${f(legendX + 14)}" cy="${f(legendY + 14)}" r="4.5" fill="${PLOT_COLORS.positivePoint}" stroke="${PLOT_COLORS.pointEdge}" stroke-width="0.9"/>`,
    `<text x="${f(legendX + 26)}" y="${f(legendY + 18)}">y = +1</text>`,
    `<circle cx="${f(legendX + 14)}" cy="${f(legendY + 31)}" r="4.5" fill="${PLOT_COLORS.negativePoint}" stroke="${PLOT_COLORS.pointEdge}" stroke-width="0.9"/>`,
    `<text x="${f(legendX + 26)}" y="${f(legendY + 35)}">y = −1</text>`,
  ]);
  return svgDocument(width, height, [
    // The margin above always leaves the title's line, so the subtitle stays on the second one.
    ...chartTitles(plot, margin.left + plotWidth / 2, { subtitleY: 48 }),
    `<rect class="region negative" x="${margin.left}" y="${margin.top}" width="${f(plotWidth)}" height="${f(plotHeight)}" fill="${PLOT_COLORS.negativeRegion}"/>`,
    `<path class="region positive" fill="${PLOT_COLORS.positiveRegion}" d="${region.join('')}"/>`,
    `<path class="boundary" fill="none" stroke="${PLOT_COLORS.boundary}" stroke-width="1.2" stroke-linecap="round" d="${contour.join('')}"/>`,
    `<g stroke="${PLOT_COLORS.pointEdge}" stroke-width="0.9">`,
    ...circles,
    '</g>',
    ...axes,
    ...legend,
  ]);
}
