import { describe, expect, it } from 'vitest';
import { dejavuFontFiles, PNG_SIGNATURE, pngSize, renderPng } from './png.js';

const square = (size: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size / 2}"><text x="2" y="12" font-size="10">Aa</text></svg>`;

describe('renderPng', () => {
  it('writes a PNG at twice the SVG size by default', () => {
    const png = renderPng(square(40));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 80, height: 40 });
  });

  it('honours zoom and caps the longer side at maxSize', () => {
    expect(pngSize(renderPng(square(40), { zoom: 1 }))).toEqual({ width: 40, height: 20 });
    expect(pngSize(renderPng(square(400), { maxSize: 200 }))).toEqual({ width: 200, height: 100 });
  });

  it('draws text with the bundled DejaVu fonts (no system fonts needed)', () => {
    expect(dejavuFontFiles().some((file) => file.endsWith('DejaVuSans.ttf'))).toBe(true);
    const withText = renderPng(square(40));
    const blank = renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>');
    expect(withText.length).toBeGreaterThan(blank.length); // glyphs add pixels to compress
  });
});
