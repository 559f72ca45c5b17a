/**
 * A V×V matrix painted on a canvas: cheap enough to repaint several times a second while training
 * (an SVG of 784 rects costs ~100 ms of style and paint per update in software rendering). Axis
 * letters are drawn too; hovering a cell shows its tooltip through the canvas's `title`.
 */
import { useEffect, useRef } from 'preact/hooks';

export interface CanvasHeatmapProps {
  V: number;
  itos: readonly string[];
  /** Row-major V·V values. */
  values: ArrayLike<number>;
  color: (value: number) => string;
  cellSize: number;
  /** Accessible description of the figure. */
  title: string;
  /** Tooltip text of a cell. */
  cellTitle?: (row: number, col: number) => string;
  testId?: string;
}

const MARGIN = 16;

export function CanvasHeatmap(props: CanvasHeatmapProps) {
  const { V, itos, values, color, cellSize } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = MARGIN + V * cellSize;
  useEffect(() => {
    const el = canvas.current;
    const context = el?.getContext('2d');
    if (!el || !context) return;
    const ratio = globalThis.devicePixelRatio || 1;
    el.width = Math.round(size * ratio);
    el.height = Math.round(size * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size, size);
    context.fillStyle = '#5b6475';
    context.font = `${Math.min(11, cellSize * 0.75)}px DejaVu Sans Mono, monospace`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    for (let i = 0; i < V; i++) {
      context.fillText(itos[i], MARGIN + i * cellSize + cellSize / 2, MARGIN / 2);
      context.fillText(itos[i], MARGIN / 2, MARGIN + i * cellSize + cellSize / 2);
    }
    for (let r = 0; r < V; r++) {
      for (let c = 0; c < V; c++) {
        context.fillStyle = color(values[r * V + c]);
        context.fillRect(MARGIN + c * cellSize, MARGIN + r * cellSize, cellSize, cellSize);
      }
    }
  }, [V, itos, values, color, cellSize, size]);

  const onMove = (event: MouseEvent) => {
    const el = canvas.current;
    if (!el || !props.cellTitle) return;
    const box = el.getBoundingClientRect();
    const col = Math.floor((event.clientX - box.left - MARGIN) / cellSize);
    const row = Math.floor((event.clientY - box.top - MARGIN) / cellSize);
    el.title = row >= 0 && row < V && col >= 0 && col < V ? props.cellTitle(row, col) : '';
  };

  return (
    <canvas
      ref={canvas}
      role="img"
      aria-label={props.title}
      data-testid={props.testId}
      style={{ width: `${size}px`, height: `${size}px` }}
      onMouseMove={onMove}
    />
  );
}
