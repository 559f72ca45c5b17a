/**
 * The embedding picture of makemore part 2: with a 2-dimensional embedding table `C`,
 * `plt.scatter(C[:,0], C[:,1], s=200)` and each character written in white on its dot, with a grid.
 * Characters used in similar contexts end up close (the vowels cluster; `.` and `q` sit apart).
 * With more than two dimensions the caller passes the first two, which is what the lecture's figure
 * would show for `C[:, :2]`.
 */
import { escapeXml, FONT, formatTick, niceTicks, PLOT_COLORS } from './svg-plot.js';

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
  const margin = {
    left: 62,
    right: 22,
    top: (plot.title === undefined ? 16 : 42) + (plot.subtitle === undefined ? 0 : 20),
    bottom: 52,
  };
  const width = margin.left + size + margin.right;
  const height = margin.top + size + margin.bottom;
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * size;
  const py = (y: number) => margin.top + ((y1 - y) / (y1 - y0)) * size;
  const f = (v: number) => String(Math.round(v * 100) / 100);

  const bottom = margin.top + size;
  const right = margin.left + size;
  const grid: string[] = [];
  const axis: string[] = [];
  for (const tick of niceTicks(x0, x1, 8)) {
    const x = f(px(tick));
    grid.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${f(bottom)}"/>`);
    axis.push(`<line x1="${x}" y1="${f(bottom)}" x2="${x}" y2="${f(bottom + 5)}"/>`);
    axis.push(
      `<text x="${x}" y="${f(bottom + 19)}" text-anchor="middle" stroke="none">${formatTick(tick)}</text>`,
    );
  }
  for (const tick of niceTicks(y0, y1, 8)) {
    const y = f(py(tick));
    grid.push(`<line x1="${margin.left}" y1="${y}" x2="${f(right)}" y2="${y}"/>`);
    axis.push(`<line x1="${margin.left - 5}" y1="${y}" x2="${margin.left}" y2="${y}"/>`);
    axis.push(
      `<text x="${margin.left - 8}" y="${f(py(tick) + 4)}" text-anchor="end" stroke="none">${formatTick(tick)}</text>`,
    );
  }

  const dots: string[] = [];
  const letters: string[] = [];
  points.forEach(([x, y], k) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const label = labels[k] === ' ' ? '␣' : labels[k];
    dots.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="11"/>`);
    letters.push(`<text x="${f(px(x))}" y="${f(py(y) + 4.5)}">${escapeXml(label)}</text>`);
  });

  const centerX = margin.left + size / 2;
  const middleY = margin.top + size / 2;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<g ${FONT} fill="${PLOT_COLORS.text}" text-anchor="middle">`,
    plot.title === undefined
      ? ''
      : `<text x="${f(centerX)}" y="26" font-size="16" font-weight="bold">${escapeXml(plot.title)}</text>`,
    plot.subtitle === undefined
      ? ''
      : `<text x="${f(centerX)}" y="${plot.title === undefined ? 22 : 48}" font-size="12.5">${escapeXml(plot.subtitle)}</text>`,
    '</g>',
    `<g class="grid" stroke="#e3e3e3" stroke-width="1">`,
    ...grid,
    '</g>',
    `<g class="dots" fill="${DOT}" fill-opacity="0.92">`,
    ...dots,
    '</g>',
    `<g class="letters" ${FONT} font-size="13" font-weight="bold" fill="white" text-anchor="middle">`,
    ...letters,
    '</g>',
    `<rect x="${margin.left}" y="${margin.top}" width="${size}" height="${size}" fill="none" stroke="${PLOT_COLORS.axis}" stroke-width="1"/>`,
    `<g ${FONT} font-size="11" fill="${PLOT_COLORS.text}" stroke="${PLOT_COLORS.axis}" stroke-width="1">`,
    ...axis,
    '</g>',
    `<g ${FONT} font-size="13" fill="${PLOT_COLORS.text}" text-anchor="middle">`,
    `<text x="${f(centerX)}" y="${f(bottom + 40)}">${escapeXml(plot.xLabel ?? 'C[:, 0]')}</text>`,
    `<text x="18" y="${f(middleY)}" transform="rotate(-90 18 ${f(middleY)})">${escapeXml(plot.yLabel ?? 'C[:, 1]')}</text>`,
    '</g>',
    '</svg>',
    '',
  ];
  return lines.filter((line) => line !== '').join('\n');
}
