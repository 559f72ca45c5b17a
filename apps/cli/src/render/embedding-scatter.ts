/**
 * The embedding picture of makemore part 2: with a 2-dimensional embedding table `C`,
 * `plt.scatter(C[:,0], C[:,1], s=200)` and each character written in white on its dot, with a grid.
 * Characters used in similar contexts end up close (the vowels cluster; `.` and `q` sit apart).
 * With more than two dimensions the caller passes the first two, which is what the lecture's figure
 * would show for `C[:, :2]`.
 */
import {
  chartAxes,
  chartTitles,
  escapeXml,
  FONT,
  niceTicks,
  svgDocument,
  svgNumber,
  titleSpace,
} from './svg-chart.js';

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
  /** Side of the square plotting area in SVG units (default 560). */
  plotSize?: number;
}

/** matplotlib's first cycle colour, as in the lecture. */
const DOT = '#1f77b4';

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
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const range = (values: number[]) => {
    let low = values.length > 0 ? Math.min(...values) : -1;
    let high = values.length > 0 ? Math.max(...values) : 1;
    if (high - low < 1e-9) {
      low -= 1;
      high += 1;
    }
    const pad = (high - low) * 0.08; // room for the dots' radius at the edges
    return [low - pad, high + pad] as const;
  };
  const [x0, x1] = range(finite.map((point) => point[0]));
  const [y0, y1] = range(finite.map((point) => point[1]));

  const size = plot.plotSize ?? 560;
  const margin = { left: 62, right: 22, top: titleSpace(plot), bottom: 52 };
  const width = margin.left + size + margin.right;
  const height = margin.top + size + margin.bottom;
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * size;
  const py = (y: number) => margin.top + ((y1 - y) / (y1 - y0)) * size;
  const f = svgNumber;
  const { grid, axes } = chartAxes(
    { left: margin.left, top: margin.top, width: size, height: size },
    { ticks: niceTicks(x0, x1, 8), position: px, label: plot.xLabel ?? 'C[:, 0]', grid: true },
    { ticks: niceTicks(y0, y1, 8), position: py, label: plot.yLabel ?? 'C[:, 1]', grid: true },
  );

  const dots: string[] = [];
  const letters: string[] = [];
  points.forEach(([x, y], k) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const label = labels[k] === ' ' ? '␣' : labels[k];
    dots.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="11"/>`);
    letters.push(`<text x="${f(px(x))}" y="${f(py(y) + 4.5)}">${escapeXml(label)}</text>`);
  });

  return svgDocument(width, height, [
    ...chartTitles(plot, margin.left + size / 2),
    ...grid,
    `<g class="dots" fill="${DOT}" fill-opacity="0.92">`,
    ...dots,
    '</g>',
    `<g class="letters" ${FONT} font-size="13" font-weight="bold" fill="white" text-anchor="middle">`,
    ...letters,
    '</g>',
    ...axes,
  ]);
}
