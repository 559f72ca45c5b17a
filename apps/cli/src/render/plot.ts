/**
 * The CLI's one chart kit: Observable Plot (the library the web app draws with) run in Node on a
 * linkedom document, serialised to standalone SVG text. `renderPng` (resvg, bundled DejaVu fonts)
 * turns that text into a PNG, so the same picture comes out on a machine without a browser or a font.
 *
 * A picture is a short function that builds Plot options (`lossCurveSvg`, `embeddingScatterSvg`,
 * `bigramHeatmapSvg`, `decisionBoundarySvg`) and hands them to `plotSvg` with its title, subtitle
 * and legend. The figure around Plot's `<svg>` is drawn here rather than by Plot, because Plot writes
 * titles and swatch legends as HTML (`<figure>`, `<h2>`), which an SVG file cannot hold.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** The font every chart uses: DejaVu is what the PNG renderer has (and a common system font). */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, sans-serif";
/** Colour of text and axes (Plot draws them in `currentColor`). */
export const INK = '#1b1b1b';

/** One entry of a figure's legend. */
export interface LegendItem {
  /** What the entry says. */
  label: string;
  /** Its colour. */
  color: string;
  /** The swatch: a line, a filled band or a dot (default line). */
  shape?: 'line' | 'band' | 'dot';
}

/** The text and legend around a plot. */
export interface Figure {
  /** First line above the plot, bold. */
  title?: string;
  /** Second, smaller line. */
  subtitle?: string;
  /** Swatches between the titles and the plot, in rows that fit the width. */
  legend?: readonly LegendItem[];
}

/** Font size of the axes and labels (Plot's default 10 is small in a 2× PNG). */
const FONT_SIZE = 12;
const TITLE_SIZE = 16;
const SUBTITLE_SIZE = 12.5;
const LEGEND_SIZE = 12;

/**
 * Escapes text for an SVG text node or attribute.
 *
 * @example
 * escapeXml('a<b & "c"'); // 'a&lt;b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A number as SVG text with at most 2 decimals. */
function svgNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** The part of a DOM element this module uses (the CLI is compiled without the DOM's types). */
interface PlotElement {
  readonly tagName: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): Iterable<{ remove(): void }>;
}

/** A fresh linkedom document for each plot, so nothing is shared between two pictures. */
function newDocument(): PlotOptionsDocument {
  return parseHTML('<!DOCTYPE html><html><body></body></html>').document as PlotOptionsDocument;
}

/** Plot's type for its `document` option (the DOM's `Document`). */
type PlotOptionsDocument = NonNullable<Plot.PlotOptions['document']>;

/**
 * Rough width of `text` in DejaVu Sans at `size` (average advance 0.6 em): enough to lay out a
 * legend row and to centre titles, never used for anything that must be exact.
 */
function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.6;
}

/**
 * Renders Plot options to a standalone SVG document (with `xmlns`, `width`, `height` and `viewBox`)
 * with the figure's title, subtitle and legend above the plot. `width` and `height` in `options`
 * are the plot's own size; the document is taller by the text above it.
 *
 * @example
 * const svg = plotSvg(
 *   { width: 300, height: 200, marks: [Plot.lineY([3, 2, 2.5])], y: { label: 'loss' } },
 *   { title: 'a line' },
 * );
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'); // true
 */
export function plotSvg(options: Plot.PlotOptions, figure: Figure = {}): string {
  const document = newDocument();
  const element = Plot.plot({ ...options, document }) as unknown as PlotElement;
  if (element.tagName.toLowerCase() !== 'svg') {
    // Plot wraps the SVG in a <figure> when it has a title, caption or swatch legend.
    throw new Error('plotSvg: give titles and legends through the figure argument, not to Plot');
  }
  const width = Number(element.getAttribute('width'));
  const plotHeight = Number(element.getAttribute('height'));
  // The <style> rules target browsers (`:where(...)` selectors resvg does not read): drop them and
  // set what they meant as attributes.
  for (const style of [...element.querySelectorAll('style')]) style.remove();
  element.removeAttribute('class');
  element.setAttribute('font-family', FONT_FAMILY);
  element.setAttribute('font-size', String(FONT_SIZE));

  // ---- the header: title, subtitle, legend ----
  const header: string[] = [];
  let y = 0;
  const center = svgNumber(width / 2);
  if (figure.title !== undefined) {
    y += 24;
    header.push(
      `<text x="${center}" y="${y}" font-size="${TITLE_SIZE}" font-weight="bold" text-anchor="middle">${escapeXml(figure.title)}</text>`,
    );
  }
  if (figure.subtitle !== undefined) {
    y += 20;
    header.push(
      `<text x="${center}" y="${y}" font-size="${SUBTITLE_SIZE}" fill="#555555" text-anchor="middle">${escapeXml(figure.subtitle)}</text>`,
    );
  }
  const legend = figure.legend ?? [];
  const swatch = 22;
  const gap = 22;
  const widths = legend.map((item) => swatch + 6 + textWidth(item.label, LEGEND_SIZE));
  // Rows of entries that fit the width (a long legend, one entry per layer, wraps), each centred.
  const rows: number[][] = [];
  widths.forEach((itemWidth, k) => {
    const row = rows.at(-1);
    const used = row ? row.reduce((a, i) => a + widths[i] + gap, 0) : 0;
    if (row && used + itemWidth <= width - 8) row.push(k);
    else rows.push([k]);
  });
  for (const row of rows) {
    y += rows.length > 1 && row !== rows[0] ? 18 : 24;
    const total = row.reduce((a, i) => a + widths[i], 0) + gap * (row.length - 1);
    let x = Math.max(4, (width - total) / 2);
    for (const k of row) {
      const item = legend[k];
      const middle = y - LEGEND_SIZE * 0.35;
      const color = escapeXml(item.color);
      if (item.shape === 'dot') {
        header.push(
          `<circle cx="${svgNumber(x + swatch / 2)}" cy="${svgNumber(middle)}" r="4.5" fill="${color}"/>`,
        );
      } else if (item.shape === 'band') {
        header.push(
          `<rect x="${svgNumber(x)}" y="${svgNumber(middle - 5)}" width="${swatch}" height="10" fill="${color}"/>`,
        );
      } else {
        header.push(
          `<line x1="${svgNumber(x)}" y1="${svgNumber(middle)}" x2="${svgNumber(x + swatch)}" y2="${svgNumber(middle)}" stroke="${color}" stroke-width="2.2"/>`,
        );
      }
      header.push(
        `<text x="${svgNumber(x + swatch + 6)}" y="${svgNumber(y)}" font-size="${LEGEND_SIZE}">${escapeXml(item.label)}</text>`,
      );
      x += widths[k] + gap;
    }
  }
  const top = y === 0 ? 0 : y + 8;
  element.setAttribute('x', '0');
  element.setAttribute('y', String(top));
  const height = top + plotHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${svgNumber(height)}" viewBox="0 0 ${width} ${svgNumber(height)}" font-family="${escapeXml(FONT_FAMILY)}" color="${INK}" fill="${INK}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...header,
    element.outerHTML,
    '</svg>',
  ].join('\n');
}
