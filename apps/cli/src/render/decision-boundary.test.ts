import { describe, expect, it } from 'vitest';
import { decisionBoundarySvg, scoreGrid } from './decision-boundary.js';
import { pngSize, renderPng } from './png.js';

const points: [number, number][] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];
const group = (svg: string, name: string) =>
  new RegExp(`class="${name}"[^>]*>(.*?)</g>`, 's').exec(svg)?.[1] ?? '';

describe('decisionBoundarySvg', () => {
  it('draws one dot per point, coloured by class, and the legend', () => {
    const svg = decisionBoundarySvg({ points, labels: [-1, 1, -1, 1], score: (x) => x - 0.5 });
    const dots = group(svg, 'points');
    expect(dots.match(/fill="#2f74b5"/g)).toHaveLength(2);
    expect(dots.match(/fill="#d6452b"/g)).toHaveLength(2);
    expect(svg).toContain('>y = +1</text>');
    expect(svg).toContain('>y = −1</text>');
    expect(svg).toMatch(/aria-label="x-axis label"[^>]*><text[^>]*>x₁</);
  });

  it('puts the zero contour exactly on a vertical boundary x1 = 0.5 (interpolated, not stair-stepped)', () => {
    // Range [-1, 2] on x over width 372 − 52 − 20 = 300: 100 units per data unit from x = 52.
    const svg = decisionBoundarySvg({
      points,
      labels: [-1, 1, -1, 1],
      score: (x) => x - 0.5,
      resolution: 7,
      width: 372,
    });
    const boundary = group(svg, 'boundary');
    const vertices = [...boundary.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    // Inside the frame (x 52…352, y 14…314) every vertex is on x = 52 + 1.5·100; the contour's
    // other vertices run along the grid's edge, half a cell outside the frame (clipped).
    const inside = vertices.filter(([x, y]) => x > 52 && x < 352 && y > 14 && y < 314);
    expect(inside.length).toBeGreaterThan(1);
    for (const [x] of inside) expect(x).toBeCloseTo(202, 6);
    expect(group(svg, 'region-positive')).toContain('<path');
  });

  it('draws no region when the score is negative everywhere', () => {
    const svg = decisionBoundarySvg({ points, labels: [-1, -1, -1, -1], score: () => -1 });
    expect(group(svg, 'region-positive')).not.toMatch(/d="M/);
  });

  it('keeps the data aspect and renders to PNG; rejects mismatched labels', () => {
    const svg = decisionBoundarySvg({ points, labels: [1, 1, 1, 1], score: () => 1, width: 372 });
    const { width, height } = pngSize(renderPng(svg, { zoom: 1 }));
    expect(width).toBe(372);
    expect(height).toBe(14 + 300 + 46 + 32); // a square data range, plus the legend row
    expect(() => decisionBoundarySvg({ points, labels: [1], score: () => 1 })).toThrow(
      'decisionBoundarySvg: points and labels must have the same length, got 4 and 1',
    );
  });
});

describe('scoreGrid', () => {
  it('samples corner to corner, top row first', () => {
    expect([...scoreGrid((x, y) => x + 10 * y, [0, 2], [0, 1], 3, 2)]).toEqual([
      10, 11, 12, 0, 1, 2,
    ]);
  });
});
