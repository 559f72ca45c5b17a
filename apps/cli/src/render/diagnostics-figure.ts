/**
 * The four pictures of makemore part 3, one below the other in one SVG document (what
 * `lmp train --diagnostics FILE` writes):
 *
 *   1. activation distribution — the density histogram of each watched layer's output
 *      (`hy, hx = torch.histogram(t, density=True); plt.plot(hx[:-1], hy)`), legend
 *      "layers.2 (Tanh): mean -0.02, std 0.75, saturated 20.25%";
 *   2. gradient distribution — the same for the gradient of each layer's output;
 *   3. weights gradient distribution — each 2-d parameter's gradient, with its grad:data ratio;
 *   4. update:data ratio over time — log10(lr·std(grad)/std(data)) per parameter, with the black
 *      guide line at −3.
 *
 * A model without watched layers (no `Tanh` module) gets its message in place of panels 1 and 2,
 * not two empty frames. Each panel is a `plotSvg` figure (the CLI's one chart kit), nested at its
 * offset in the document.
 */
import {
  type DiagnosticsSnapshot,
  formatActivation,
  formatGradient,
  formatWeightGradient,
  type Histogram,
  type UpdateRatios,
} from '@llm-playground/makemore';
import * as Plot from '@observablehq/plot';
import { escapeXml, FONT_FAMILY, INK, plotSvg } from './plot.js';

/** matplotlib's tab10 cycle, the lecture's colours. */
export const SERIES_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

/** What `diagnosticsSvg` draws. */
export interface DiagnosticsFigure {
  /** The last watched step's summaries (null: no step was watched; the histogram panels say so). */
  snapshot: DiagnosticsSnapshot | null;
  updateRatios: UpdateRatios;
  /** `Diagnostics.missingLayers`: shown instead of the activation and gradient panels. */
  missingLayers: string | null;
  title?: string;
  subtitle?: string;
  /** Width of the document (default 960). */
  width?: number;
}

/** The most points a line of the update:data panel has; longer runs are drawn as window means. */
export const MAX_RATIO_POINTS = 1000;

const PANEL_HEIGHT = 260;

/** One histogram as points (left edges, like the lecture's `hx[:-1]`). */
function histogramPoints(h: Histogram, series: number): { x: number; y: number; series: number }[] {
  return Array.from(h.hist, (y, k) => ({ x: h.binEdges[k], y, series }));
}

/** A panel of density histograms, one line per series. */
function histogramPanel(
  title: string,
  xLabel: string,
  series: { label: string; histogram: Histogram }[],
  width: number,
): string {
  const points = series.flatMap((s, i) => histogramPoints(s.histogram, i));
  const color = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length];
  return plotSvg(
    {
      width,
      height: PANEL_HEIGHT,
      marginLeft: 62,
      marginRight: 24,
      marginBottom: 42,
      x: { label: xLabel, labelAnchor: 'center', labelArrow: 'none' },
      y: { label: 'density', labelAnchor: 'center', labelArrow: 'none' },
      marks: [
        Plot.gridY({ stroke: '#000000', strokeOpacity: 0.08 }),
        ...series.map((_, i) =>
          Plot.lineY(
            points.filter((p) => p.series === i),
            { x: 'x', y: 'y', stroke: color(i), strokeWidth: 1.4, className: `series-${i}` },
          ),
        ),
        Plot.frame({ stroke: '#8a8a8a' }),
      ],
    },
    { title, legend: series.map((s, i) => ({ label: s.label, color: color(i) })) },
  );
}

/** A panel holding only its title and a message (wrapped at about `width` units). */
function messagePanel(title: string, message: string, width: number): string {
  const perLine = Math.floor((width - 40) / (12.5 * 0.6));
  const lines: string[] = [];
  for (const word of message.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= perLine)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const height = 24 + 16 + lines.length * 18 + 12;
  const center = width / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${center}" y="24" font-size="16" font-weight="bold" text-anchor="middle">${escapeXml(title)}</text>`,
    ...lines.map(
      (line, k) =>
        `<text x="${center}" y="${48 + k * 18}" font-size="12.5" fill="#555555" text-anchor="middle" class="message">${escapeXml(line)}</text>`,
    ),
    '</svg>',
  ].join('\n');
}

/**
 * The update:data ratios as lines (means over windows when a series is longer than
 * `MAX_RATIO_POINTS`), with the 1e-3 guide line.
 */
function ratioPanel(ratios: UpdateRatios, shapes: Map<string, number[]>, width: number): string {
  const n = ratios.steps.length;
  const window = Math.max(1, Math.ceil(n / MAX_RATIO_POINTS));
  const color = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length];
  const lines = ratios.values.map((values, i) => {
    const points: { step: number; value: number }[] = [];
    for (let start = 0; start < n; start += window) {
      let total = 0;
      let count = 0;
      for (let k = start; k < Math.min(n, start + window); k++) {
        if (Number.isFinite(values[k])) {
          total += values[k];
          count++;
        }
      }
      if (count > 0) points.push({ step: ratios.steps[start], value: total / count });
    }
    return Plot.lineY(points, {
      x: 'step',
      y: 'value',
      stroke: color(i),
      strokeWidth: 1.3,
      className: `ratio-${i}`,
    });
  });
  const label = (name: string) => {
    const shape = shapes.get(name);
    return shape === undefined ? name : `${name} (${shape.join(', ')})`;
  };
  return plotSvg(
    {
      width,
      height: PANEL_HEIGHT,
      marginLeft: 62,
      marginRight: 24,
      marginBottom: 42,
      x: { label: 'step', labelAnchor: 'center', labelArrow: 'none' },
      y: { label: 'log10(update / data)', labelAnchor: 'center', labelArrow: 'none' },
      marks: [
        Plot.gridY({ stroke: '#000000', strokeOpacity: 0.08 }),
        ...lines,
        Plot.ruleY([-3], { stroke: '#000000', strokeWidth: 1.5, className: 'guide' }),
        Plot.frame({ stroke: '#8a8a8a' }),
      ],
    },
    {
      title: 'update:data ratio over time',
      subtitle: `log10(lr·std(grad)/std(data)) per parameter${window > 1 ? `, means of ${window} steps` : ''}; the black line is 1e-3`,
      legend: ratios.names.map((name, i) => ({ label: label(name), color: color(i) })),
    },
  );
}

/** `width` and `height` of a standalone SVG document made by `plotSvg` or `messagePanel`. */
function sizeOf(svg: string): { width: number; height: number } {
  const match = /^<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (!match) throw new Error('diagnosticsSvg: a panel is not a standalone SVG document');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/**
 * The four diagnostics panels as one standalone SVG document (see the file comment).
 *
 * @example
 * const svg = diagnosticsSvg({ snapshot: diagnostics.latest, updateRatios: diagnostics.updateRatios, missingLayers: diagnostics.missingLayers });
 * svg.includes('>activation distribution</text>'); // true
 */
export function diagnosticsSvg(figure: DiagnosticsFigure): string {
  const width = figure.width ?? 960;
  const { snapshot } = figure;
  const none = 'no step was watched (the run trained no steps)';
  const panels: string[] = [];
  const layerPanel = (
    title: string,
    xLabel: string,
    series: { label: string; histogram: Histogram }[] | undefined,
  ) => {
    if (figure.missingLayers !== null) {
      // The reason once, in the first panel; the second points to it.
      const message = panels.length === 0 ? figure.missingLayers : 'no layer to watch (see above)';
      return messagePanel(title, message, width);
    }
    if (series === undefined || series.length === 0) return messagePanel(title, none, width);
    return histogramPanel(title, xLabel, series, width);
  };
  panels.push(
    layerPanel(
      'activation distribution',
      'activation',
      snapshot?.activations.map((a) => ({ label: formatActivation(a), histogram: a.histogram })),
    ),
  );
  panels.push(
    layerPanel(
      'gradient distribution',
      'gradient of the activation',
      snapshot?.gradients.map((g) => ({ label: formatGradient(g), histogram: g.histogram })),
    ),
  );
  const weights = snapshot?.weights ?? [];
  panels.push(
    weights.length === 0
      ? messagePanel('weights gradient distribution', none, width)
      : histogramPanel(
          'weights gradient distribution',
          'gradient',
          weights.map((w) => ({ label: formatWeightGradient(w), histogram: w.histogram })),
          width,
        ),
  );
  const shapes = new Map(weights.map((w) => [w.name, w.shape]));
  panels.push(
    figure.updateRatios.steps.length === 0
      ? messagePanel('update:data ratio over time', none, width)
      : ratioPanel(figure.updateRatios, shapes, width),
  );

  const header: string[] = [];
  let y = 0;
  if (figure.title !== undefined) {
    y += 26;
    header.push(
      `<text x="${width / 2}" y="${y}" font-size="18" font-weight="bold" text-anchor="middle">${escapeXml(figure.title)}</text>`,
    );
  }
  if (figure.subtitle !== undefined) {
    y += 20;
    header.push(
      `<text x="${width / 2}" y="${y}" font-size="12.5" fill="#555555" text-anchor="middle">${escapeXml(figure.subtitle)}</text>`,
    );
  }
  if (y > 0) y += 8;
  const body: string[] = [];
  for (const panel of panels) {
    const size = sizeOf(panel);
    body.push(
      panel.replace(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /, `<svg x="0" y="${y}" `),
    );
    y += size.height + 12;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="${escapeXml(FONT_FAMILY)}" color="${INK}" fill="${INK}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...header,
    ...body,
    '</svg>',
  ].join('\n');
}
