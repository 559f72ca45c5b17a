/**
 * Colours of the decision-boundary picture: the sign of the score picks the class colour, its size
 * the strength (a soft tanh, so the margin |score| ≈ 1 of the max-margin loss shows as full colour).
 */

/** Class +1 (the lower moon, label 1) and −1 (the upper moon, label 0), as RGB. */
export const CLASS_COLORS = { positive: [47, 111, 179], negative: [214, 96, 48] } as const;

/**
 * Paints a score grid (row-major, top row first) into RGBA pixels, one pixel per cell.
 *
 * @example
 * ```ts
 * boundaryPixels(new Float32Array([5, -5]))[3]; // 255 (opaque)
 * ```
 */
export function boundaryPixels(grid: ArrayLike<number>): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(grid.length * 4);
  for (let p = 0; p < grid.length; p++) {
    const score = grid[p];
    const [r, g, b] = score >= 0 ? CLASS_COLORS.positive : CLASS_COLORS.negative;
    // Blend from white: 0 at the boundary, 0.45 at |score| ≥ ~2 (light enough to see the points).
    const t = Number.isFinite(score) ? 0.45 * Math.tanh(Math.abs(score)) : 0;
    pixels[p * 4] = 255 + (r - 255) * t;
    pixels[p * 4 + 1] = 255 + (g - 255) * t;
    pixels[p * 4 + 2] = 255 + (b - 255) * t;
    pixels[p * 4 + 3] = 255;
  }
  return pixels;
}
