/**
 * The learning-rate finder's picture (makemore part 2): `plt.plot(lri, lossi)`, the minibatch
 * loss of each step of the sweep against its learning rate on a log axis. The loss falls while the
 * rate is useful and shoots up once it is too large; the suggested rate is marked by a vertical line.
 */
import * as Plot from '@observablehq/plot';
import { windowMeans } from './loss-curve.js';
import { plotSvg } from './plot.js';

/** What to draw: one loss per learning rate of the sweep, and the suggestion. */
export interface LrCurvePlot {
  /** The learning rate of each step (increasing). */
  lrs: ArrayLike<number>;
  /** The loss at each step (NaN after the sweep diverged: not drawn). */
  losses: ArrayLike<number>;
  /** The suggested learning rate, marked by a vertical line. */
  suggestion?: number;
  /** First line above the plot. */
  title?: string;
  /** Second, smaller line above the plot. */
  subtitle?: string;
}

/** Colours: matplotlib's first cycle colour for the loss, a darker line for the smoothed one. */
export const LR_COLORS = { loss: '#a6c8e6', smooth: '#0b3d6e', suggestion: '#d62728' } as const;

/**
 * Renders the learning-rate sweep as a standalone SVG document.
 *
 * @example
 * const svg = lrCurveSvg({ lrs: [0.001, 0.01, 0.1, 1], losses: [3.3, 3.1, 2.6, 9], suggestion: 0.03 });
 * svg.includes('learning rate'); // true
 */
export function lrCurveSvg(plot: LrCurvePlot): string {
  const n = plot.lrs.length;
  if (plot.losses.length !== n) {
    throw new RangeError(
      `lrCurveSvg: lrs and losses must have the same length, got ${n} and ${plot.losses.length}`,
    );
  }
  const points: { lr: number; loss: number }[] = [];
  for (let k = 0; k < n; k++) {
    if (Number.isFinite(plot.losses[k]) && plot.lrs[k] > 0) {
      points.push({ lr: plot.lrs[k], loss: plot.losses[k] });
    }
  }
  // The same smoothing as the loss curve: means over windows of ~2% of the sweep (in log lr).
  const window = Math.max(1, Math.round(n / 50));
  const logLrs = points.map((point) => Math.log10(point.lr));
  const lossMeans = windowMeans(
    points.map((point) => point.loss),
    window,
    0,
  );
  const smooth = lossMeans.map(({ step, value }) => {
    const below = Math.floor(step);
    const t = step - below;
    const logLr = logLrs[below] + t * ((logLrs[below + 1] ?? logLrs[below]) - logLrs[below]);
    return { lr: 10 ** logLr, loss: value };
  });
  const marks: Plot.Markish[] = [
    Plot.gridY({ stroke: '#000000', strokeOpacity: 0.08 }),
    Plot.lineY(points, { x: 'lr', y: 'loss', stroke: LR_COLORS.loss, className: 'loss' }),
  ];
  if (smooth.length > 1) {
    marks.push(
      Plot.lineY(smooth, {
        x: 'lr',
        y: 'loss',
        stroke: LR_COLORS.smooth,
        strokeWidth: 2.2,
        className: 'smooth',
      }),
    );
  }
  if (plot.suggestion !== undefined) {
    marks.push(
      Plot.ruleX([plot.suggestion], {
        stroke: LR_COLORS.suggestion,
        strokeDasharray: '5,4',
        strokeWidth: 1.6,
        className: 'suggestion',
      }),
    );
  }
  marks.push(Plot.frame({ stroke: '#8a8a8a' }));
  const first = n > 0 ? plot.lrs[0] : 1e-3;
  const last = n > 0 ? plot.lrs[n - 1] : 1;
  return plotSvg(
    {
      width: 720,
      height: 420,
      marginLeft: 62,
      marginRight: 24,
      marginTop: 16,
      marginBottom: 46,
      x: {
        type: 'log',
        domain: [first, last],
        // One labelled tick per power of ten, written out (0.001, not Plot's SI "1m").
        ticks: powersOfTen(first, last),
        tickFormat: formatRate,
        label: 'learning rate (log scale)',
        labelAnchor: 'center',
        labelArrow: 'none',
      },
      y: { label: 'loss', labelAnchor: 'center', labelArrow: 'none', nice: true },
      marks,
    },
    {
      title: plot.title,
      subtitle: plot.subtitle,
      legend: [
        { label: 'loss of one step', color: LR_COLORS.loss },
        ...(smooth.length > 1
          ? [{ label: `mean of ${window} steps`, color: LR_COLORS.smooth }]
          : []),
        ...(plot.suggestion === undefined
          ? []
          : [
              {
                label: `suggested lr ${formatRate(plot.suggestion)}`,
                color: LR_COLORS.suggestion,
              },
            ]),
      ],
    },
  );
}

/** The powers of ten in `[low, high]` (both ends included when they are powers). */
function powersOfTen(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.ceil(Math.log10(low) - 1e-9); e <= Math.floor(Math.log10(high) + 1e-9); e++) {
    ticks.push(10 ** e);
  }
  return ticks;
}

/**
 * A learning rate in 3 significant digits: `0.0316`, `0.1`, `1.5`.
 *
 * @example
 * formatRate(0.031622776601683794); // '0.0316'
 */
export function formatRate(lr: number): string {
  return String(Number(lr.toPrecision(3)));
}
