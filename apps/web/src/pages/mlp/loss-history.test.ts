import { describe, expect, it } from 'vitest';
import { LossHistory } from './loss-history.js';

describe('LossHistory', () => {
  it('keeps log10 of each loss and smooths over a trailing window', () => {
    const h = new LossHistory();
    h.append(0, [10, 100]);
    h.append(2, [1000, 1]);
    expect(h.length).toBe(4);
    expect([h.at(0), h.at(1), h.at(2), h.at(3)]).toEqual([1, 2, 3, 0]);
    expect(h.smoothed(3, 2)).toBeCloseTo(1.5, 12);
    expect(h.smoothed(1, 100)).toBeCloseTo(1.5, 12);
    expect(() => h.append(7, [1])).toThrow('expected the slice to start at step 4, got 7');
  });

  it('grows past its initial capacity without losing values', () => {
    const h = new LossHistory();
    const losses = Array.from({ length: 5000 }, (_, i) => 10 ** (i % 3));
    for (let s = 0; s < 5000; s += 700) h.append(s, losses.slice(s, s + 700));
    expect(h.length).toBe(5000);
    expect(h.at(4999)).toBe(4999 % 3);
    // Mean of log10 over the last 300 steps: 100 each of 0, 1, 2.
    expect(h.smoothed(4999, 300)).toBeCloseTo(1, 9);
  });

  it('merges evaluation steps into the x values, with null gaps in the per-step series', () => {
    const h = new LossHistory();
    h.append(0, [10, 10, 10, 10]);
    h.addEvaluation({ step: 2, train: 1, dev: 100, devExamples: 1 });
    h.addEvaluation({ step: 4, train: 1, dev: 1000, devExamples: 1 });
    expect(h.chartData()).toEqual([
      [0, 1, 2, 3, 4],
      [1, 1, 1, 1, null],
      [1, 1, 1, 1, null],
      [null, null, 2, null, 3],
    ]);
  });

  it('thins a long run to about maxPoints points', () => {
    const h = new LossHistory();
    h.append(0, new Float32Array(200_000).fill(2));
    h.addEvaluation({ step: 1000, train: 2, dev: 2, devExamples: 1 });
    h.addEvaluation({ step: 1001, train: 2, dev: 2, devExamples: 1 });
    const [x, raw, smooth, dev] = h.chartData(1000);
    expect(x.length).toBe(1000 + 1); // step 1000 is on the stride-200 grid; 1001 is not
    expect(x.slice(0, 3)).toEqual([0, 200, 400]);
    expect(x.indexOf(1001)).toBe(6);
    expect(raw[6]).toBeNull();
    expect(dev.filter((d) => d !== null)).toHaveLength(2);
    expect(smooth[500]).toBeCloseTo(Math.log10(2), 6);
    for (let i = 1; i < x.length; i++) expect(x[i]).toBeGreaterThan(x[i - 1]);
  });
});
