import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { sampleBatch } from './sample-batch.js';

describe('sampleBatch', () => {
  it('returns distinct in-range indices: the first batchSize of randperm(n)', () => {
    const indices = sampleBatch(100, 32, { generator: new Generator(11) });
    expect(indices).toBeInstanceOf(Int32Array);
    expect(indices).toHaveLength(32);
    expect(new Set(indices).size).toBe(32);
    for (const i of indices) {
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(100);
    }
    expect(indices).toEqual(new Generator(11).randperm(100).slice(0, 32));
  });

  it('matches the documented example', () => {
    const indices = sampleBatch(10, 4, { generator: new Generator(42) });
    expect([indices.length, new Set(indices).size]).toEqual([4, 4]);
  });

  it('gives a permutation of everything when batchSize >= datasetSize', () => {
    for (const batchSize of [10, 25]) {
      const indices = sampleBatch(10, batchSize, { generator: new Generator(2) });
      expect([...indices].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('is deterministic per seed and varies between seeds and calls', () => {
    expect(sampleBatch(1000, 10)).toEqual(sampleBatch(1000, 10));
    expect(sampleBatch(1000, 10, { generator: new Generator(1) })).not.toEqual(
      sampleBatch(1000, 10, { generator: new Generator(2) }),
    );
    const generator = new Generator(1);
    expect(sampleBatch(1000, 10, { generator })).not.toEqual(sampleBatch(1000, 10, { generator }));
  });

  it('rejects bad sizes, naming the argument', () => {
    expect(() => sampleBatch(0, 1)).toThrow(
      "Argument 'datasetSize' passed to 'sampleBatch' must be a positive integer, got 0",
    );
    expect(() => sampleBatch(10, 0)).toThrow(
      "Argument 'batchSize' passed to 'sampleBatch' must be a positive integer, got 0",
    );
    expect(() => sampleBatch(10, 1.5)).toThrow('got 1.5');
  });
});
