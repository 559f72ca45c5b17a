/**
 * A V×V matrix in Observable Plot (rows = the current character, columns = the next), like the
 * lecture's `plt.imshow(N, cmap='Blues')` with `plt.text` labels; with `rowLabels`, any R×V matrix
 * (the backprop page's 32×V `dlogits`). Two ways to draw it:
 * - `cells` (default): one `Plot.rect` per cell, each with its tooltip, and optionally two text
 *   lines per cell (`Plot.text`: the pair and its count). 27×27 with 1,458 labels renders in
 *   ~34 ms, fine for a table that changes when the data does.
 * - `raster`: one `Plot.raster` image of V×V pixels, cheap enough to repaint several times a
 *   second while training (an SVG of 784 rects costs ~100 ms of style and paint per update in
 *   software rendering); a hovered cell's tooltip comes from the plot's scales (`invert`).
 * Rows can be selectable: each row gets a focusable button over it (click, Enter/Space, focus,
 * ↑/↓ to move) placed with the plot's y scale, and the selected row a highlight; selecting moves
 * only the highlight (the figure is not drawn again, so focus stays).
 */
import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'preact/hooks';
import { type PlotElement, PlotFigure, plotPointer, setAttributes } from './plot-figure.js';

export interface HeatmapProps {
  /** Column labels, and row labels unless `rowLabels` is given (V = itos.length). */
  itos: readonly string[];
  /** Row labels of a matrix that is not V×V (R = rowLabels.length rows). */
  rowLabels?: readonly string[];
  /** Row-major R·V values (V·V without `rowLabels`). */
  values: ArrayLike<number>;
  /** Fill colour of a value. */
  color: (value: number) => string;
  /** Size of one cell in CSS pixels. */
  cellSize: number;
  /** Accessible name of the figure. */
  title: string;
  /** `raster` for live updates (see the file's note). */
  mode?: 'cells' | 'raster';
  /** Two text lines per cell (the lecture's pair and count), or none (cells mode). */
  labels?: (row: number, col: number) => [string, string];
  /** Text colour of a value (white on dark cells). */
  textColor?: (value: number) => string;
  /** The highlighted row, if any. */
  selectedRow?: number | null;
  /** Makes rows focusable buttons: called on click, Enter/Space, focus and arrow keys. */
  onSelectRow?: (row: number) => void;
  /** A tooltip per cell (memoise it: a new function draws the figure again). */
  cellTitle?: (row: number, col: number) => string;
  testId?: string;
}

/** Room for the axis letters above and left of the cells. */
const MARGIN = 18;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * @example
 * ```tsx
 * <Heatmap itos={table.itos} values={counts} color={blues} cellSize={38} title="counts"
 *   labels={(r, c) => [pair(r, c), String(count(r, c))]} onSelectRow={setRow} />
 * ```
 */
export function Heatmap(props: HeatmapProps) {
  const { itos, values, color, cellSize, labels, textColor, cellTitle } = props;
  const mode = props.mode ?? 'cells';
  const V = itos.length;
  const rowLabels = props.rowLabels ?? itos;
  const R = rowLabels.length;
  const figure = useRef<PlotElement | null>(null);
  const latest = useRef(props);
  latest.current = props;

  const render = () => {
    const cells = Array.from({ length: R * V }, (_, i) => i);
    const row = (i: number) => Math.floor(i / V);
    const col = (i: number) => i % V;
    const marks: Plot.Markish[] =
      mode === 'raster'
        ? [
            Plot.raster(
              Array.from(values, (value) => color(value)),
              { width: V, height: R, x1: 0, x2: V, y1: 0, y2: R, imageRendering: 'pixelated' },
            ),
          ]
        : [
            Plot.rect(cells, {
              x1: col,
              x2: (i: number) => col(i) + 1,
              y1: row,
              y2: (i: number) => row(i) + 1,
              fill: (i: number) => color(values[i]),
              title: cellTitle ? (i: number) => cellTitle(row(i), col(i)) : undefined,
              className: 'heatmap-cells',
            }),
          ];
    if (labels && mode === 'cells') {
      const fontSize = Math.max(7, Math.min(12, cellSize * 0.27));
      for (const [line, dy] of [
        [0, 0.4],
        [1, 0.8],
      ] as const) {
        marks.push(
          Plot.text(cells, {
            x: (i: number) => col(i) + 0.5,
            y: (i: number) => row(i) + dy,
            text: (i: number) => labels(row(i), col(i))[line],
            fill: (i: number) => (textColor ? textColor(values[i]) : '#333'),
            fontSize,
            // Clicks and tooltips go to the cell under the text.
            pointerEvents: 'none',
            className: line === 0 ? 'cell-pair' : 'cell-count',
          }),
        );
      }
    }
    const axis = (labels: readonly string[]) => ({
      domain: [0, labels.length],
      ticks: labels.map((_, i) => i + 0.5),
      tickFormat: (d: number) => labels[Math.floor(d)],
      tickSize: 0,
      label: null,
    });
    return Plot.plot({
      width: MARGIN + V * cellSize,
      height: MARGIN + R * cellSize,
      margin: 0,
      marginTop: MARGIN,
      marginLeft: MARGIN,
      ariaLabel: props.title,
      className: 'matrix-heatmap',
      style: { fontFamily: 'DejaVu Sans Mono, ui-monospace, monospace', color: '#5b6475' },
      x: { ...axis(itos), axis: 'top', tickPadding: 4 },
      y: { ...axis(rowLabels), reverse: true, tickPadding: 6 },
      marks,
    });
  };

  /** Names the cells, adds the row buttons and the highlight (placed with the y scale). */
  const decorate = (plot: PlotElement) => {
    plot.querySelectorAll('g.heatmap-cells rect').forEach((rect, i) => {
      rect.setAttribute('data-pair', rowLabels[Math.floor(i / V)] + itos[i % V]);
    });
    const y = plot.scale('y');
    const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector('svg');
    if (!y || !svg) return;
    const rows = document.createElementNS(SVG, 'g');
    const top = (r: number) => Math.min(y.apply(r), y.apply(r + 1));
    if (props.onSelectRow) {
      rowLabels.forEach((char, r) => {
        const button = document.createElementNS(SVG, 'g');
        const box = document.createElementNS(SVG, 'rect');
        setAttributes(button, {
          class: 'heatmap-row',
          'data-row': r,
          tabindex: 0,
          role: 'button',
          'aria-label': `Row '${char}': show what follows '${char}'`,
        });
        setAttributes(box, {
          x: MARGIN,
          y: top(r),
          width: V * cellSize,
          height: cellSize,
          fill: 'none',
          'pointer-events': 'none',
        });
        button.append(box);
        button.addEventListener('focus', () => latest.current.onSelectRow?.(r));
        button.addEventListener('keydown', (event) => {
          const key = (event as KeyboardEvent).key;
          const move = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : 0;
          if (key === 'Enter' || key === ' ') {
            event.preventDefault();
            latest.current.onSelectRow?.(r);
          } else if (move) {
            event.preventDefault();
            (rows.querySelector(`[data-row="${r + move}"]`) as SVGGElement | null)?.focus();
          }
        });
        rows.append(button);
      });
    }
    const highlight = document.createElementNS(SVG, 'rect');
    setAttributes(highlight, {
      class: 'row-highlight',
      x: MARGIN,
      width: V * cellSize,
      height: cellSize,
      fill: 'none',
      stroke: '#f2b632',
      'stroke-width': 3,
      'pointer-events': 'none',
      visibility: 'hidden',
    });
    rows.append(highlight);
    svg.append(rows);
    showRow(plot, latest.current.selectedRow);
  };

  /** Moves the highlight to `row` (hidden for none). */
  const showRow = (plot: PlotElement | null, row: number | null | undefined) => {
    const highlight = plot?.querySelector('rect.row-highlight');
    const y = plot?.scale('y');
    if (!highlight || !y) return;
    const visible = row !== null && row !== undefined && row >= 0 && row < R;
    highlight.setAttribute('visibility', visible ? 'visible' : 'hidden');
    if (visible) highlight.setAttribute('y', String(Math.min(y.apply(row), y.apply(row + 1))));
  };
  useEffect(() => showRow(figure.current, props.selectedRow), [props.selectedRow]);

  /** The cell under the pointer, from the plot's scales. */
  const cellAt = (event: MouseEvent): [number, number] | null => {
    const plot = figure.current;
    const x = plot?.scale('x')?.invert;
    const y = plot?.scale('y')?.invert;
    if (!plot || !x || !y) return null;
    const [px, py] = plotPointer(plot, event);
    const col = Math.floor(Number(x(px)));
    const row = Math.floor(Number(y(py)));
    return row >= 0 && row < R && col >= 0 && col < V ? [row, col] : null;
  };

  return (
    <PlotFigure
      title={props.title}
      data-testid={props.testId}
      figureRef={figure}
      deps={[itos, rowLabels, values, color, labels, textColor, cellSize, cellTitle, mode]}
      render={render}
      onRender={decorate}
      onClick={(event) => {
        const cell = cellAt(event);
        if (!cell || !latest.current.onSelectRow) return;
        latest.current.onSelectRow(cell[0]);
        (figure.current?.querySelector(`[data-row="${cell[0]}"]`) as SVGGElement | null)?.focus();
      }}
      onMouseMove={(event) => {
        // Cells mode has a <title> per rect; the raster's tooltip is the host's title.
        if (mode !== 'raster' || !cellTitle) return;
        const cell = cellAt(event);
        event.currentTarget.title = cell ? cellTitle(cell[0], cell[1]) : '';
      }}
    />
  );
}
