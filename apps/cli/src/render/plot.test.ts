import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { escapeXml, plotSvg } from './plot.js';
import { PNG_SIGNATURE, pngSize, renderPng } from './png.js';

describe('plotSvg', () => {
  const options = {
    width: 300,
    height: 200,
    x: { label: 'step' },
    y: { label: 'loss' },
    marks: [Plot.lineY([3, 2, 2.5], { className: 'curve' })],
  };

  it('returns a standalone SVG document with Plot inside and the figure text above it', () => {
    const svg = plotSvg(options, {
      title: 'a<b & c',
      subtitle: 'second',
      legend: [{ label: 'train', color: '#1f77b4' }],
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="300" height="276"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>a&lt;b &amp; c</text>');
    expect(svg).toContain('>second</text>');
    expect(svg).toContain('>train</text>');
    // Plot's own <svg>, moved below the 76 units of text, with its browser-only <style> removed.
    expect(svg).toMatch(/<svg y="76" x="0" viewBox="0 0 300 200"/);
    expect(svg).not.toContain('<style');
    expect(svg).toContain('class="curve"');
    expect(svg).toMatch(/aria-label="x-axis label"[^>]*><text[^>]*>step/);
  });

  it('has no header without a figure and renders to a PNG of twice its size', () => {
    const svg = plotSvg(options);
    expect(svg).toMatch(/<svg y="0" x="0"/);
    const png = renderPng(svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 600, height: 400 });
  });

  it('wraps a legend wider than the plot into centred rows', () => {
    const label = (k: number) => `layers.${k} (Tanh): mean -0.02, std 0.75, saturated 20.25%`;
    const legend = [1, 3, 5].map((k) => ({ label: label(k), color: '#1f77b4' }));
    const svg = plotSvg(options, { legend });
    const rows = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" font-size="12">layers/g)].map(
      (m) => Number(m[1]),
    );
    expect(rows).toEqual([24, 42, 60]); // one entry per row at width 300, 18 units apart
    const wide = plotSvg({ ...options, width: 1400 }, { legend });
    const oneRow = [...wide.matchAll(/<text x="[\d.]+" y="([\d.]+)" font-size="12">layers/g)];
    expect(new Set(oneRow.map((m) => m[1])).size).toBe(1);
  });

  it('refuses a Plot title, which Plot writes as HTML', () => {
    expect(() => plotSvg({ ...options, title: 'x' })).toThrow(
      'plotSvg: give titles and legends through the figure argument',
    );
  });

  it('escapes XML', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });
});
