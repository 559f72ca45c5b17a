import { describe, expect, it } from 'vitest';
import { exactSlope, f, nudgePlot, nudgeSlope } from './nudge.js';

describe('derivative by nudging', () => {
  it("lecture 1's numbers: f(3) = 20, slope at 3 ≈ 14, at -3 ≈ -22, at 2/3 ≈ 0", () => {
    expect(f(3)).toBe(20);
    expect(exactSlope(3)).toBe(14);
    expect(nudgeSlope(3, 0.001)).toBeCloseTo(14.003, 9); // 6x − 4 + 3h
    expect(nudgeSlope(-3, 0.0001)).toBeCloseTo(-22, 3);
    expect(nudgeSlope(2 / 3, 1e-6)).toBeCloseTo(0, 5);
  });

  it('the forward difference is 6x − 4 + 3h: the error shrinks linearly, then rounding wins', () => {
    for (const h of [1e-1, 1e-2, 1e-3]) {
      expect(nudgeSlope(1.5, h) - exactSlope(1.5)).toBeCloseTo(3 * h, 9);
    }
    // At h = 1e-15 the difference f(x+h) − f(x) is a few ulps: the estimate is far off.
    expect(Math.abs(nudgeSlope(3, 1e-15) - 14)).toBeGreaterThan(0.1);
    expect(() => nudgeSlope(3, 0)).toThrow(/Argument 'h' passed to 'nudgeSlope'.*got 0/);
  });

  it('the secant through x has the nudge slope on screen', () => {
    const plot = nudgePlot(2, 1, {
      width: 100,
      height: 120,
      xMin: 0,
      xMax: 10,
      yMin: 0,
      yMax: 120,
    });
    // f(2) = 9: screen y = 120 − 9 = 111; x = 2 → 20.
    expect(plot.point).toEqual({ cx: 20, cy: 111 });
    const [, x0, y0, x1, y1] = /M([\d.-]+),([\d.-]+)L([\d.-]+),([\d.-]+)/
      .exec(plot.secant)!
      .map(Number);
    // slope in data units: −(y1 − y0)/(x1 − x0) · (10/100) / (120/120)... x scale 10 px per unit, y 1 px
    expect((-(y1 - y0) / (x1 - x0)) * 10).toBeCloseTo(nudgeSlope(2, 1), 1);
  });
});
