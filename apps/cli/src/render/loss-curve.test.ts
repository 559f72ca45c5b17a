import { describe, expect, it } from 'vitest';
import { defaultSmoothWindow, formatSteps, lossCurveSvg } from './loss-curve.js';

const pathOf = (svg: string, name: string) =>
  new RegExp(`class="${name}"[^>]* d="([^"]*)"`).exec(svg)?.[1] ?? '';
const coordinates = (d: string) =>
  [...d.matchAll(/([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('lossCurveSvg', () => {
  it('plots log10 of each loss as a line for a short run', () => {
    // Losses 10, 1, 0.1 → log10 1, 0, −1: equally spaced, top to bottom.
    const svg = lossCurveSvg({ losses: [10, 1, 0.1], plotWidth: 200, plotHeight: 100 });
    const points = coordinates(pathOf(svg, 'train line'));
    expect(points).toHaveLength(3);
    expect(points.map(([x]) => x)).toEqual([66, 166, 266]);
    const [a, b, c] = points.map(([, y]) => y);
    expect(b - a).toBeCloseTo(c - b, 1);
    expect(a).toBeLessThan(c); // larger loss is higher up
    expect(svg).toContain('>log10(loss)</text>');
    expect(svg).not.toContain('class="train smooth"');
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
      plotWidth: 400,
    });
    expect(svg).toContain('class="train band"');
    expect(svg).not.toContain('class="train line"');
    const means = coordinates(pathOf(svg, 'train smooth'));
    expect(means).toHaveLength(5);
    // Every window mean of log10 is (log10 2 + log10 3)/2: a flat line.
    for (const [, y] of means) expect(y).toBeCloseTo(means[0][1], 6);
    expect(svg.match(/<circle /g)?.length).toBe(2 + 1); // two dev points + the legend mark
    expect(svg).toContain('train, mean of 1,000 steps');
  });

  it('skips NaN and non-positive losses instead of drawing garbage', () => {
    const svg = lossCurveSvg({ losses: [3, Number.NaN, 0, 2] });
    expect(pathOf(svg, 'train line')).toMatch(/^M[\d. ]+M[\d. ]+$/);
    expect(svg).not.toContain('NaN');
  });
});

describe('axis helpers', () => {
  it('picks a smoothing window of about 1% of the steps', () => {
    expect(defaultSmoothWindow(200_000)).toBe(2000);
    expect(defaultSmoothWindow(30_000)).toBe(200);
    expect(defaultSmoothWindow(300)).toBe(10);
    expect(defaultSmoothWindow(50)).toBe(0);
  });

  it('formats steps compactly', () => {
    expect(formatSteps(500)).toBe('500');
    expect(formatSteps(1500)).toBe('1.5k');
    expect(formatSteps(200_000)).toBe('200k');
    expect(formatSteps(1_200_000)).toBe('1.2M');
  });
});
