import { describe, expect, it } from 'vitest';
import { layoutScatter, niceTicks } from './scatter-layout.js';

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
