/**
 * A live line chart (uPlot on a canvas): cheap to update many times a second. Series share one
 * x array; `y` values may be `null` where a series has no point (dev loss between evaluations).
 *
 * Options: a logarithmic y axis (`logY`, base 10: a loss curve's late progress stays visible),
 * horizontal reference lines (`references`: "the count model's loss", "the lecture's 2.17") drawn
 * as dashed series so they appear in the legend and always fall inside the y range, and a width
 * that follows the container unless `width` is given.
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
  /** Fixed width in px; by default the chart fills its container and follows its size. */
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
    const measure = () => width ?? Math.max(200, Math.floor(element.clientWidth) || 640);
    const opts: uPlot.Options = {
      width: measure(),
      height,
      scales: { x: { time: false }, y: logY ? { distr: 3, log: 10 } : {} },
      axes: [{ label: xLabel }, { label: yLabel }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
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
          stroke: reference.color,
          width: 1.5,
          dash: reference.dash ?? [6, 4],
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(opts, withReferences(latest.current), element);
    chart.current = plot;
    // Follow the container's width (panels resize with the window); one resize per frame at most.
    let frame = 0;
    const observer =
      width === undefined && typeof ResizeObserver !== 'undefined'
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
      observer?.disconnect();
      cancelAnimationFrame(frame);
      plot.destroy();
      chart.current = null;
    };
    // Re-create only when the series set, scale or size changes; data updates go through setData.
  }, [key, width, height, xLabel, yLabel]);

  useEffect(() => {
    chart.current?.setData(withReferences(data));
  }, [data]);

  return <div ref={host} class="line-chart" role="img" aria-label={title} />;
}
