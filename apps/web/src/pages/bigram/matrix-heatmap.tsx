/**
 * A V×V matrix as a hand-made SVG heatmap (rows = the current character, columns = the next),
 * like the lecture's `plt.imshow(N, cmap='Blues')` with `plt.text` labels. Plain SVG rather than
 * Observable Plot because rows must be clickable and keyboard-focusable; the cells are memoised so
 * selecting a row only redraws the highlight.
 */
import { useMemo } from 'preact/hooks';

export interface MatrixHeatmapProps {
  V: number;
  itos: readonly string[];
  /** Row-major V·V values. */
  values: ArrayLike<number>;
  /** Fill colour of a value. */
  color: (value: number) => string;
  /** Two text lines per cell (the lecture's pair and count), or none. */
  labels?: (row: number, col: number) => [string, string];
  /** Text colour of a value (white on dark cells). */
  textColor?: (value: number) => string;
  /** Size of one cell in CSS pixels. */
  cellSize: number;
  /** The highlighted row, if any. */
  selectedRow?: number | null;
  /** Makes rows focusable buttons: called on click, Enter/Space, focus and arrow keys. */
  onSelectRow?: (row: number) => void;
  /** Accessible name of the figure. */
  title: string;
  /** A tooltip per cell (memoise it: a new function redraws every cell). */
  cellTitle?: (row: number, col: number) => string;
}

const MARGIN = 18;

export function MatrixHeatmap(props: MatrixHeatmapProps) {
  const { V, itos, values, color, labels, textColor, cellSize, selectedRow, onSelectRow } = props;
  const size = V * cellSize;
  const fontSize = Math.max(7, Math.min(12, cellSize * 0.27));
  const cells = useMemo(() => {
    const rows = [];
    for (let row = 0; row < V; row++) {
      const children = [];
      for (let col = 0; col < V; col++) {
        const value = values[row * V + col];
        const x = col * cellSize;
        const y = row * cellSize;
        children.push(
          <rect
            key={`r${col}`}
            x={x}
            y={y}
            width={cellSize}
            height={cellSize}
            fill={color(value)}
            data-pair={itos[row] + itos[col]}
          >
            {props.cellTitle ? <title>{props.cellTitle(row, col)}</title> : null}
          </rect>,
        );
        if (labels) {
          const [top, bottom] = labels(row, col);
          const fill = textColor ? textColor(value) : '#333';
          children.push(
            <text
              key={`a${col}`}
              x={x + cellSize / 2}
              y={y + cellSize * 0.4}
              fill={fill}
              class="cell-pair"
            >
              {top}
            </text>,
            <text
              key={`b${col}`}
              x={x + cellSize / 2}
              y={y + cellSize * 0.8}
              fill={fill}
              class="cell-count"
            >
              {bottom}
            </text>,
          );
        }
      }
      const label = `Row '${itos[row]}'`;
      rows.push(
        onSelectRow ? (
          // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; a focusable <g> with role="button" is the accessible equivalent.
          <g
            key={row}
            class="heatmap-row"
            data-row={row}
            tabIndex={0}
            role="button"
            aria-label={`${label}: show what follows '${itos[row]}'`}
            onClick={() => onSelectRow(row)}
            onFocus={() => onSelectRow(row)}
            onKeyDown={(event) => {
              const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelectRow(row);
              } else if (move) {
                event.preventDefault();
                const next = (event.currentTarget as SVGGElement).parentNode?.querySelector(
                  `[data-row="${row + move}"]`,
                ) as SVGGElement | null;
                next?.focus();
              }
            }}
          >
            {children}
          </g>
        ) : (
          <g key={row} data-row={row}>
            {children}
          </g>
        ),
      );
    }
    return rows;
  }, [V, itos, values, color, labels, textColor, cellSize, onSelectRow, props.cellTitle]);

  return (
    <svg
      class="matrix-heatmap"
      aria-label={props.title}
      width={size + MARGIN}
      height={size + MARGIN}
      viewBox={`${-MARGIN} ${-MARGIN} ${size + MARGIN} ${size + MARGIN}`}
      font-size={fontSize}
      text-anchor="middle"
      font-family="DejaVu Sans Mono, ui-monospace, monospace"
    >
      <g class="axis" fill="#5b6475">
        {itos.map((char, i) => (
          <text key={`c${char}`} x={i * cellSize + cellSize / 2} y={-5}>
            {char}
          </text>
        ))}
        {itos.map((char, i) => (
          <text key={`l${char}`} x={-9} y={i * cellSize + cellSize / 2 + fontSize / 3}>
            {char}
          </text>
        ))}
      </g>
      {cells}
      {selectedRow !== null && selectedRow !== undefined ? (
        <rect
          class="row-highlight"
          x={0}
          y={selectedRow * cellSize}
          width={size}
          height={cellSize}
          fill="none"
          stroke="#f2b632"
          stroke-width={3}
          pointer-events="none"
        />
      ) : null}
    </svg>
  );
}
