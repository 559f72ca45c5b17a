import { describe, expect, it } from 'vitest';
import { formatValue, latestIndexes, linearRange, logRange } from './line-chart.js';

describe('LineChart ranges (issue 10: "1.466" five times on the y axis after a divergence)', () => {
  it('a flat linear series still spans 10% of its value (at least 0.1)', () => {
    const [lo, hi] = linearRange(1.466, 1.466);
    expect(hi - lo).toBeCloseTo(0.1466, 12);
    expect((lo + hi) / 2).toBeCloseTo(1.466, 12);
    expect(linearRange(0, 0)).toEqual([-0.05, 0.05]);
    // A real range keeps its data inside with a little headroom.
    const [a, b] = linearRange(2, 4);
    expect(a).toBeCloseTo(1.9, 12);
    expect(b).toBeCloseTo(4.1, 12);
  });

  it('a flat log series spans a factor of 2 around its geometric middle', () => {
    const [lo, hi] = logRange(29.2, 29.2);
    expect(hi / lo).toBeCloseTo(2, 12);
    expect(Math.sqrt(lo * hi)).toBeCloseTo(29.2, 10);
    expect(logRange(1, 100)).toEqual([1, 100]);
    expect(logRange(0, 5)).toEqual([0.1, 10]);
  });
});

describe('latestIndexes (issue 10: legends read "--" until hovered)', () => {
  it('points each series at its last value, skipping the gaps of a sparse series', () => {
    const x = [0, 1, 2, 3, 4];
    const train = [5, 4, 3, 2, 1];
    const dev = [null, 3.5, null, 2.5, null];
    const none = [null, null, null, null, null];
    expect(latestIndexes([x, train, dev, none])).toEqual([4, 4, 3, null]);
    expect(latestIndexes([[], []])).toEqual([null, null]);
  });
});

describe('formatValue (a diverged loss of 1e93 pushed the moons chart 2,308 px wide)', () => {
  it('keeps every value short', () => {
    expect(formatValue(1e93)).toBe('1.00e+93');
    expect(formatValue(-123456)).toBe('-1.23e+5');
    expect(formatValue(2.4541234)).toBe('2.454');
    expect(formatValue(12345)).toBe('12,345');
    expect(formatValue(0.0001234)).toBe('1.23e-4');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(null)).toBe('--');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('inf');
    for (const v of [1e93, 1e-300, 123456789.123, -1e20])
      expect(formatValue(v).length).toBeLessThan(10);
  });
});
