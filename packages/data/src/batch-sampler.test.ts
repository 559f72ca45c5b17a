import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { BatchSampler } from './batch-sampler.js';

describe('BatchSampler', () => {
  it('covers every index exactly once per epoch, in batches of batchSize', () => {
    const sampler = new BatchSampler(10, 4, { generator: new Generator(42) });
    const batches = [...sampler];
    expect(sampler.length).toBe(3);
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    const all = batches.flatMap((batch) => [...batch]).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // One epoch is one randperm cut into consecutive pieces.
    const permutation = new Generator(42).randperm(10);
    expect(batches[0]).toEqual(permutation.slice(0, 4));
    expect(batches[2]).toEqual(permutation.slice(8, 10));
  });

  it('drops the short last batch with dropLast', () => {
    const sampler = new BatchSampler(10, 4, { generator: new Generator(1), dropLast: true });
    const batches = [...sampler];
    expect(sampler.length).toBe(2);
    expect(batches.map((batch) => batch.length)).toEqual([4, 4]);
    expect(new Set(batches.flatMap((batch) => [...batch])).size).toBe(8);
    expect(new BatchSampler(12, 4, { dropLast: true }).length).toBe(3);
    expect(new BatchSampler(12, 4).length).toBe(3);
  });

  it('reshuffles each epoch, deterministically per seed', () => {
    const sampler = new BatchSampler(100, 100, { generator: new Generator(3) });
    const [first] = [...sampler];
    const [second] = [...sampler];
    expect(first).not.toEqual(second);
    const again = new BatchSampler(100, 100, { generator: new Generator(3) });
    expect([...again][0]).toEqual(first);
    expect([...new BatchSampler(50, 7)]).toEqual([...new BatchSampler(50, 7)]);
  });

  it('rejects bad sizes', () => {
    expect(() => new BatchSampler(-1, 4)).toThrow(
      "Argument 'datasetSize' passed to 'BatchSampler' must be a positive integer, got -1",
    );
    expect(() => new BatchSampler(10, 0)).toThrow(
      "Argument 'batchSize' passed to 'BatchSampler' must be a positive integer, got 0",
    );
    expect(() => new BatchSampler(3, 4, { dropLast: true })).toThrow(
      'BatchSampler with dropLast would yield no batches: batchSize (4) > datasetSize (3)',
    );
  });
});
