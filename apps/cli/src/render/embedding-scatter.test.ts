import { describe, expect, it } from 'vitest';
import { embeddingScatterSvg } from './embedding-scatter.js';

describe('embeddingScatterSvg', () => {
  it('draws a dot with its letter for each character, inside the plot', () => {
    const svg = embeddingScatterSvg({
      points: [
        [-1, -1],
        [1, 1],
        [0, 0.5],
      ],
      labels: ['.', 'a', '<'],
      plotSize: 200,
    });
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="11"\/>/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(dots).toHaveLength(3);
    // x range [-1, 1] padded by 8% each side over 200 units starting at x = 62.
    expect(dots[0][0]).toBeCloseTo(62 + (0.16 / 2.32) * 200, 1);
    expect(dots[1][0]).toBeCloseTo(62 + (2.16 / 2.32) * 200, 1);
    expect(dots[1][1]).toBeLessThan(dots[0][1]); // y grows upwards
    expect(svg).toContain('>.</text>');
    expect(svg).toContain('>&#60;</text>'); // escaped
    expect(svg).toContain('>C[:, 0]</text>');
  });

  it('rejects mismatched labels', () => {
    expect(() => embeddingScatterSvg({ points: [[0, 0]], labels: [] })).toThrow(
      'embeddingScatterSvg: points and labels must have the same length, got 1 and 0',
    );
  });
});
