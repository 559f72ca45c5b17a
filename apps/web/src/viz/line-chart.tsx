/**
 * A live line chart (uPlot on a canvas): cheap to update many times a second. Series share one
 * x array; `y` values may be `null` where a series has no point (dev loss between evaluations).
 *
 * Options: a logarithmic y axis (`logY`, base 10: a loss curve's late progress stays visible),
 * horizontal reference lines (`references`: "the count model's loss", "the lecture's 2.17") drawn
 * as dashed series so they appear in the legend and always fall inside the y range, and a width
 * that follows the container (never wider than it, so a phone shows the whole chart; `width` is
 * the most it grows to). The legend shows the latest values (each series' last point) unless the
 * pointer is over the chart, and the y axis always spans a visible range (a factor of 2 on a log
 * axis; 10% of the value on a linear one): a flat curve would otherwise get one tick label
 * repeated, "1.466 1.466 1.466".
 *
 * @example
 * ```tsx
 * <LineChart
 *   title="Training loss per step"
 *   xLabel="step"
 *   yLabel="loss"
 *   logY
 *   data={[steps, losses]}
 *   series={[{ label: 'train', color: '#2f6fb3' }]}
 *   references={[{ label: 'bigram counts', y: 2.454, color: '#b3541e' }]}
 * />
 * ```
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LineSeries {
  label: string;
  color: string;
  /** Draw points only (dev loss), not a line. */
  points?: boolean;
  width?: number;
  dash?: number[];
}

export interface ReferenceLine {
  label: string;
  /** Where the horizontal line is (in data units; > 0 on a log axis). */
  y: number;
  color: string;
  /** Dash pattern in px; [6, 4] by default. */
  dash?: number[];
}

export interface LineChartProps {
  /** x values then one array per series. */
  data: [ArrayLike<number>, ...ArrayLike<number | null>[]];
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  /** The widest the chart grows, px; it fills its container (and follows its size) up to this. */
  width?: number;
  height?: number;
  /** Logarithmic y axis, base 10 (values must be > 0; others are not drawn). */
  logY?: boolean;
  /** Horizontal reference lines, listed in the legend after the series. */
  references?: ReferenceLine[];
  /** Accessible description of what the chart shows. */
  title: string;
}

/** A constant array of length `n` for a reference line, without allocating on every update. */
function constantSeries(cache: { values: Float64Array }, y: number, n: number): Float64Array {
  if (cache.values.length < n || cache.values[0] !== y) {
    cache.values = new Float64Array(Math.max(n, cache.values.length * 2, 64)).fill(y);
  }
  return cache.values.subarray(0, n);
}

/**
 * The y range of a log axis: the data's range, widened around its geometric middle to at least
 * a factor of `minRatio` (so that the ticks are distinct numbers), then out to whole ticks.
 */
export function logRange(min: number, max: number, minRatio = 2): [number, number] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [0.1, 10];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi / lo < minRatio) {
    const middle = Math.sqrt(lo * hi);
    const half = Math.sqrt(minRatio);
    lo = middle / half;
    hi = middle * half;
  }
  return [lo, hi];
}

/**
 * The y range of a linear axis: the data's range, widened around its middle to at least
 * `minSpan` (10% of the middle's magnitude, at least 0.1), so that a flat curve (one point, or a
 * run that stopped at once) gets distinct tick labels rather than "1.466" five times.
 */
export function linearRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  const middle = (lo + hi) / 2;
  const minSpan = Math.max(0.1, Math.abs(middle) * 0.1);
  if (hi - lo < minSpan) {
    lo = middle - minSpan / 2;
    hi = middle + minSpan / 2;
  } else {
    // uPlot's usual 10% headroom.
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  return [lo, hi];
}

/**
 * A y value for the legend and the axis, short whatever its size: whole numbers below 10⁵ as
 * they are, others to four significant digits, and exponent notation from 10⁵ up and below 10⁻³ (a diverged loss of 10⁹³ would otherwise be
 * written out in full, 120 characters wide, and push the chart off a phone's screen).
 */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '--';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3)) return value.toExponential(2);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/**
 * For each series, the index of its last non-null value (the x series: the last index), looking
 * back at most `lookBack` points; null where a series has none there.
 */
export function latestIndexes(
  data: ArrayLike<ArrayLike<number | null>>,
  lookBack = 5000,
): (number | null)[] {
  const n = data[0]?.length ?? 0;
  const idxs: (number | null)[] = [];
  for (let s = 0; s < data.length; s++) {
    const values = data[s];
    let found: number | null = null;
    for (let i = n - 1; i >= Math.max(0, n - lookBack); i--) {
      const v = values[i];
      if (v !== null && v !== undefined && !Number.isNaN(v)) {
        found = i;
        break;
      }
    }
    idxs.push(found);
  }
  return idxs;
}

export function LineChart({
  data,
  series,
  xLabel,
  yLabel,
  width,
  height = 300,
  logY = false,
  references = [],
  title,
}: LineChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const caches = useRef<{ values: Float64Array }[]>([]);
  const latest = useRef(data);
  latest.current = data;
  const hovering = useRef(false);
  const showLatest = (plot: uPlot) => {
    if (hovering.current) return;
    plot.setLegend(
      { idxs: latestIndexes(plot.data as ArrayLike<ArrayLike<number | null>>) },
      false,
    );
  };

  const withReferences = (rows: LineChartProps['data']): uPlot.AlignedData => {
    const n = rows[0].length;
    return [
      ...rows,
      ...references.map((reference, i) => {
        caches.current[i] ??= { values: new Float64Array(0) };
        return constantSeries(caches.current[i], reference.y, n);
      }),
    ] as unknown as uPlot.AlignedData;
  };

  const key = JSON.stringify([
    series.map((s) => [s.label, s.color, s.points, s.width, s.dash]),
    references,
    logY,
  ]);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const measure = () => {
      const available = Math.floor(element.clientWidth) || width || 640;
      return Math.max(200, Math.min(width ?? available, available));
    };
    const opts: uPlot.Options = {
      width: measure(),
      height,
      scales: {
        x: { time: false },
        y: logY
          ? { distr: 3, log: 10, range: (_u, min, max) => logRange(min, max) }
          : { range: (_u, min, max) => linearRange(min, max) },
      },
      axes: [
        { label: xLabel },
        { label: yLabel, values: (_u, splits) => splits.map((v) => formatValue(v)) },
      ],
      legend: { show: true },
      hooks: {
        // uPlot blanks the legend ("--") whenever its cursor is off the plot (after each redraw,
        // on mouse leave): put the latest values back unless the pointer is on the plot.
        setLegend: [
          (u) => {
            if (u.legend.idx == null) showLatest(u);
          },
        ],
      },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          value: (_u: uPlot, v: number | null) => formatValue(v),
          stroke: s.color,
          width: s.points ? 0 : (s.width ?? 1.5),
          dash: s.dash,
          points: s.points
            ? { show: true, size: 7, fill: s.color, stroke: s.color }
            : { show: false },
          spanGaps: !s.points,
        })),
        ...references.map((reference) => ({
          label: reference.label,
          value: (_u: uPlot, v: number | null) => formatValue(v),
          stroke: reference.color,
          width: 1.5,
          dash: reference.dash ?? [6, 4],
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(opts, withReferences(latest.current), element);
    chart.current = plot;
    // The legend reads the latest values while the pointer is elsewhere (uPlot shows "--").
    hovering.current = false;
    const onEnter = () => {
      hovering.current = true;
    };
    const onLeave = () => {
      hovering.current = false;
      requestAnimationFrame(() => showLatest(plot));
    };
    plot.over.addEventListener('mouseenter', onEnter);
    plot.over.addEventListener('mouseleave', onLeave);
    showLatest(plot);
    // Follow the container's width (panels resize with the window); one resize per frame at most.
    let frame = 0;
    const observer =
      typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => {
            cancelAnimationFrame(frame);
            frame = requestAnimationFrame(() => {
              const next = measure();
              if (next !== plot.width) plot.setSize({ width: next, height });
            });
          })
        : null;
    observer?.observe(element);
    return () => {
      plot.over.removeEventListener('mouseenter', onEnter);
      plot.over.removeEventListener('mouseleave', onLeave);
      observer?.disconnect();
      cancelAnimationFrame(frame);
      plot.destroy();
      chart.current = null;
    };
    // Re-create only when the series set, scale or size changes; data updates go through setData.
  }, [key, width, height, xLabel, yLabel]);

  useEffect(() => {
    const plot = chart.current;
    if (!plot) return;
    plot.setData(withReferences(data));
    showLatest(plot);
  }, [data]);

  return (
    <div
      ref={host}
      class="line-chart"
      role="img"
      aria-label={title}
      style={width ? { maxWidth: `${width}px` } : undefined}
    />
  );
}
