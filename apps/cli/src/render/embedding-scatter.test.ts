import { describe, expect, it } from 'vitest';
import { embeddingScatterSvg, repel } from './embedding-scatter.js';
import { pngSize, renderPng } from './png.js';

describe('embeddingScatterSvg', () => {
  it('draws a dot with its letter for each character, inside the plot', () => {
    const svg = embeddingScatterSvg({
      points: [
        [-1, -1],
        [1, 1],
        [0, 0.5],
        [Number.NaN, 0],
      ],
      labels: ['.', 'a', '<', 'z'],
      size: 300,
    });
    const dots = /class="dots"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    const centres = [...dots.matchAll(/cx="([\d.]+)" cy="([\d.]+)"|cy="([\d.]+)" cx="([\d.]+)"/g)];
    expect(centres).toHaveLength(3); // the NaN point is left out
    const letters = /class="letters"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect([...letters.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['.', 'a', '&lt;']);
    expect(svg).toMatch(/aria-label="x-axis label"[^>]*><text[^>]*>C\[:, 0\]</);
    expect(svg).toMatch(/aria-label="y-axis label"[^>]*><text[^>]*>C\[:, 1\]</);
  });

  it('renders to a square PNG', () => {
    const svg = embeddingScatterSvg({ points: [[0, 0]], labels: ['a'], size: 200 });
    expect(pngSize(renderPng(svg, { zoom: 1 }))).toEqual({ width: 200, height: 200 });
  });

  it('rejects mismatched labels', () => {
    expect(() => embeddingScatterSvg({ points: [[0, 0]], labels: [] })).toThrow(
      'embeddingScatterSvg: points and labels must have the same length, got 1 and 0',
    );
  });
});

describe('repel', () => {
  it('pushes overlapping bubbles apart symmetrically and leaves separate ones alone', () => {
    expect(
      repel(
        [
          [50, 50],
          [51, 50],
        ],
        12,
        100,
        100,
      ),
    ).toEqual([
      [38, 50],
      [63, 50],
    ]);
    expect(
      repel(
        [
          [20, 20],
          [80, 80],
        ],
        12,
        100,
        100,
      ),
    ).toEqual([
      [20, 20],
      [80, 80],
    ]);
  });

  it('keeps every pair at least a bubble apart, inside the plot, even for identical points', () => {
    const points = Array.from({ length: 8 }, () => [50, 50] as [number, number]);
    const placed = repel(points, 5, 100, 100);
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        expect(
          Math.hypot(placed[i][0] - placed[j][0], placed[i][1] - placed[j][1]),
        ).toBeGreaterThan(10.9);
      }
      expect(placed[i][0]).toBeGreaterThanOrEqual(5);
      expect(placed[i][0]).toBeLessThanOrEqual(95);
    }
  });
});
