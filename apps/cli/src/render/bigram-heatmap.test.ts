import { describe, expect, it } from 'vitest';
import { bigramHeatmapSvg, blues, formatCellCount } from './bigram-heatmap.js';
import { pngSize, renderPng } from './png.js';

describe('bigramHeatmapSvg', () => {
  const itos = ['.', 'a', 'b'];
  const counts = [0, 4, 1, 2, 0, 8, 3, 1, 0];

  it('writes one shaded cell per pair with the pair and its count inside', () => {
    const svg = bigramHeatmapSvg({ counts, itos, title: 'N' });
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="36" height="36" fill="#/g)).toHaveLength(
      9,
    );
    // The largest count (ab = 8) is the darkest Blues colour, a zero the lightest.
    expect(svg).toContain(`fill="${blues(1)}"`);
    expect(svg).toContain(`fill="${blues(0)}"`);
    for (const [pair, count] of [
      ['.a', 4],
      ['ab', 8],
      ['b.', 3],
      ['..', 0],
    ] as const) {
      expect(svg).toMatch(
        new RegExp(`>${pair.replace('.', '\\.')}</text>\\n<text [^>]*>${count}</text>`),
      );
    }
    expect(svg).toContain('font-weight="bold">N</text>');
  });

  it('keeps text in dark cells white and shows invisible characters', () => {
    const svg = bigramHeatmapSvg({ counts: [1, 0, 0, 10], itos: ['.', ' '] });
    expect(svg).toMatch(/fill="#ffffff">␣␣<\/text>/);
    expect(svg).toContain('>.␣</text>');
  });

  it('scales to a 60-character vocabulary', () => {
    const size = 60;
    const itos60 = Array.from({ length: size }, (_, k) => String.fromCodePoint(0x41 + k));
    const svg = bigramHeatmapSvg({ counts: new Int32Array(size * size).fill(7), itos: itos60 });
    expect(svg.match(/>7<\/text>/g)).toHaveLength(size * size);
    expect(svg).toContain(`width="${30 + size * 36 + 14}" height="${12 + 22 + size * 36 + 14}"`);
  });

  it('renders to PNG with the bundled fonts', () => {
    const { width, height } = pngSize(renderPng(bigramHeatmapSvg({ counts, itos }), { zoom: 1 }));
    expect({ width, height }).toEqual({ width: 30 + 3 * 36 + 14, height: 12 + 22 + 3 * 36 + 14 });
  });

  it('rejects counts of the wrong size', () => {
    expect(() => bigramHeatmapSvg({ counts: [1, 2, 3], itos: ['.', 'a'] })).toThrow(
      'bigramHeatmapSvg: counts must have itos.length² = 4 entries, got 3',
    );
  });
});

describe('blues and formatCellCount', () => {
  it("interpolates matplotlib's Blues stops", () => {
    expect(blues(0)).toBe('#f7fbff');
    expect(blues(0.5)).toBe('#6baed6'); // the middle (5th of 9) stop
    expect(blues(1)).toBe('#08306b');
    expect(blues(2)).toBe('#08306b');
    expect(blues(Number.NaN)).toBe('#f7fbff');
  });

  it('shortens only counts that would not fit', () => {
    expect(formatCellCount(5438)).toBe('5438');
    expect(formatCellCount(99999)).toBe('99999');
    expect(formatCellCount(228146)).toBe('228k');
    expect(formatCellCount(12_345_678)).toBe('12.3M');
  });
});
