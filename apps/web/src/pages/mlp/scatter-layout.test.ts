import { describe, expect, it } from 'vitest';
import { layoutScatter, niceTicks, nudgeLabels } from './scatter-layout.js';

describe('niceTicks', () => {
  it('picks 1, 2 or 5 × 10^k steps inside the range', () => {
    expect(niceTicks(-1.3, 2.2, 5)).toEqual([-1, -0.5, 0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(-13, 22, 3)).toEqual([-10, 0, 10, 20]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.03, 0.07, 4)).toEqual([-0.02, 0, 0.02, 0.04, 0.06]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
  });
});

describe('layoutScatter', () => {
  it('maps the extremes to the margins, with y upwards', () => {
    const layout = layoutScatter(
      [
        { label: 'a', x: -1, y: 0 },
        { label: 'b', x: 1, y: 4 },
      ],
      220,
      120,
      10,
    );
    expect(layout.points).toEqual([
      { label: 'a', px: 10, py: 110 },
      { label: 'b', px: 210, py: 10 },
    ]);
    expect(layout.xTicks.map((t) => t.value)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(layout.xTicks[2].px).toBe(110);
    expect(layout.yTicks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('survives a single point and non-finite values', () => {
    const layout = layoutScatter(
      [
        { label: 'a', x: 2, y: 5 },
        { label: 'b', x: 9, y: Number.NaN },
      ],
      100,
      100,
      10,
    );
    expect([layout.points[0].px, layout.points[0].py]).toEqual([50, 50]);
    expect(layout.xTicks.length).toBeGreaterThan(0);
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
