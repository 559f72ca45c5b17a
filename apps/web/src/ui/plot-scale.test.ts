import { describe, expect, it } from 'vitest';
import { arrowKeyDelta, linearScale, niceTicks } from './plot-scale.js';

describe('plot scales', () => {
  it('niceTicks: steps of 1, 2 or 5 × 10^k inside the range', () => {
    expect(niceTicks(-5, 5, 5)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(-10, 110, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-1.25, 1.25, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(Object.is(niceTicks(-1, 1, 2)[1], -0)).toBe(false);
    expect(() => niceTicks(1, 1)).toThrow(/'min' and 'max' passed to 'niceTicks'.*got 1 and 1/);
  });

  it('linearScale maps and inverts, y pointing up', () => {
    const y = linearScale([-10, 110], [200, 0]);
    expect(y(-10)).toBe(200);
    expect(y(110)).toBe(0);
    expect(y(50)).toBe(100);
    expect(y.invert(100)).toBe(50);
  });
});

describe('arrowKeyDelta', () => {
  it('moves by 0.1, by 1 with Shift, and not for other keys', () => {
    expect(arrowKeyDelta({ key: 'ArrowRight', shiftKey: false })).toBe(0.1);
    expect(arrowKeyDelta({ key: 'ArrowUp', shiftKey: true })).toBe(1);
    expect(arrowKeyDelta({ key: 'ArrowLeft', shiftKey: false })).toBe(-0.1);
    expect(arrowKeyDelta({ key: 'ArrowDown', shiftKey: true })).toBe(-1);
    expect(arrowKeyDelta({ key: 'Enter', shiftKey: false })).toBe(0);
  });
});
