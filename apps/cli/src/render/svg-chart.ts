/**
 * What every hand-written SVG chart shares: the document with its white background, the centred
 * title and subtitle, the frame around the plotting area with ticks, tick labels, a light grid and
 * the axis names, and the legend box. The renderers (decision boundary, bigram heatmap, loss curve,
 * embedding scatter) draw only their data between these layers.
 *
 * Coordinates are written with at most 2 decimals: a hundredth of an SVG unit is far below a pixel
 * even at the PNG renderer's zoom of 2, and it keeps the documents small.
 */

/** The font attribute every plot uses (DejaVu is bundled for the PNG renderer). */
export const FONT = 'font-family="\'DejaVu Sans\', Verdana, sans-serif"';

/** The ink of every chart: the frame with its ticks, and the text. */
export const CHART_INK = { axis: '#333333', text: '#1b1b1b' } as const;

/**
 * A coordinate as SVG text: rounded to 2 decimals, no trailing zeros.
 *
 * @example
 * svgNumber(12.3456); // '12.35'
 */
export function svgNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * A standalone SVG document of `width × height` units (with `width`, `height` and `viewBox`) on a
 * white background; empty strings among `layers` are dropped.
 *
 * @example
 * svgDocument(10, 20, ['<circle r="1"/>']).split('\n')[2]; // '<circle r="1"/>'
 */
export function svgDocument(width: number, height: number, layers: readonly string[]): string {
  const w = svgNumber(width);
  const h = svgNumber(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...layers,
    '</svg>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** The optional text above a chart. */
export interface ChartTitles {
  /** First line, bold. */
  title?: string;
  /** Second, smaller line. */
  subtitle?: string;
}

/**
 * The height above the plotting area that the title lines take: `empty` without either, 26 more
 * for the title and 20 more for the subtitle.
 *
 * @example
 * titleSpace({ title: 'loss' }); // 42
 */
export function titleSpace(titles: ChartTitles, empty = 16): number {
  return (
    (titles.title === undefined ? empty : empty + 26) + (titles.subtitle === undefined ? 0 : 20)
  );
}

/**
 * The title (at y = 26) and subtitle (below the title, or at y = 22 alone) centred on `centerX`.
 *
 * @example
 * chartTitles({ title: 'a<b' }, 100)[1]; // '<text x="100" y="26" font-size="16" font-weight="bold">a&#60;b</text>'
 */
export function chartTitles(
  titles: ChartTitles,
  centerX: number,
  options: { titleSize?: number; subtitleY?: number } = {},
): string[] {
  const x = svgNumber(centerX);
  const subtitleY = options.subtitleY ?? (titles.title === undefined ? 22 : 48);
  return [
    `<g ${FONT} fill="${CHART_INK.text}" text-anchor="middle">`,
    titles.title === undefined
      ? ''
      : `<text x="${x}" y="26" font-size="${options.titleSize ?? 16}" font-weight="bold">${escapeXml(titles.title)}</text>`,
    titles.subtitle === undefined
      ? ''
      : `<text x="${x}" y="${subtitleY}" font-size="12.5">${escapeXml(titles.subtitle)}</text>`,
    '</g>',
  ];
}

/** The plotting area in SVG units. */
export interface ChartFrame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One axis: where its ticks are, how values map to SVG units, and its name. */
export interface ChartAxis {
  ticks: readonly number[];
  /** Value → SVG x (horizontal axis) or y (vertical axis). */
  position: (value: number) => number;
  /** The axis name, written beside it. */
  label: string;
  /** Tick label (default `formatTick`). */
  format?: (tick: number) => string;
  /** Draw a light grid line at every tick across the plot (default false). */
  grid?: boolean;
}

/**
 * The axis layers of a chart with the x axis along the bottom and the y axis on the left: `grid`,
 * the light lines to draw under the data (empty when neither axis asks for them), and `axes`, the
 * frame, the ticks with their labels and the axis names to draw over it.
 *
 * @example
 * const frame = { left: 50, top: 20, width: 100, height: 100 };
 * const axis = { ticks: [0, 1], position: (v: number) => 50 + 100 * v, label: 'x' };
 * chartAxes(frame, axis, { ...axis, position: (v) => 120 - 100 * v, label: 'y' }).grid; // []
 */
export function chartAxes(
  frame: ChartFrame,
  x: ChartAxis,
  y: ChartAxis,
): { grid: string[]; axes: string[] } {
  const f = svgNumber;
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  const grid: string[] = [];
  const ticks: string[] = [];
  for (const tick of x.ticks) {
    const at = f(x.position(tick));
    if (x.grid) grid.push(`<line x1="${at}" y1="${frame.top}" x2="${at}" y2="${f(bottom)}"/>`);
    ticks.push(`<line x1="${at}" y1="${f(bottom)}" x2="${at}" y2="${f(bottom + 5)}"/>`);
    ticks.push(
      `<text x="${at}" y="${f(bottom + 19)}" text-anchor="middle" stroke="none">${(x.format ?? formatTick)(tick)}</text>`,
    );
  }
  for (const tick of y.ticks) {
    const at = f(y.position(tick));
    if (y.grid) grid.push(`<line x1="${frame.left}" y1="${at}" x2="${f(right)}" y2="${at}"/>`);
    ticks.push(`<line x1="${frame.left - 5}" y1="${at}" x2="${frame.left}" y2="${at}"/>`);
    ticks.push(
      `<text x="${frame.left - 8}" y="${f(y.position(tick) + 4)}" text-anchor="end" stroke="none">${(y.format ?? formatTick)(tick)}</text>`,
    );
  }
  const centerX = f(frame.left + frame.width / 2);
  const middleY = f(frame.top + frame.height / 2);
  return {
    grid:
      grid.length === 0
        ? []
        : ['<g class="grid" stroke="#e3e3e3" stroke-width="1">', ...grid, '</g>'],
    axes: [
      `<rect x="${frame.left}" y="${frame.top}" width="${f(frame.width)}" height="${f(frame.height)}" fill="none" stroke="${CHART_INK.axis}" stroke-width="1"/>`,
      `<g ${FONT} font-size="11" fill="${CHART_INK.text}" stroke="${CHART_INK.axis}" stroke-width="1">`,
      ...ticks,
      '</g>',
      `<g ${FONT} font-size="13" fill="${CHART_INK.text}" text-anchor="middle">`,
      `<text x="${centerX}" y="${f(bottom + 40)}">${escapeXml(x.label)}</text>`,
      `<text x="18" y="${middleY}" transform="rotate(-90 18 ${middleY})">${escapeXml(y.label)}</text>`,
      '</g>',
    ],
  };
}

/**
 * A legend: a rounded, slightly see-through white box at (`x`, `y`) of `width × height`, with the
 * `items` (markers and their text, placed by the caller) drawn over it.
 *
 * @example
 * chartLegend({ x: 10, y: 10, width: 100, height: 30 }, ['<text x="20" y="30">dev</text>']).length; // 4
 */
export function chartLegend(
  box: { x: number; y: number; width: number; height: number; opacity?: number },
  items: readonly string[],
): string[] {
  const f = svgNumber;
  return [
    `<g class="legend" ${FONT} font-size="11.5" fill="${CHART_INK.text}">`,
    `<rect x="${f(box.x)}" y="${f(box.y)}" width="${box.width}" height="${box.height}" rx="4" fill="white" fill-opacity="${box.opacity ?? 0.85}" stroke="#999" stroke-width="0.8"/>`,
    ...items,
    '</g>',
  ];
}

/**
 * Tick positions at a "nice" step (1, 2, 2.5 or 5 × 10^k) giving 5–10 ticks inside [low, high].
 *
 * @example
 * niceTicks(-2.2, 3.1); // [-2, -1, 0, 1, 2, 3]
 */
export function niceTicks(low: number, high: number, target = 7): number[] {
  const raw = (high - low) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + 1e-9; t += step) {
    ticks.push(Math.round(t / step) * step);
  }
  return ticks;
}

/**
 * A tick label: at most 3 decimals, with a true minus sign (−).
 *
 * @example
 * formatTick(-0.5); // '−0.5'
 */
export function formatTick(tick: number): string {
  const text = String(Math.round(tick * 1000) / 1000);
  return text.startsWith('-') ? `−${text.slice(1)}` : text;
}

/**
 * Escapes the five XML special characters.
 *
 * @example
 * escapeXml('a<b'); // 'a&#60;b'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
