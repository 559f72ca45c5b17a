import { describe, expect, it } from 'vitest';
import { boundaryPixels, CLASS_COLORS } from './boundary-colors.js';

describe('boundaryPixels', () => {
  it('white on the boundary, the class colour (blended) away from it, white for NaN', () => {
    const pixels = boundaryPixels(new Float32Array([0, 100, -100, Number.NaN]));
    expect([...pixels.slice(0, 4)]).toEqual([255, 255, 255, 255]);
    const blend = (c: number) => Math.round(255 + (c - 255) * 0.45);
    expect([...pixels.slice(4, 7)]).toEqual(CLASS_COLORS.positive.map(blend));
    expect([...pixels.slice(8, 11)]).toEqual(CLASS_COLORS.negative.map(blend));
    expect([...pixels.slice(12, 16)]).toEqual([255, 255, 255, 255]);
  });
});
