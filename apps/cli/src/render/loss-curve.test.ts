import { describe, expect, it } from 'vitest';
import { defaultSmoothWindow, formatSteps, lossCurveSvg, windowMeans } from './loss-curve.js';
import { pngSize, renderPng } from './png.js';

/** The `d` of the first path inside the mark group with this class. */
const pathOf = (svg: string, name: string) =>
  new RegExp(`class="${name}"[^>]*>(?:<[^>]*>)*?<path[^>]* d="([^"]*)"`).exec(svg)?.[1] ?? '';
const coordinates = (d: string) =>
  [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('lossCurveSvg', () => {
  it('plots log10 of each loss as a line for a short run, with the lecture axis names', () => {
    // Losses 10, 1, 0.1 → log10 1, 0, −1: equally spaced, top to bottom.
    const svg = lossCurveSvg({ losses: [10, 1, 0.1], width: 400, height: 200 });
    const points = coordinates(pathOf(svg, 'train-line'));
    expect(points).toHaveLength(3);
    const [a, b, c] = points;
    expect(b[0] - a[0]).toBeCloseTo(c[0] - b[0], 6);
    expect(b[1] - a[1]).toBeCloseTo(c[1] - b[1], 6);
    expect(a[1]).toBeLessThan(c[1]); // larger loss is higher up
    expect(svg).toMatch(/aria-label="y-axis label"[^>]*><text[^>]*>log10\(loss\)</);
    expect(svg).toMatch(/aria-label="x-axis label"[^>]*><text[^>]*>step</);
    expect(svg).not.toContain('class="train-smooth"');
    expect(svg).toContain('>train, per step</text>');
  });

  it('draws a min/max band for long runs, the window means and the dev points', () => {
    const losses = Float32Array.from({ length: 5000 }, (_, k) => (k % 2 === 0 ? 2 : 3));
    const svg = lossCurveSvg({
      losses,
      dev: [
        { step: 0, loss: 2.5 },
        { step: 4999, loss: 2.4 },
      ],
      smooth: 1000,
    });
    expect(svg).toContain('class="train-band"');
    expect(svg).not.toContain('class="train-line"');
    const means = coordinates(pathOf(svg, 'train-smooth'));
    expect(means).toHaveLength(5);
    // Every window mean of log10 is (log10 2 + log10 3)/2: a flat line.
    for (const [, y] of means) expect(y).toBeCloseTo(means[0][1], 6);
    const dev = /class="dev"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(dev.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('>train, mean of 1,000 steps</text>');
    expect(svg).toContain('>train, per step (min–max)</text>');
    expect(svg).toContain('>dev</text>');
    // 5,000 steps drawn as a band of a few hundred bins, not 5,000 points.
    expect(coordinates(pathOf(svg, 'train-band')).length).toBeLessThan(2000);
  });

  it('skips NaN and non-positive losses instead of drawing garbage', () => {
    const svg = lossCurveSvg({ losses: [3, Number.NaN, 0, 2] });
    const d = pathOf(svg, 'train-line');
    expect(d).not.toContain('NaN');
    expect(coordinates(d)).toHaveLength(2);
  });

  it('renders to PNG', () => {
    const svg = lossCurveSvg({ losses: [3, 2.5, 2.2], title: 'mlp', subtitle: 'lr 0.1' });
    expect(pngSize(renderPng(svg, { zoom: 1 })).width).toBe(720);
  });
});

describe('defaultSmoothWindow, windowMeans and formatSteps', () => {
  it("picks the lecture's 1,000-step chunks for long runs, else about 50 windows on a 1-2-5 grid", () => {
    expect(defaultSmoothWindow(200_000)).toBe(1000);
    expect(defaultSmoothWindow(1_000_000)).toBe(1000);
    expect(defaultSmoothWindow(50_000)).toBe(1000);
    expect(defaultSmoothWindow(49_999)).toBe(500);
    expect(defaultSmoothWindow(30_000)).toBe(500);
    expect(defaultSmoothWindow(3_000)).toBe(50);
    expect(defaultSmoothWindow(300)).toBe(10);
    expect(defaultSmoothWindow(99)).toBe(0);
  });

  it('averages whole windows, skipping NaN, at the middle step', () => {
    expect(windowMeans(Float64Array.of(1, 3, 5, 7, 9), 2, 10)).toEqual([
      { step: 10.5, value: 2 },
      { step: 12.5, value: 6 },
    ]);
    expect(windowMeans([Number.NaN, 4, Number.NaN, Number.NaN], 2, 0)).toEqual([
      { step: 0.5, value: 4 },
    ]);
  });

  it('shortens step counts', () => {
    expect(formatSteps(500)).toBe('500');
    expect(formatSteps(1500)).toBe('1.5k');
    expect(formatSteps(200_000)).toBe('200k');
    expect(formatSteps(1_200_000)).toBe('1.2M');
  });
});
