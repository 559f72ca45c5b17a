import { Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { binaryAccuracy } from './binary-accuracy.js';

describe('binaryAccuracy', () => {
  it('counts (score > 0) === (label > 0), for ±1 and 0/1 labels', () => {
    expect(binaryAccuracy([2, -0.5, 0.1, -3], [1, -1, -1, -1])).toBe(0.75);
    expect(binaryAccuracy([new Value(2), new Value(-1)], [1, 0])).toBe(1);
    expect(binaryAccuracy([0, 0], [1, -1])).toBe(0.5); // a score of exactly 0 predicts negative
  });

  it('rejects mismatched lengths', () => {
    expect(() => binaryAccuracy([1], [1, 1])).toThrow(
      "binaryAccuracy: 'scores' and 'labels' must have the same length, got scores.length=1 and labels.length=2",
    );
  });
});
