/**
 * The training-loss picture of the makemore lectures: `plt.plot(stepi, lossi)` with
 * `lossi.append(loss.log10().item())`, i.e. the minibatch loss of every step on a log10 scale, and
 * (lecture 3) `plt.plot(torch.tensor(lossi).view(-1, 1000).mean(1))`, the mean over windows of steps,
 * which shows the trend under the minibatch noise. Dev losses measured during training are drawn as
 * points.
 *
 * Hundreds of thousands of steps do not fit in a few hundred pixels: above `2·plotWidth` steps the
 * per-step curve becomes its envelope, the min and max of the steps that fall in each pixel column,
 * filled. That is exactly the band a line through every point paints, at a tiny fraction of the size.
 */
import {
  chartAxes,
  chartLegend,
  chartTitles,
  niceTicks,
  svgDocument,
  svgNumber,
  titleSpace,
} from './svg-chart.js';

/** What to draw: one loss per step, optionally dev-loss points. */
export interface LossCurvePlot {
  /** Training loss of each step (step k at index k); non-finite or non-positive values are skipped. */
  losses: ArrayLike<number>;
  /** The step number of `losses[0]` (default 0; a resumed run starts later). */
  firstStep?: number;
  /** Dev (validation) losses measured at some steps. */
  dev?: readonly { step: number; loss: number }[];
  /**
   * Steps per window of the smoothed line (the lecture's `view(-1, 1000).mean(1)`); `0` draws none.
   * Default: about 1/100 of the steps, rounded to 1, 2 or 5 × 10^k, at least 10; none under 100 steps.
   */
  smooth?: number;
  /** First line above the plot. */
  title?: string;
  /** Second, smaller line above the plot. */
  subtitle?: string;
  /** Width of the plotting area in SVG units (default 640). */
  plotWidth?: number;
  /** Height of the plotting area in SVG units (default 360). */
  plotHeight?: number;
}

/** Colours: matplotlib's first two cycle colours, the per-step band lighter. */
const COLORS = { band: '#a6c8e6', line: '#1f77b4', smooth: '#0b3d6e', dev: '#ff7f0e' } as const;

/**
 * The default smoothing window for `steps` steps: ≈ steps/100 rounded down to 1, 2 or 5 × 10^k
 * (200,000 steps → 2,000), at least 10; 0 (no smoothed line) below 100 steps.
 *
 * @example
 * defaultSmoothWindow(200000); // 2000
 * defaultSmoothWindow(300); // 10
 * defaultSmoothWindow(50); // 0
 */
export function defaultSmoothWindow(steps: number): number {
  if (steps < 100) return 0;
  const raw = Math.max(10, steps / 100);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [5, 2, 1].map((m) => m * power).find((w) => w <= raw) ?? power;
}

/**
 * A step count for an axis: `500`, `1.5k`, `200k`, `1.2M`.
 *
 * @example
 * formatSteps(150000); // '150k'
 */
export function formatSteps(step: number): string {
  if (Math.abs(step) < 1000) return String(step);
  if (Math.abs(step) < 1e6) return `${Math.round((step / 1000) * 10) / 10}k`;
  return `${Math.round((step / 1e6) * 10) / 10}M`;
}

/**
 * Renders the loss curve (log10 loss per step) as a standalone SVG document.
 *
 * @example
 * const svg = lossCurveSvg({ losses: [3.3, 2.9, 2.7, 2.6], title: 'MLP' });
 * svg.includes('log10(loss)'); // true
 */
export function lossCurveSvg(plot: LossCurvePlot): string {
  const { losses } = plot;
  const n = losses.length;
  const dev = (plot.dev ?? []).filter((point) => Number.isFinite(point.loss) && point.loss > 0);
  const logs = new Float64Array(n);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const value = losses[k];
    logs[k] = Number.isFinite(value) && value > 0 ? Math.log10(value) : Number.NaN;
    if (!Number.isNaN(logs[k])) {
      low = Math.min(low, logs[k]);
      high = Math.max(high, logs[k]);
    }
  }
  for (const point of dev) {
    low = Math.min(low, Math.log10(point.loss));
    high = Math.max(high, Math.log10(point.loss));
  }
  if (!Number.isFinite(low)) {
    low = 0;
    high = 1;
  }
  if (high - low < 1e-3) {
    low -= 0.05;
    high += 0.05;
  }
  const pad = (high - low) * 0.04;
  const y0 = low - pad;
  const y1 = high + pad;
  const firstStep = plot.firstStep ?? 0;
  const lastStep = Math.max(firstStep + 1, firstStep + n - 1, ...dev.map((point) => point.step));

  // ---- layout ----
  const plotWidth = plot.plotWidth ?? 640;
  const plotHeight = plot.plotHeight ?? 360;
  const margin = { left: 66, right: 22, top: titleSpace(plot), bottom: 52 };
  const width = margin.left + plotWidth + margin.right;
  const height = margin.top + plotHeight + margin.bottom;
  const px = (step: number) =>
    margin.left + ((step - firstStep) / (lastStep - firstStep)) * plotWidth;
  const py = (value: number) => margin.top + ((y1 - value) / (y1 - y0)) * plotHeight;
  const f = svgNumber;

  // ---- per-step curve: a line when it is sparse, else the min/max envelope per pixel column ----
  let perStep = '';
  let perStepIsBand = false;
  if (n <= 2 * plotWidth) {
    const parts: string[] = [];
    let pen = 'M';
    for (let k = 0; k < n; k++) {
      if (Number.isNaN(logs[k])) {
        pen = 'M';
        continue;
      }
      parts.push(`${pen}${f(px(firstStep + k))} ${f(py(logs[k]))}`);
      pen = 'L';
    }
    perStep = parts.join('');
  } else {
    perStepIsBand = true;
    const columns = Math.ceil(plotWidth);
    const mins = new Float64Array(columns).fill(Number.NaN);
    const maxs = new Float64Array(columns).fill(Number.NaN);
    for (let k = 0; k < n; k++) {
      if (Number.isNaN(logs[k])) continue;
      const c = Math.min(columns - 1, Math.floor((k / (lastStep - firstStep)) * columns));
      if (Number.isNaN(mins[c]) || logs[k] < mins[c]) mins[c] = logs[k];
      if (Number.isNaN(maxs[c]) || logs[k] > maxs[c]) maxs[c] = logs[k];
    }
    // One closed polygon per run of non-empty columns: along the maxima, back along the minima.
    let c = 0;
    const pieces: string[] = [];
    while (c < columns) {
      if (Number.isNaN(mins[c])) {
        c++;
        continue;
      }
      const start = c;
      while (c < columns && !Number.isNaN(mins[c])) c++;
      const top: string[] = [];
      const bottom: string[] = [];
      for (let k = start; k < c; k++) {
        const left = margin.left + k;
        top.push(`${f(left)} ${f(py(maxs[k]))}`, `${f(left + 1)} ${f(py(maxs[k]))}`);
        bottom.push(`${f(left + 1)} ${f(py(mins[k]))}`, `${f(left)} ${f(py(mins[k]))}`);
      }
      pieces.push(`M${top.join('L')}L${bottom.reverse().join('L')}Z`);
    }
    perStep = pieces.join('');
  }

  // ---- smoothed: mean of log10 loss over consecutive windows, drawn at each window's middle ----
  const window = plot.smooth ?? defaultSmoothWindow(n);
  const smoothPoints: string[] = [];
  if (window > 1) {
    for (let start = 0; start + window <= n; start += window) {
      let total = 0;
      let count = 0;
      for (let k = start; k < start + window; k++) {
        if (!Number.isNaN(logs[k])) {
          total += logs[k];
          count++;
        }
      }
      if (count > 0) {
        const middle = start + (window - 1) / 2;
        smoothPoints.push(`${f(px(firstStep + middle))} ${f(py(total / count))}`);
      }
    }
  }
  const smoothPath = smoothPoints.length > 1 ? `M${smoothPoints.join('L')}` : '';

  const devMarks = dev.map(
    (point) =>
      `<circle cx="${f(px(point.step))}" cy="${f(py(Math.log10(point.loss)))}" r="4" fill="${COLORS.dev}"/>`,
  );

  // ---- axes: step along the bottom, log10(loss) on the left (as in the lecture) ----
  const { grid, axes } = chartAxes(
    { left: margin.left, top: margin.top, width: plotWidth, height: plotHeight },
    { ticks: niceTicks(firstStep, lastStep, 6), position: px, label: 'step', format: formatSteps },
    { ticks: niceTicks(y0, y1, 6), position: py, label: 'log10(loss)', grid: true },
  );

  // ---- legend ----
  const legendItems: string[] = [];
  let legendRow = 0;
  const legendX = margin.left + plotWidth - 196;
  const legendY = margin.top + 10;
  const row = () => legendY + 16 + 18 * legendRow++;
  {
    const y = row();
    legendItems.push(
      perStepIsBand
        ? `<rect x="${f(legendX + 8)}" y="${f(y - 5)}" width="22" height="10" fill="${COLORS.band}"/>`
        : `<line x1="${f(legendX + 8)}" y1="${f(y)}" x2="${f(legendX + 30)}" y2="${f(y)}" stroke="${COLORS.line}" stroke-width="1.2"/>`,
      `<text x="${f(legendX + 38)}" y="${f(y + 4)}">train, per step</text>`,
    );
  }
  if (smoothPath !== '') {
    const y = row();
    legendItems.push(
      `<line x1="${f(legendX + 8)}" y1="${f(y)}" x2="${f(legendX + 30)}" y2="${f(y)}" stroke="${COLORS.smooth}" stroke-width="2.2"/>`,
      `<text x="${f(legendX + 38)}" y="${f(y + 4)}">train, mean of ${window.toLocaleString('en-US')} steps</text>`,
    );
  }
  if (devMarks.length > 0) {
    const y = row();
    legendItems.push(
      `<circle cx="${f(legendX + 19)}" cy="${f(y)}" r="4" fill="${COLORS.dev}"/>`,
      `<text x="${f(legendX + 38)}" y="${f(y + 4)}">dev</text>`,
    );
  }

  return svgDocument(width, height, [
    ...chartTitles(plot, margin.left + plotWidth / 2),
    ...grid,
    perStepIsBand
      ? `<path class="train band" fill="${COLORS.band}" d="${perStep}"/>`
      : `<path class="train line" fill="none" stroke="${COLORS.line}" stroke-width="1.1" stroke-linejoin="round" d="${perStep}"/>`,
    smoothPath === ''
      ? ''
      : `<path class="train smooth" fill="none" stroke="${COLORS.smooth}" stroke-width="2.2" stroke-linejoin="round" d="${smoothPath}"/>`,
    `<g class="dev" stroke="white" stroke-width="1">`,
    ...devMarks,
    '</g>',
    ...axes,
    ...chartLegend(
      { x: legendX, y: legendY, width: 186, height: 12 + 18 * legendRow, opacity: 0.88 },
      legendItems,
    ),
  ]);
}
