import { describe, expect, it } from 'vitest';
import { emptySlice, mergeSlices, SeriesBuilder, sliceBuffers, sliceLength } from './protocol.js';

describe('slices', () => {
  it('merge contiguous slices series by series, events in order', () => {
    const a = { firstStep: 5, series: { loss: Float32Array.of(3, 2) }, events: ['e5'] };
    const b = { firstStep: 7, series: { loss: Float32Array.of(1) }, events: ['e7'] };
    const merged = mergeSlices(a, b);
    expect(merged.firstStep).toBe(5);
    expect([...merged.series.loss]).toEqual([3, 2, 1]);
    expect(merged.series.loss).toBeInstanceOf(Float32Array);
    expect(merged.events).toEqual(['e5', 'e7']);
    expect(sliceLength(merged)).toBe(3);
  });

  it('keep float64 digits when either side is float64', () => {
    const a = { firstStep: 0, series: { loss: Float64Array.of(0.8958441028683222) }, events: [] };
    const b = { firstStep: 1, series: { loss: Float32Array.of(0.5) }, events: [] };
    const merged = mergeSlices(a, b);
    expect(merged.series.loss).toBeInstanceOf(Float64Array);
    expect(merged.series.loss[0]).toBe(0.8958441028683222);
  });

  it('an empty slice joins anything; a gap is an error naming both steps', () => {
    const b = { firstStep: 4, series: { loss: Float32Array.of(1) }, events: [] };
    expect(mergeSlices(emptySlice(4), b)).toBe(b);
    expect(mergeSlices(b, emptySlice(5))).toBe(b);
    expect(() => mergeSlices(b, { ...b, firstStep: 9 })).toThrow(
      'slices must be contiguous, got one ending at step 5 and the next starting at 9',
    );
  });

  it('SeriesBuilder grows and hands out a compact, transferable copy', () => {
    const builder = new SeriesBuilder(2);
    for (let i = 0; i < 5; i++) builder.push(i / 10);
    const array = builder.toArray();
    expect([...array]).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(array.buffer.byteLength).toBe(5 * 8);
    expect(sliceBuffers({ firstStep: 0, series: { a: array }, events: [] })).toEqual([
      array.buffer,
    ]);
  });
});
