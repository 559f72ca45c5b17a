import { type DiagnosticsSnapshot, histogram } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { diagnosticsSvg, MAX_RATIO_POINTS } from './diagnostics-figure.js';
import { pngSize, renderPng } from './png.js';

const values = Array.from({ length: 400 }, (_, i) => Math.tanh(Math.sin(i * 1.7) * 2));
const summary = { mean: 0.01, std: 0.75, histogram: histogram(values, { density: true }) };
const snapshot: DiagnosticsSnapshot = {
  step: 99,
  activations: [
    { name: 'layers.1', type: 'Tanh', shape: [20, 20], ...summary, saturated: 0.2025 },
    { name: 'layers.3', type: 'Tanh', shape: [20, 20], ...summary, saturated: 0.05 },
  ],
  gradients: [{ name: 'layers.1', type: 'Tanh', ...summary }],
  weights: [{ name: 'layers.0.weight', shape: [20, 4], ...summary, gradToData: 0.0123 }],
};
/** `n` steps of one parameter's ratios, −2 then −4. */
const ratios = (n: number) => ({
  names: ['layers.0.weight'],
  steps: Array.from({ length: n }, (_, k) => k),
  values: [Array.from({ length: n }, (_, k) => (k < n / 2 ? -2 : -4))],
});

/** The `d` of the first path inside the mark group with this class. */
const pathOf = (svg: string, name: string) =>
  new RegExp(`class="${name}"[^>]*>(?:<[^>]*>)*?<path[^>]* d="([^"]*)"`).exec(svg)?.[1] ?? '';

describe('diagnosticsSvg', () => {
  it('stacks the four panels with a legend line per layer and the −3 guide', () => {
    const svg = diagnosticsSvg({
      snapshot,
      updateRatios: ratios(100),
      missingLayers: null,
      title: 'Diagnostics of a <test>',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="960"')).toBe(true);
    const titles = [...svg.matchAll(/font-weight="bold"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(titles).toEqual([
      'Diagnostics of a &lt;test&gt;',
      'activation distribution',
      'gradient distribution',
      'weights gradient distribution',
      'update:data ratio over time',
    ]);
    expect(svg).toContain('>layers.1 (Tanh): mean +0.01, std 0.75, saturated 20.25%</text>');
    expect(svg).toContain('>layers.3 (Tanh): mean +0.01, std 0.75, saturated 5.00%</text>');
    expect(svg).toContain('>layers.1 (Tanh): mean +0.010000, std 7.500000e-01</text>');
    expect(svg).toContain(
      '>layers.0.weight (20, 4) | mean +0.010000 | std 7.500000e-01 | grad:data ratio 1.230000e-02</text>',
    );
    expect(svg).toContain('>layers.0.weight (20, 4)</text>'); // the ratio panel's legend
    // The guide is a horizontal rule at −3: between the −2 and −4 levels of the line.
    const guide = /class="guide"[^>]*><line ([^>]*)\/>/.exec(svg)?.[1] ?? '';
    const y1 = Number(/\by1="([\d.]+)"/.exec(guide)?.[1]);
    expect(Number(/\by2="([\d.]+)"/.exec(guide)?.[1])).toBe(y1);
    const ys = [...pathOf(svg, 'ratio-0').matchAll(/,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBe(100);
    expect(y1).toBeCloseTo((Math.min(...ys) + Math.max(...ys)) / 2, 0);
    // Each panel is nested one below the other.
    const offsets = [...svg.matchAll(/<svg x="0" y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(4);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(pngSize(renderPng(svg, { zoom: 1 })).width).toBe(960);
  });

  it('says why, instead of empty frames, for a model without watched layers or a run of no steps', () => {
    const missing = 'no Tanh layer in this MLP model: …';
    const svg = diagnosticsSvg({
      snapshot: { ...snapshot, activations: [], gradients: [] },
      updateRatios: ratios(10),
      missingLayers: missing,
    });
    expect(svg).toContain(`class="message">${missing}</text>`);
    expect(svg).toContain('class="message">no layer to watch (see above)</text>');
    expect(svg).not.toContain('>layers.1 (Tanh)');
    expect(svg).toContain('>weights gradient distribution</text>');
    const empty = diagnosticsSvg({
      snapshot: null,
      updateRatios: { names: [], steps: [], values: [] },
      missingLayers: null,
    });
    expect(empty.match(/no step was watched \(the run trained no steps\)/g)).toHaveLength(4);
  });

  it(`draws a long run's ratios as means of windows (at most ${MAX_RATIO_POINTS} points)`, () => {
    const svg = diagnosticsSvg({ snapshot, updateRatios: ratios(5000), missingLayers: null });
    const points = pathOf(svg, 'ratio-0').match(/[ML]/g) ?? [];
    expect(points.length).toBe(1000);
    expect(svg).toContain('means of 5 steps');
  });
});
