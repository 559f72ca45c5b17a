import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.js';

describe('histogram', () => {
  it('follows torch.histogram: 100 bins over [min, max], the last bin closed', () => {
    // torch.histogram(torch.tensor([0., 1, 1, 2, 10]), bins=5) → hist [3, 1, 0, 0, 1], edges 0, 2, …, 10
    const { hist, binEdges } = histogram([0, 1, 1, 2, 10], { bins: 5 });
    expect([...binEdges]).toEqual([0, 2, 4, 6, 8, 10]);
    expect([...hist]).toEqual([3, 1, 0, 0, 1]);
    expect(histogram([0, 1, 2]).hist.length).toBe(100);
    expect(histogram([0, 1, 2]).binEdges.length).toBe(101);
  });

  it('with density integrates to 1 (Σ hist · width), for any bins and data', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) ** 3 * 2.5);
    for (const bins of [1, 7, 100]) {
      const { hist, binEdges } = histogram(values, { bins, density: true });
      let integral = 0;
      for (let k = 0; k < bins; k++) integral += hist[k] * (binEdges[k + 1] - binEdges[k]);
      expect(integral).toBeCloseTo(1, 12);
    }
    // [0, 1, 1, 2] in 2 bins of width 1: counts [1, 3] → density [1/4, 3/4]
    expect([...histogram([0, 1, 1, 2], { bins: 2, density: true }).hist]).toEqual([0.25, 0.75]);
  });

  it('widens an empty range by ±0.5 (PyTorch and NumPy) and honours a given range', () => {
    const constant = histogram([1, 1, 1, 1], { bins: 100, density: true });
    expect(constant.binEdges[0]).toBe(0.5);
    expect(constant.binEdges[100]).toBe(1.5);
    expect(constant.hist[50]).toBeCloseTo(100, 10); // all the mass in the bin [1, 1.01)
    const ranged = histogram([-5, 0.1, 0.9, 5, Number.NaN], { bins: 2, range: [0, 1] });
    expect([...ranged.hist]).toEqual([1, 1]); // outside the range and NaN are not counted
  });

  it('rejects bad bins and ranges with a message naming the value', () => {
    expect(() => histogram([1], { bins: 0 })).toThrow(
      'histogram(): bins must be a positive integer, got 0',
    );
    expect(() => histogram([1], { range: [2, 1] })).toThrow(
      'histogram(): max must be larger than min, and both finite; got range [2, 1]',
    );
  });
});
