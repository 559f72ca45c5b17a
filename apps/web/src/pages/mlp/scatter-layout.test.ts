import { describe, expect, it } from 'vitest';
import { nudgeLabels, scatterDomain } from './scatter-layout.js';

describe('scatterDomain', () => {
  it('is the extent of the points', () => {
    expect(
      scatterDomain([
        { label: 'a', x: -1, y: 0 },
        { label: 'b', x: 1, y: 4 },
      ]),
    ).toEqual({ x: [-1, 1], y: [0, 4] });
  });

  it('survives a single point and non-finite values', () => {
    expect(
      scatterDomain([
        { label: 'a', x: 2, y: 5 },
        { label: 'b', x: 9, y: Number.NaN },
      ]),
    ).toEqual({ x: [1, 3], y: [4, 6] });
    expect(scatterDomain([])).toEqual({ x: [-1, 1], y: [-1, 1] });
  });
});

describe('nudgeLabels', () => {
  it('pushes two overlapping dots apart symmetrically, by half the overlap each', () => {
    const [a, b] = nudgeLabels(
      [
        { label: 'a', px: 50, py: 50 },
        { label: 'b', px: 52, py: 50 },
      ],
      10,
      100,
      100,
      0,
    );
    expect(a.px).toBeCloseTo(41, 5);
    expect(b.px).toBeCloseTo(61, 5);
    expect([a.py, b.py]).toEqual([50, 50]);
    expect([a.moved, b.moved]).toEqual([true, true]);
    expect(b.px - a.px).toBeGreaterThanOrEqual(20 - 1e-6);
  });

  it('leaves separated dots alone and separates a crowd (coincident dots too) inside the box', () => {
    const crowd = Array.from({ length: 12 }, (_, i) => ({
      label: String.fromCharCode(97 + i),
      px: 200 + (i % 3),
      py: 200 + (i % 2),
    }));
    crowd.push({ label: 'z', px: 200, py: 200 }); // the same place as 'a'
    const far = { label: '.', px: 30, py: 370 };
    const result = nudgeLabels([...crowd, far], 10, 400, 400, 20);
    for (let i = 0; i < result.length; i++) {
      for (let j = i + 1; j < result.length; j++) {
        const d = Math.hypot(result[i].px - result[j].px, result[i].py - result[j].py);
        expect(d).toBeGreaterThanOrEqual(20 - 1e-3);
      }
      expect(result[i].px).toBeGreaterThanOrEqual(20);
      expect(result[i].px).toBeLessThanOrEqual(380);
    }
    const dot = result.at(-1)!;
    expect([dot.px, dot.py, dot.moved]).toEqual([30, 370, false]);
  });
});
