import { describe, expect, it } from 'vitest';
import { bigramHeatmapSvg, formatCellCount, visibleChar } from './bigram-heatmap.js';
import { pngSize, renderPng } from './png.js';

/** The contents of the mark group with this class. */
const group = (svg: string, name: string) =>
  new RegExp(`class="${name}"[^>]*>(.*?)</g>`, 's').exec(svg)?.[1] ?? '';

describe('bigramHeatmapSvg', () => {
  const itos = ['.', 'a', 'b'];
  const counts = [0, 4, 1, 2, 0, 8, 3, 1, 0];

  it('writes one shaded cell per pair with the pair and its count inside', () => {
    const svg = bigramHeatmapSvg({ counts, itos, title: 'N' });
    const cells = group(svg, 'cells');
    expect(cells.match(/<rect /g)).toHaveLength(9);
    // The largest count (ab = 8) is the darkest Blues colour, a zero the lightest.
    const fills = [...cells.matchAll(/fill="(rgb\([^)]*\))"/g)].map((m) => m[1]);
    const darkness = (rgb: string) =>
      rgb
        .match(/\d+/g)!
        .map(Number)
        .reduce((a, b) => a + b);
    expect(fills).toHaveLength(9);
    expect(darkness(fills[5])).toBe(Math.min(...fills.map(darkness)));
    expect(darkness(fills[0])).toBe(Math.max(...fills.map(darkness)));
    const text = group(svg, 'cell-text');
    for (const [pair, count] of [
      ['.a', 4],
      ['ab', 8],
      ['b.', 3],
      ['..', 0],
    ] as const) {
      expect(text).toContain(`>${pair}</tspan><tspan dy="1.15em" x="0">${count}</tspan>`);
    }
    expect(svg).toContain('font-weight="bold" text-anchor="middle">N</text>');
  });

  it('draws 729 cells for a 27-letter vocabulary, labelled along the top and the left', () => {
    const letters = ['.', ...'abcdefghijklmnopqrstuvwxyz'];
    const svg = bigramHeatmapSvg({ counts: new Int32Array(27 * 27).fill(7), itos: letters });
    expect(group(svg, 'cells').match(/<rect /g)).toHaveLength(729);
    expect(group(svg, 'cell-text').match(/>7<\/tspan>/g)).toHaveLength(729);
    for (const axis of ['x', 'y']) {
      const labels = new RegExp(`aria-label="${axis}-axis tick label"[^>]*>(.*?)</g>`).exec(svg);
      expect([...(labels?.[1] ?? '').matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(
        letters,
      );
    }
  });

  it('keeps text in dark cells white and shows invisible characters', () => {
    const svg = bigramHeatmapSvg({ counts: [1, 0, 0, 10], itos: ['.', ' '] });
    expect(group(svg, 'cell-text')).toMatch(/fill="#ffffff"[^>]*><tspan[^>]*>␣␣<\/tspan>/);
    expect(svg).toContain('>.␣</tspan>');
  });

  it('renders to PNG with the bundled fonts at its size', () => {
    const png = renderPng(bigramHeatmapSvg({ counts, itos }), { zoom: 1 });
    expect(pngSize(png)).toEqual({ width: 30 + 3 * 38 + 14, height: 26 + 3 * 38 + 10 });
  });

  it('rejects counts of the wrong size', () => {
    expect(() => bigramHeatmapSvg({ counts: [1, 2, 3], itos: ['.', 'a'] })).toThrow(
      'bigramHeatmapSvg: counts must have itos.length² = 4 entries, got 3',
    );
  });
});

describe('formatCellCount and visibleChar', () => {
  it('shortens only counts that would not fit', () => {
    expect(formatCellCount(5438)).toBe('5438');
    expect(formatCellCount(99999)).toBe('99999');
    expect(formatCellCount(228146)).toBe('228k');
    expect(formatCellCount(12_345_678)).toBe('12.3M');
  });

  it('makes invisible characters visible', () => {
    expect(visibleChar(' ')).toBe('␣');
    expect(visibleChar('\t')).toBe('⇥');
    expect(visibleChar('\u0007')).toBe('U+7');
    expect(visibleChar('é')).toBe('é');
  });
});
