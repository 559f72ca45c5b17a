/**
 * The bigram count matrix as the makemore lecture draws it: `plt.imshow(N, cmap='Blues')` with, in
 * every cell, the pair (`"an"`) above and its count (`5438`) below. Written as a hand-made SVG: one
 * `<rect>` per cell shaded by count on matplotlib's `Blues` colour map (linear in the count, as
 * `imshow` is), the characters of each row down the left and of each column along the top (the
 * lecture turns the axes off; the labels make a row easy to find in a 27×27 grid).
 *
 * NOTE: unlike the lecture's all-gray text, the text in dark cells is white so it stays readable.
 */
import {
  CHART_INK,
  chartTitles,
  escapeXml,
  FONT,
  svgDocument,
  svgNumber,
  titleSpace,
} from './svg-chart.js';

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
  /** Side of a cell in SVG units (default 36: room for a 5-digit count). */
  cellSize?: number;
}

/** matplotlib's `Blues` (ColorBrewer, 9 classes), from 0 (lightest) to 1 (darkest). */
const BLUES = [
  [0xf7, 0xfb, 0xff],
  [0xde, 0xeb, 0xf7],
  [0xc6, 0xdb, 0xef],
  [0x9e, 0xca, 0xe1],
  [0x6b, 0xae, 0xd6],
  [0x42, 0x92, 0xc6],
  [0x21, 0x71, 0xb5],
  [0x08, 0x51, 0x9c],
  [0x08, 0x30, 0x6b],
] as const;

/**
 * The `Blues` colour at `t` in [0, 1] (clamped), interpolated linearly between the 9 stops, as
 * `#rrggbb`.
 *
 * @example
 * blues(0); // '#f7fbff'
 * blues(1); // '#08306b'
 */
export function blues(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (BLUES.length - 1);
  const k = Math.min(BLUES.length - 2, Math.floor(x));
  const f = x - k;
  const hex = (c: number) => Math.round(c).toString(16).padStart(2, '0');
  const [r, g, b] = [0, 1, 2].map((i) => BLUES[k][i] + f * (BLUES[k + 1][i] - BLUES[k][i]));
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

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

/** How a character is shown in a cell: spaces and other invisible characters become visible. */
function visible(char: string): string {
  if (char === ' ') return '␣';
  if (char === '\t') return '⇥';
  if (/^\p{C}$/u.test(char)) return `U+${char.codePointAt(0)?.toString(16).toUpperCase()}`;
  return char;
}

/**
 * Renders the bigram heatmap as a standalone SVG document.
 *
 * @example
 * const svg = bigramHeatmapSvg({ counts: [0, 2, 3, 1], itos: ['.', 'a'], title: 'bigrams' });
 * svg.includes('>.a</text>'); // true
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

  const cell = plot.cellSize ?? 36;
  const pairFont = Math.round(cell * 0.32 * 10) / 10;
  const countFont = Math.round(cell * 0.27 * 10) / 10;
  const labelFont = Math.min(15, Math.round(cell * 0.4));
  // Below the titles, a line for the column labels.
  const margin = { left: 30, right: 14, top: titleSpace(plot, 12) + 22, bottom: 14 };
  const grid = size * cell;
  const width = margin.left + grid + margin.right;
  const height = margin.top + grid + margin.bottom;
  const f = svgNumber;

  const rects: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const count = counts[i * size + j];
      const t = max > 0 ? count / max : 0;
      const x = margin.left + j * cell;
      const y = margin.top + i * cell;
      rects.push(
        `<rect x="${f(x)}" y="${f(y)}" width="${cell}" height="${cell}" fill="${blues(t)}"/>`,
      );
      // Dark cells get white text; light ones the lecture's gray, darker for readability.
      const color = t > 0.45 ? '#ffffff' : count === 0 ? '#9a9a9a' : '#3c3c3c';
      const cx = f(x + cell / 2);
      const pair = escapeXml(visible(itos[i]) + visible(itos[j]));
      texts.push(
        `<text x="${cx}" y="${f(y + cell * 0.45)}" font-size="${pairFont}" fill="${color}">${pair}</text>`,
        `<text x="${cx}" y="${f(y + cell * 0.82)}" font-size="${countFont}" fill="${color}">${formatCellCount(count)}</text>`,
      );
    }
  }

  const labels: string[] = [];
  for (let k = 0; k < size; k++) {
    const char = escapeXml(visible(itos[k]));
    const center = f(margin.left + k * cell + cell / 2);
    const middle = f(margin.top + k * cell + cell / 2 + labelFont * 0.35);
    labels.push(`<text x="${center}" y="${f(margin.top - 7)}">${char}</text>`);
    labels.push(`<text x="${f(margin.left / 2 + 1)}" y="${middle}">${char}</text>`);
  }

  return svgDocument(width, height, [
    ...chartTitles(plot, margin.left + grid / 2, { titleSize: 17 }),
    '<g class="cells" shape-rendering="crispEdges">',
    ...rects,
    '</g>',
    `<g class="cell-text" ${FONT} text-anchor="middle">`,
    ...texts,
    '</g>',
    `<g class="labels" ${FONT} font-size="${labelFont}" font-weight="bold" fill="${CHART_INK.text}" text-anchor="middle">`,
    ...labels,
    '</g>',
    `<rect x="${margin.left}" y="${margin.top}" width="${grid}" height="${grid}" fill="none" stroke="#8a8a8a" stroke-width="0.8"/>`,
  ]);
}
