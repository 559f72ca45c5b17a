/**
 * The training-loss picture of the makemore lectures: `plt.plot(stepi, lossi)` with
 * `lossi.append(loss.log10().item())`, i.e. the minibatch loss of every step on a log10 scale, and
 * (lecture 3) `plt.plot(torch.tensor(lossi).view(-1, 1000).mean(1))`, the mean over windows of steps,
 * which shows the trend under the minibatch noise. Dev losses measured during training are drawn as
 * points.
 *
 * Hundreds of thousands of steps do not fit in a few hundred pixels: above about two steps per pixel the
 * per-step curve becomes its envelope, the min and max of the steps that fall in each bin of about
 * a pixel (Plot's `binX` with `min`/`max`), filled. That is the band a line through every point
 * paints, at a tiny fraction of the size.
 */
import * as Plot from '@observablehq/plot';
import { plotSvg } from './plot.js';

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
   * Default `defaultSmoothWindow(steps)`: the lecture's 1,000 from 50,000 steps on, else about 1/50
   * of the steps on a 1-2-5 grid, at least 10; none under 100 steps.
   */
  smooth?: number;
  /** First line above the plot. */
  title?: string;
  /** Second, smaller line above the plot. */
  subtitle?: string;
  /** Width of the whole plot in SVG units (default 720). */
  width?: number;
  /** Height of the plot below the titles in SVG units (default 420). */
  height?: number;
}

/** Colours: matplotlib's first two cycle colours, the per-step band lighter. */
export const LOSS_COLORS = {
  band: '#a6c8e6',
  line: '#1f77b4',
  smooth: '#0b3d6e',
  dev: '#ff7f0e',
} as const;

/**
 * The default smoothing window for `steps` steps: the lecture's chunks of 1,000 steps
 * (`torch.tensor(lossi).view(-1, 1000).mean(1)`, 200 points for its 200,000 steps) once a run has
 * 50,000 steps or more; a shorter run gets about 50 points, steps/50 rounded down to 1, 2 or
 * 5 × 10^k (30,000 steps → 500), at least 10; 0 (no smoothed line) below 100 steps.
 *
 * @example
 * defaultSmoothWindow(200000); // 1000
 * defaultSmoothWindow(30000); // 500
 * defaultSmoothWindow(300); // 10
 * defaultSmoothWindow(50); // 0
 */
export function defaultSmoothWindow(steps: number): number {
  if (steps < 100) return 0;
  const raw = Math.min(1000, Math.max(10, steps / 50));
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
 * The means of log10(loss) over consecutive windows of `window` steps, each at its window's middle
 * step (NaN entries are skipped; a window with none is dropped).
 *
 * @example
 * windowMeans(Float64Array.of(1, 3, 5, 7), 2, 0); // [{ step: 0.5, value: 2 }, { step: 2.5, value: 6 }]
 */
export function windowMeans(
  values: ArrayLike<number>,
  window: number,
  firstStep: number,
): { step: number; value: number }[] {
  const means: { step: number; value: number }[] = [];
  for (let start = 0; start + window <= values.length; start += window) {
    let total = 0;
    let count = 0;
    for (let k = start; k < start + window; k++) {
      if (!Number.isNaN(values[k])) {
        total += values[k];
        count++;
      }
    }
    if (count > 0) means.push({ step: firstStep + start + (window - 1) / 2, value: total / count });
  }
  return means;
}

/**
 * Renders the loss curve (log10 loss per step, window means, dev points) as a standalone SVG document.
 *
 * @example
 * const svg = lossCurveSvg({ losses: [3.3, 2.9, 2.7, 2.6], title: 'MLP' });
 * svg.includes('log10(loss)'); // true
 */
export function lossCurveSvg(plot: LossCurvePlot): string {
  const n = plot.losses.length;
  const firstStep = plot.firstStep ?? 0;
  const width = plot.width ?? 720;
  const height = plot.height ?? 420;
  const logs = new Float64Array(n);
  const steps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const value = plot.losses[k];
    logs[k] = Number.isFinite(value) && value > 0 ? Math.log10(value) : Number.NaN;
    steps[k] = firstStep + k;
  }
  const dev = (plot.dev ?? []).filter((point) => Number.isFinite(point.loss) && point.loss > 0);
  const window = plot.smooth ?? defaultSmoothWindow(n);
  const means = window > 1 ? windowMeans(logs, window, firstStep) : [];
  const columns = Math.round(width - 80); // about one bin per pixel of the plotting area
  const asBand = n > 2 * columns;
  const data = { length: n };

  const marks: Plot.Markish[] = [Plot.gridY({ stroke: '#000000', strokeOpacity: 0.08 })];
  if (asBand) {
    // (a variable, not a literal: Plot's types leave out the `y` that the min/max reducers read)
    const band = { x: steps, y: logs, thresholds: columns, fill: LOSS_COLORS.band };
    marks.push(
      Plot.areaY(data, { ...Plot.binX({ y1: 'min', y2: 'max' }, band), className: 'train-band' }),
    );
  } else {
    marks.push(
      Plot.lineY(data, {
        x: steps,
        y: logs,
        stroke: LOSS_COLORS.line,
        strokeWidth: 1.1,
        className: 'train-line',
      }),
    );
  }
  if (means.length > 1) {
    marks.push(
      Plot.lineY(means, {
        x: 'step',
        y: 'value',
        stroke: LOSS_COLORS.smooth,
        strokeWidth: 2.2,
        className: 'train-smooth',
      }),
    );
  }
  if (dev.length > 0) {
    marks.push(
      Plot.dot(dev, {
        x: 'step',
        y: (point: { loss: number }) => Math.log10(point.loss),
        r: 4,
        fill: LOSS_COLORS.dev,
        stroke: 'white',
        strokeWidth: 1,
        className: 'dev',
      }),
    );
  }
  marks.push(Plot.frame({ stroke: '#8a8a8a' }));

  const lastStep = Math.max(firstStep + 1, firstStep + n - 1, ...dev.map((point) => point.step));
  return plotSvg(
    {
      width,
      height,
      marginLeft: 62,
      marginRight: 24,
      marginTop: 16,
      marginBottom: 46,
      x: {
        domain: [firstStep, lastStep],
        label: 'step',
        labelAnchor: 'center',
        labelArrow: 'none',
        tickFormat: formatSteps,
      },
      y: { label: 'log10(loss)', labelAnchor: 'center', labelArrow: 'none', nice: true },
      marks,
    },
    {
      title: plot.title,
      subtitle: plot.subtitle,
      legend: [
        asBand
          ? { label: 'train, per step (min–max)', color: LOSS_COLORS.band, shape: 'band' as const }
          : { label: 'train, per step', color: LOSS_COLORS.line },
        ...(means.length > 1
          ? [
              {
                label: `train, mean of ${window.toLocaleString('en-US')} steps`,
                color: LOSS_COLORS.smooth,
              },
            ]
          : []),
        ...(dev.length > 0
          ? [{ label: 'dev', color: LOSS_COLORS.dev, shape: 'dot' as const }]
          : []),
      ],
    },
  );
}
