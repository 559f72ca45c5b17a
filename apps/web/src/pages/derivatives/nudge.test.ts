import { describe, expect, it } from 'vitest';
import { exactSlope, f, nudgeSlope } from './nudge.js';

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
});
