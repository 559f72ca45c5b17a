/**
 * An activation function plotted with axes and ticks, with points on the curve that can be
 * dragged along it: dragging (or the arrow keys on the focused point, Shift for bigger steps)
 * sets the point's x, its pre-activation n. The learning path's spec asks for a draggable
 * activation plot; the layer page moves a neuron's bias with it.
 */
import { useRef } from 'preact/hooks';
import { PlotGrid } from './plot-grid.js';
import { arrowKeyDelta, linearScale, niceTicks } from './plot-scale.js';

export interface CurvePoint {
  /** Pre-activation n (drawn clamped to the window; its label says where it really is). */
  n: number;
  /** Short name (`1`, `2`, …) drawn beside the point. */
  label: string;
}

export interface ActivationPlotProps {
  /** The activation, n ↦ act(n). */
  fn: (n: number) => number;
  /** The window: n from −reach to reach, y over [yMin, yMax]. */
  reach: number;
  yRange: readonly [number, number];
  points: readonly CurvePoint[];
  /** The point that drags (the others are drawn, smaller). */
  selected: number;
  /** A new n for the selected point (already clamped to the window). */
  onDrag: (n: number) => void;
  /** A click on another point selects it. */
  onSelect?: (index: number) => void;
  /** What the plot shows, for screen readers. */
  label: string;
  width?: number;
  height?: number;
}

const MARGIN = { left: 40, right: 12, top: 10, bottom: 34 };
const COLORS = ['#2f6fb3', '#b3541e', '#1d7a3a', '#7a3ab3', '#b3a11e', '#3ab3a8'];

/** The colour of point `index` (the layer page uses the same for the neuron's row). */
export function pointColor(index: number): string {
  return COLORS[index % COLORS.length];
}

/**
 * @example
 * ```tsx
 * <ActivationPlot fn={Math.tanh} reach={6} yRange={[-1.2, 1.2]} points={[{ n: 0.5, label: '1' }]}
 *   selected={0} onDrag={setN} label="tanh" />
 * ```
 */
export function ActivationPlot(props: ActivationPlotProps) {
  const { fn, reach, yRange, points, selected, onDrag, onSelect, label } = props;
  const width = props.width ?? 360;
  const height = props.height ?? 240;
  const inner = {
    width: width - MARGIN.left - MARGIN.right,
    height: height - MARGIN.top - MARGIN.bottom,
  };
  const sx = linearScale([-reach, reach], [0, inner.width]);
  const sy = linearScale(yRange, [inner.height, 0]);
  const clampN = (n: number) => Math.max(-reach, Math.min(reach, n));
  const clampY = (y: number) => Math.max(yRange[0], Math.min(yRange[1], y));
  const svg = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);

  const curve: string[] = [];
  for (let s = 0; s <= 240; s++) {
    const n = -reach + (2 * reach * s) / 240;
    curve.push(`${s === 0 ? 'M' : 'L'}${sx(n).toFixed(1)},${sy(clampY(fn(n))).toFixed(1)}`);
  }
  /** The n under the pointer: the plot may be scaled down to fit (viewBox), so use its box. */
  const nAt = (clientX: number) => {
    const box = svg.current?.getBoundingClientRect();
    if (!box) return 0;
    const x = ((clientX - box.left) / box.width) * width - MARGIN.left;
    return clampN(sx.invert(x));
  };
  const current = points[selected];
  return (
    <svg
      ref={svg}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      class="activation-plot"
      style="border: 1px solid var(--line); background: white; max-width: 100%; height: auto; touch-action: none; cursor: ew-resize"
      aria-label={label}
      onPointerDown={(event) => {
        dragging.current = true;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        onDrag(nAt(event.clientX));
      }}
      onPointerMove={(event) => {
        if (dragging.current) onDrag(nAt(event.clientX));
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
      onPointerCancel={() => {
        dragging.current = false;
      }}
    >
      <title>{label}</title>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`} font-size="11" fill="#555">
        <PlotGrid
          xTicks={niceTicks(-reach, reach, 6)}
          yTicks={niceTicks(yRange[0], yRange[1], 4)}
          sx={sx}
          sy={sy}
          width={inner.width}
          height={inner.height}
        />
        <path d={curve.join('')} fill="none" stroke="#333" stroke-width={2} />
        <text x={inner.width / 2} y={inner.height + 29} text-anchor="middle" fill="#333">
          n (pre-activation)
        </text>
        {points.map((point, index) => {
          if (index === selected) return null;
          const n = clampN(point.n);
          // A label next to the dragged point's would overlap its "k: n = …" text: leave it out.
          const near =
            current !== undefined &&
            Math.hypot(
              sx(n) - sx(clampN(current.n)),
              sy(clampY(fn(n))) - sy(clampY(fn(clampN(current.n)))),
            ) < 60;
          return (
            <g
              key={index}
              class="curve-point"
              onPointerDown={(event) => {
                if (!onSelect) return;
                event.stopPropagation();
                onSelect(index);
              }}
              style="cursor: pointer"
            >
              <circle
                cx={sx(n)}
                cy={sy(clampY(fn(n)))}
                r={5}
                fill={pointColor(index)}
                opacity={0.6}
              />
              {near ? null : (
                <text x={sx(n) + 7} y={sy(clampY(fn(n))) - 6} fill={pointColor(index)}>
                  {point.label}
                </text>
              )}
            </g>
          );
        })}
        {current ? (
          <g
            class="curve-handle"
            role="slider"
            tabindex={0}
            aria-label={`neuron ${current.label}'s pre-activation n`}
            aria-valuemin={-reach}
            aria-valuemax={reach}
            aria-valuenow={Number(current.n.toFixed(4))}
            aria-valuetext={`n = ${current.n.toFixed(2)}, output ${fn(current.n).toFixed(3)}`}
            onKeyDown={(event) => {
              const delta = arrowKeyDelta(event);
              if (delta === 0) return;
              event.preventDefault();
              onDrag(clampN(current.n + delta));
            }}
          >
            <line
              x1={sx(clampN(current.n))}
              x2={sx(clampN(current.n))}
              y1={inner.height}
              y2={sy(clampY(fn(clampN(current.n))))}
              stroke={pointColor(selected)}
              stroke-dasharray="3 3"
            />
            <circle
              cx={sx(clampN(current.n))}
              cy={sy(clampY(fn(clampN(current.n))))}
              r={8}
              fill={pointColor(selected)}
              stroke="white"
              stroke-width={2}
            />
            <text
              x={Math.min(inner.width - 4, sx(clampN(current.n)) + 11)}
              y={Math.max(12, sy(clampY(fn(clampN(current.n)))) - 10)}
              text-anchor={sx(clampN(current.n)) > inner.width - 90 ? 'end' : 'start'}
              fill={pointColor(selected)}
              font-weight="bold"
            >
              {Math.abs(current.n) > reach
                ? `${current.label}: n = ${current.n.toFixed(2)} (off the plot)`
                : `${current.label}: n = ${current.n.toFixed(2)}`}
            </text>
          </g>
        ) : null}
      </g>
    </svg>
  );
}
