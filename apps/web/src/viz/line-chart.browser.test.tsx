import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineChart, type LineChartProps } from './line-chart.js';

const RED = '#ff0000';
const n = 100;
const steps = Float64Array.from({ length: n }, (_, i) => i);
const rising = Float64Array.from(steps, (x) => 1 + x);
const falling = Float64Array.from(steps, (x) => n - x);

const host = document.createElement('div');
document.body.append(host);

function chart(data: LineChartProps['data']) {
  return (
    <LineChart
      title="Training loss per step"
      xLabel="step"
      yLabel="loss"
      width={480}
      height={200}
      data={data}
      series={[{ label: 'train', color: RED }]}
      references={[{ label: 'bigram counts', y: 50, color: '#0000ff' }]}
    />
  );
}

/**
 * Where the red series is drawn near the left edge of the plot: the mean canvas row of its
 * pixels in the first tenth of the plot area (rows grow downwards), or NaN if none.
 */
function redRowNearLeft(canvas: HTMLCanvasElement, over: HTMLElement): number {
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const left = Math.round(over.offsetLeft * ratio);
  const width = Math.round(over.offsetWidth * ratio * 0.1);
  const pixels = canvas.getContext('2d')?.getImageData(left, 0, width, canvas.height).data;
  if (!pixels) throw new Error('no 2d context');
  let rows = 0;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i] > 200 && pixels[i + 1] < 90 && pixels[i + 2] < 90 && pixels[i + 3] > 200) {
      rows += Math.floor(i / 4 / width);
      count++;
    }
  }
  return count === 0 ? Number.NaN : rows / count;
}

/** The chart's canvas and plot area, once its effect has created the uPlot instance. */
function mounted() {
  return vi.waitFor(() => {
    const canvas = host.querySelector('canvas');
    const over = host.querySelector<HTMLElement>('.u-over');
    if (!canvas || !over) throw new Error('the chart is not mounted yet');
    return { canvas, over };
  });
}

describe('LineChart (uPlot on a real canvas)', () => {
  afterEach(() => render(null, host));

  it('renders a canvas of the requested size with the series and reference line in the legend', async () => {
    render(chart([steps, rising]), host);
    const { canvas, over } = await mounted();
    const ratio = window.devicePixelRatio;
    // The test page is narrower than 480 px: the chart fits its container, `width` is its most.
    const fits = Math.min(480, Math.floor(host.clientWidth));
    expect(canvas.width).toBe(Math.round(fits * ratio));
    expect(canvas.height).toBe(Math.round(200 * ratio));
    expect(host.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe(
      'Training loss per step',
    );
    const labels = [...host.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent);
    expect(labels).toEqual(['step', 'train', 'bigram counts']);
    // The line is drawn: on a rising curve, the left end of the red line is low in the plot.
    await expect.poll(() => redRowNearLeft(canvas, over)).toBeGreaterThan(canvas.height / 2);
    // Issue 10: without hovering, the legend shows the latest values, not "--".
    const values = [...host.querySelectorAll('.u-legend .u-value')].map((v) => v.textContent);
    expect(values).toEqual(['99', '100', '50']);
  });

  it('a wide container gets the requested width, a narrow one its own (issue 10: phones)', async () => {
    host.style.width = '800px';
    render(chart([steps, rising]), host);
    let { canvas } = await mounted();
    expect(canvas.getBoundingClientRect().width).toBe(480);
    render(null, host);
    host.style.width = '300px';
    render(chart([steps, rising]), host);
    ({ canvas } = await mounted());
    expect(canvas.getBoundingClientRect().width).toBe(300);
    host.style.width = '';
  });

  it('setData redraws the same canvas with the new values (no new chart)', async () => {
    render(chart([steps, rising]), host);
    const { canvas, over } = await mounted();
    await expect.poll(() => redRowNearLeft(canvas, over)).toBeGreaterThan(canvas.height / 2);
    render(chart([steps, falling]), host);
    // Falling: the left end is now high in the plot (small row numbers).
    await expect.poll(() => redRowNearLeft(canvas, over)).toBeLessThan(canvas.height / 2);
    expect(host.querySelector('canvas')).toBe(canvas);
    expect(host.querySelectorAll('canvas')).toHaveLength(1);
    // An empty series (all null) draws no red at all.
    render(chart([steps, new Array(n).fill(null)]), host);
    await expect.poll(() => redRowNearLeft(canvas, over)).toBeNaN();
  });
});
