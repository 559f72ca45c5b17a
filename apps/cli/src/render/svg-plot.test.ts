import { describe, expect, it } from 'vitest';
import { escapeXml } from './svg-chart.js';
import { decisionBoundarySvg } from './svg-plot.js';

const points: [number, number][] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];

describe('decisionBoundarySvg', () => {
  it('draws one circle per point, coloured by class', () => {
    const svg = decisionBoundarySvg({ points, labels: [-1, 1, -1, 1], score: (x) => x - 0.5 });
    expect(svg.match(/class="point positive"/g)).toHaveLength(2);
    expect(svg.match(/class="point negative"/g)).toHaveLength(2);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/,
    );
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('puts the zero contour exactly on a vertical boundary x1 = 0.5 (interpolated, not stair-stepped)', () => {
    // Range is [-1, 2] on x: plotWidth 300 → 100 units per data unit, left margin 58.
    const svg = decisionBoundarySvg({
      points,
      labels: [-1, 1, -1, 1],
      score: (x) => x - 0.5,
      resolution: 7,
      plotWidth: 300,
    });
    const d = /class="boundary"[^>]* d="([^"]*)"/.exec(svg)![1];
    const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
    expect(xs.length).toBeGreaterThan(4);
    for (const x of xs) expect(x).toBeCloseTo(58 + 1.5 * 100, 6);
    // The positive region covers exactly the right part: its leftmost x is on the boundary.
    const region = /class="region positive"[^>]* d="([^"]*)"/.exec(svg)![1];
    const regionXs = [...region.matchAll(/[MLH]([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...regionXs)).toBeCloseTo(208, 6);
    expect(Math.max(...regionXs)).toBeCloseTo(358, 6);
  });

  it('draws no region and no boundary when the score is negative everywhere', () => {
    const svg = decisionBoundarySvg({ points, labels: [-1, -1, -1, -1], score: () => -1 });
    expect(svg).toContain('class="region positive" fill="#c9def0" d=""');
    expect(svg).toContain('stroke-linecap="round" d=""');
  });

  it('escapes the title and rejects mismatched labels', () => {
    const svg = decisionBoundarySvg({
      points,
      labels: [1, 1, 1, 1],
      score: () => 1,
      title: 'a<b & c',
    });
    expect(svg).toContain('>a&#60;b &#38; c</text>');
    expect(() => decisionBoundarySvg({ points, labels: [1], score: () => 1 })).toThrow(
      'decisionBoundarySvg: points and labels must have the same length, got 4 and 1',
    );
    expect(escapeXml(`"'`)).toBe('&#34;&#39;');
  });
});
