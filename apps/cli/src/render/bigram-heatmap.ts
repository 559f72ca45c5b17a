/**
 * The bigram count matrix as the makemore lecture draws it: `plt.imshow(N, cmap='Blues')` with, in
 * every cell, the pair (`"an"`) above and its count (`5438`) below. One Plot `cell` per pair shaded
 * by count on the `Blues` colour scheme (linear in the count, as `imshow` is) and one `text` mark
 * with the two lines; the characters of each row down the left and of each column along the top
 * (the lecture turns the axes off; the labels make a row easy to find in a 27×27 grid).
 *
 * NOTE: unlike the lecture's all-gray text, the text in dark cells is white so it stays readable.
 */
import * as Plot from '@observablehq/plot';
import { plotSvg } from './plot.js';

/** What to draw: a `V×V` count matrix (row = first character) and the vocabulary. */
export interface BigramHeatmap {
  /** Row-major `V·V` counts: `counts[i·V + j]` = how often `itos[j]` follows `itos[i]`. */
  counts: ArrayLike<number>;
  /** The characters, index → character (`itos[0]` is normally the boundary `.`). */
  itos: readonly string[];
  /** First line above the grid. */
  title?: string;
  /** Second, smaller line above the grid. */
  subtitle?: string;
  /** Side of a cell in SVG units (default 38: room for a 5-digit count). */
  cellSize?: number;
}

/** Above this fraction of the largest count a cell is dark enough for white text. */
const DARK = 0.45;

/**
 * A count short enough for a cell: exact below 100,000, then `123k`, `1.2M`.
 *
 * @example
 * formatCellCount(5438); // '5438'
 * formatCellCount(228146); // '228k'
 */
export function formatCellCount(count: number): string {
  if (count < 100_000) return String(count);
  if (count < 10_000_000) return `${Math.round(count / 1000)}k`;
  return `${(count / 1e6).toFixed(1)}M`;
}

/**
 * How a character is shown in a cell or on an axis: spaces, tabs and other invisible characters
 * become visible.
 *
 * @example
 * visibleChar(' '); // '␣'
 */
export function visibleChar(char: string): string {
  if (char === ' ') return '␣';
  if (char === '\t') return '⇥';
  if (/^\p{C}$/u.test(char)) return `U+${char.codePointAt(0)?.toString(16).toUpperCase()}`;
  return char;
}

/** One cell of the heatmap. */
interface Cell {
  row: number;
  column: number;
  count: number;
  text: string;
}

/**
 * Renders the bigram heatmap as a standalone SVG document.
 *
 * @example
 * const svg = bigramHeatmapSvg({ counts: [0, 2, 3, 1], itos: ['.', 'a'], title: 'bigrams' });
 * svg.includes('>.a</tspan>'); // true
 */
export function bigramHeatmapSvg(plot: BigramHeatmap): string {
  const { counts, itos } = plot;
  const size = itos.length;
  if (size === 0 || counts.length !== size * size) {
    throw new RangeError(
      `bigramHeatmapSvg: counts must have itos.length² = ${size * size} entries, got ${counts.length}`,
    );
  }
  let max = 0;
  for (let k = 0; k < counts.length; k++) max = Math.max(max, counts[k]);
  const cells: Cell[] = [];
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const count = counts[row * size + column];
      const pair = visibleChar(itos[row]) + visibleChar(itos[column]);
      cells.push({ row, column, count, text: `${pair}\n${formatCellCount(count)}` });
    }
  }
  const cell = plot.cellSize ?? 38;
  const margin = { left: 30, right: 14, top: 26, bottom: 10 };
  const indices = Array.from({ length: size }, (_, k) => k);
  const label = (k: number) => visibleChar(itos[k]);
  const textColor = (d: Cell) =>
    max > 0 && d.count / max > DARK ? '#ffffff' : d.count === 0 ? '#9a9a9a' : '#3c3c3c';
  return plotSvg(
    {
      width: margin.left + size * cell + margin.right,
      height: margin.top + size * cell + margin.bottom,
      marginLeft: margin.left,
      marginRight: margin.right,
      marginTop: margin.top,
      marginBottom: margin.bottom,
      x: { domain: indices, axis: 'top', label: null, tickFormat: label, tickSize: 0, padding: 0 },
      y: { domain: indices, label: null, tickFormat: label, tickSize: 0, padding: 0 },
      color: { type: 'linear', scheme: 'blues', domain: [0, Math.max(1, max)] },
      marks: [
        Plot.cell(cells, { x: 'column', y: 'row', fill: 'count', inset: 0, className: 'cells' }),
        Plot.text(cells, {
          x: 'column',
          y: 'row',
          text: 'text',
          fill: textColor,
          fontSize: Math.round(cell * 0.29 * 10) / 10,
          lineHeight: 1.15,
          className: 'cell-text',
        }),
        Plot.frame({ stroke: '#8a8a8a' }),
      ],
    },
    { title: plot.title, subtitle: plot.subtitle },
  );
}
