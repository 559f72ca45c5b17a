import { describe, expect, it } from 'vitest';
import {
  centeredLogCounts,
  centerRows,
  equivalentSmoothing,
  meanSquare,
  smoothedCountLoss,
} from './bigram-net-math.js';

describe('smoothedCountLoss and equivalentSmoothing', () => {
  it('match the closed form and invert each other', () => {
    const counts = Float64Array.from([1, 3, 0, 4]); // rows: [1, 3], [0, 4]
    // k = 0: −(1·log¼ + 3·log¾ + 4·log 1) / 8
    expect(smoothedCountLoss(counts, 2, 0)).toBeCloseTo(
      -(Math.log(1 / 4) + 3 * Math.log(3 / 4)) / 8,
      12,
    );
    // k = 1: −(1·log(2/6) + 3·log(4/6) + 4·log(5/6)) / 8
    expect(smoothedCountLoss(counts, 2, 1)).toBeCloseTo(
      -(Math.log(2 / 6) + 3 * Math.log(4 / 6) + 4 * Math.log(5 / 6)) / 8,
      12,
    );
    for (const k of [0.5, 2, 30]) {
      expect(equivalentSmoothing(counts, 2, smoothedCountLoss(counts, 2, k))).toBeCloseTo(k, 6);
    }
    expect(equivalentSmoothing(counts, 2, 0)).toBe(0);
    expect(equivalentSmoothing(counts, 2, Math.log(2))).toBe(Infinity);
  });

  it('centerRows removes each row mean', () => {
    expect(Array.from(centerRows([1, 3, 10, 20], 2))).toEqual([-1, 1, -5, 5]);
  });
});

describe('meanSquare', () => {
  it('is mean(x²)', () => {
    expect(meanSquare([1, -2, 3, 0])).toBe(3.5);
  });
});

describe('centeredLogCounts', () => {
  it('is log(N + k) minus each row mean', () => {
    const centred = centeredLogCounts(Float64Array.from([0, 2, 2, 0]), 2, 1);
    const half = (Math.log(3) - Math.log(1)) / 2;
    expect(Array.from(centred)).toEqual([-half, half, half, -half].map((x) => Math.fround(x)));
  });
});
