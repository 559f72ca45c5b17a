import { describe, expect, it } from 'vitest';
import {
  chartAxes,
  chartLegend,
  chartTitles,
  formatTick,
  niceTicks,
  svgDocument,
  svgNumber,
  titleSpace,
} from './svg-chart.js';

describe('niceTicks', () => {
  it('picks steps of 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceTicks(-2.2, 3.1)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(niceTicks(-1.6, 2.1)).toEqual([-1, 0, 1, 2]);
    expect(niceTicks(-1.6, 2.1, 8)).toEqual([-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe('chart pieces', () => {
  it('writes numbers with 2 decimals and ticks with a true minus sign', () => {
    expect(svgNumber(12.3456)).toBe('12.35');
    expect(svgNumber(560)).toBe('560');
    expect(formatTick(-0.5)).toBe('−0.5');
    expect(formatTick(1 / 3)).toBe('0.333');
  });

  it('wraps layers in a white document and drops empty ones', () => {
    expect(svgDocument(10.004, 20, ['<a/>', '', '<b/>'])).toBe(
      [
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20" viewBox="0 0 10 20">',
        '<rect width="100%" height="100%" fill="white"/>',
        '<a/>',
        '<b/>',
        '</svg>',
      ].join('\n'),
    );
  });

  it('places the title lines and reserves their height', () => {
    expect(titleSpace({})).toBe(16);
    expect(titleSpace({ title: 't' })).toBe(42);
    expect(titleSpace({ title: 't', subtitle: 's' }, 12)).toBe(58);
    expect(chartTitles({ subtitle: 's' }, 50)).toEqual([
      `<g font-family="'DejaVu Sans', Verdana, sans-serif" fill="#1b1b1b" text-anchor="middle">`,
      '',
      '<text x="50" y="22" font-size="12.5">s</text>',
      '</g>',
    ]);
    expect(chartTitles({ title: 'a<b', subtitle: 's' }, 50, { titleSize: 17 }).slice(1, 3)).toEqual(
      [
        '<text x="50" y="26" font-size="17" font-weight="bold">a&#60;b</text>',
        '<text x="50" y="48" font-size="12.5">s</text>',
      ],
    );
  });

  it('draws ticks on the bottom and left, and grid lines only where asked', () => {
    const frame = { left: 50, top: 20, width: 100, height: 100 };
    const x = { ticks: [0, 1], position: (v: number) => 50 + 100 * v, label: 'x' };
    const y = { ticks: [0, 0.5], position: (v: number) => 120 - 100 * v, label: 'y', grid: true };
    const { grid, axes } = chartAxes(frame, x, y);
    expect(grid).toEqual([
      '<g class="grid" stroke="#e3e3e3" stroke-width="1">',
      '<line x1="50" y1="120" x2="150" y2="120"/>',
      '<line x1="50" y1="70" x2="150" y2="70"/>',
      '</g>',
    ]);
    expect(axes).toContain('<line x1="150" y1="120" x2="150" y2="125"/>');
    expect(axes).toContain('<text x="42" y="74" text-anchor="end" stroke="none">0.5</text>');
    expect(axes).toContain('<text x="100" y="160">x</text>');
    expect(axes).toContain('<text x="18" y="70" transform="rotate(-90 18 70)">y</text>');
    expect(chartAxes(frame, x, { ...y, grid: false }).grid).toEqual([]);
  });

  it('puts the legend items over a box', () => {
    const legend = chartLegend({ x: 10, y: 5, width: 100, height: 30 }, ['<text>dev</text>']);
    expect(legend[1]).toBe(
      '<rect x="10" y="5" width="100" height="30" rx="4" fill="white" fill-opacity="0.85" stroke="#999" stroke-width="0.8"/>',
    );
    expect(legend.slice(2)).toEqual(['<text>dev</text>', '</g>']);
  });
});
