/**
 * A function plot in Observable Plot: curves sampled over the x window (`Plot.line`, clipped to
 * the frame), reference rules, marked points, and optionally one point that drags along its curve.
 * The drag reads the plot's own x scale (`scale('x').invert`), the point is a focusable slider
 * (arrow keys through `arrowKeyDelta`, Shift for steps of 1), and a click near another point
 * selects it (distance measured with `scale(…).apply`). Used by the derivative's nudge plot, the
 * neuron and layer activation plots and the losses side by side.
 */
import * as Plot from '@observablehq/plot';
import { useRef } from 'preact/hooks';
import {
  arrowKeyDelta,
  type PlotElement,
  PlotFigure,
  plotPointer,
  setAttributes,
} from './plot-figure.js';

export interface FunctionCurve {
  fn: (x: number) => number;
  stroke: string;
  strokeWidth?: number;
  strokeDasharray?: string;
  /** Written as `data-curve` on the curve's path. */
  name?: string;
}

export interface FunctionDot {
  x: number;
  y: number;
  fill: string;
  /** A short label beside the point. */
  label?: string;
}

/** The point that drags along its curve (only its x moves; the page computes its y). */
export interface FunctionHandle {
  x: number;
  y: number;
  fill: string;
  /** Text beside the point. */
  label?: string;
  ariaLabel: string;
  ariaValueText: string;
  /** The x the handle is kept in; drags are clamped to it, keys are passed on unclamped. */
  min: number;
  max: number;
  /** A new x from a drag (clamped to [min, max]) or an arrow key (handle.x ± 0.1, ± 1). */
  onDrag: (x: number) => void;
  /** A dashed line from the x axis up to the point. */
  drop?: boolean;
}

export interface FunctionPlotProps {
  /** What the plot shows, for screen readers (the SVG's aria-label). */
  title: string;
  width?: number;
  height?: number;
  x: { domain: readonly [number, number]; label?: string };
  y: { domain: readonly [number, number]; label?: string };
  curves: readonly FunctionCurve[];
  /** Darker rules across the plot (the axes through 0 by default). */
  rulesX?: readonly number[];
  rulesY?: readonly number[];
  dots?: readonly FunctionDot[];
  handle?: FunctionHandle;
  /** A click near one of `dots` (within 10 px) selects it. */
  onSelectDot?: (index: number) => void;
  /** More marks drawn on top (annotations). */
  marks?: readonly Plot.Markish[];
  class?: string;
  testId?: string;
}

const SAMPLES = 240;

const clamp = (value: number, [lo, hi]: readonly [number, number]) =>
  Math.max(Math.min(lo, hi), Math.min(Math.max(lo, hi), value));

/**
 * @example
 * ```tsx
 * <FunctionPlot title="tanh" x={{ domain: [-4, 4] }} y={{ domain: [-1.2, 1.2] }}
 *   curves={[{ fn: Math.tanh, stroke: '#2f6fb3' }]}
 *   handle={{ x: n, y: Math.tanh(n), fill: '#b3541e', min: -4, max: 4, onDrag: setN,
 *     ariaLabel: 'n', ariaValueText: `n = ${n}` }} />
 * ```
 */
export function FunctionPlot(props: FunctionPlotProps) {
  const { x, y, curves, dots = [], handle, onSelectDot, title } = props;
  const width = props.width ?? 360;
  const height = props.height ?? 240;
  const figure = useRef<PlotElement | null>(null);
  const dragging = useRef(false);
  // The latest props for the listeners (they outlive a render).
  const latest = useRef(props);
  latest.current = props;

  const render = () => {
    const [x0, x1] = x.domain;
    const samples = Array.from({ length: SAMPLES + 1 }, (_, i) => x0 + ((x1 - x0) * i) / SAMPLES);
    const point = (d: { x: number; y: number }) => ({
      x: clamp(d.x, x.domain),
      y: clamp(d.y, y.domain),
    });
    const marks: Plot.Markish[] = [
      Plot.ruleX(props.rulesX ?? [0], { stroke: '#999' }),
      Plot.ruleY(props.rulesY ?? [0], { stroke: '#999' }),
      ...curves.map((curve) =>
        Plot.line(samples, {
          x: (u: number) => u,
          y: curve.fn,
          stroke: curve.stroke,
          strokeWidth: curve.strokeWidth ?? 2,
          strokeDasharray: curve.strokeDasharray,
          clip: true,
          className: 'fp-curve',
        }),
      ),
      Plot.dot(dots.map(point), {
        x: 'x',
        y: 'y',
        fill: (_, i) => dots[i].fill,
        r: 5,
        fillOpacity: 0.6,
      }),
      Plot.text(dots.map(point), {
        x: 'x',
        y: 'y',
        text: (_, i) => dots[i].label ?? '',
        fill: (_, i) => dots[i].fill,
        dx: 7,
        dy: -8,
        textAnchor: 'start',
      }),
    ];
    if (handle) {
      const at = point(handle);
      if (handle.drop) {
        marks.push(
          Plot.ruleX([at.x], {
            y1: y.domain[0],
            y2: at.y,
            stroke: handle.fill,
            strokeDasharray: '3 3',
          }),
        );
      }
      marks.push(
        Plot.dot([at], {
          x: 'x',
          y: 'y',
          r: 7,
          fill: handle.fill,
          stroke: 'white',
          strokeWidth: 2,
          className: 'fp-handle',
        }),
      );
      if (handle.label) {
        const right = at.x > x0 + 0.7 * (x1 - x0);
        marks.push(
          Plot.text([at], {
            x: 'x',
            y: 'y',
            text: () => handle.label ?? '',
            dx: right ? -11 : 11,
            dy: -11,
            textAnchor: right ? 'end' : 'start',
            fill: handle.fill,
            fontWeight: 'bold',
          }),
        );
      }
    }
    marks.push(...(props.marks ?? []));
    return Plot.plot({
      width,
      height,
      marginTop: 20,
      marginRight: 20,
      marginBottom: 34,
      marginLeft: 40,
      grid: true,
      ariaLabel: title,
      style: { background: 'white', fontSize: '11px' },
      x: { domain: [x0, x1], label: x.label ?? null, labelAnchor: 'center', labelArrow: 'none' },
      y: { domain: [...y.domain], label: y.label ?? null, labelArrow: 'none' },
      marks,
    }) as PlotElement;
  };

  /** Names the curves, makes the handle a focusable slider. */
  const decorate = (plot: PlotElement) => {
    plot.querySelectorAll('g.fp-curve').forEach((group, i) => {
      const name = curves[i]?.name;
      if (name) group.querySelector('path')?.setAttribute('data-curve', name);
    });
    const circle = plot.querySelector('g.fp-handle circle');
    if (!circle || !handle) return;
    setAttributes(circle, {
      role: 'slider',
      tabindex: 0,
      'data-focus-key': 'handle',
      'aria-label': handle.ariaLabel,
      'aria-valuemin': handle.min,
      'aria-valuemax': handle.max,
      'aria-valuenow': Number(handle.x.toFixed(4)),
      'aria-valuetext': handle.ariaValueText,
    });
    circle.addEventListener('keydown', (event) => {
      const key = event as KeyboardEvent;
      const delta = arrowKeyDelta(key);
      const current = latest.current.handle;
      if (delta === 0 || !current) return;
      key.preventDefault();
      current.onDrag(current.x + delta);
    });
  };

  /** The x under the pointer, clamped to the handle's range. */
  const xAt = (event: PointerEvent): number | null => {
    const plot = figure.current;
    const current = latest.current.handle;
    const invert = plot?.scale('x')?.invert;
    if (!plot || !current || !invert) return null;
    const value = Number(invert(plotPointer(plot, event)[0]));
    return Number.isFinite(value) ? clamp(value, [current.min, current.max]) : null;
  };

  /** The index of the dot within 10 px of the pointer, or −1. */
  const dotAt = (event: PointerEvent): number => {
    const plot = figure.current;
    const sx = plot?.scale('x');
    const sy = plot?.scale('y');
    if (!plot || !sx || !sy) return -1;
    const [px, py] = plotPointer(plot, event);
    const { dots: current = [], x: cx, y: cy } = latest.current;
    let best = -1;
    let bestDistance = 10;
    current.forEach((dot, index) => {
      const distance = Math.hypot(
        sx.apply(clamp(dot.x, cx.domain)) - px,
        sy.apply(clamp(dot.y, cy.domain)) - py,
      );
      if (distance < bestDistance) [best, bestDistance] = [index, distance];
    });
    return best;
  };

  return (
    <PlotFigure
      title={title}
      class={props.class ? `plot-figure ${props.class}` : 'plot-figure'}
      data-testid={props.testId}
      style={handle ? 'touch-action: none; cursor: ew-resize' : undefined}
      figureRef={figure}
      deps={[render]}
      render={render}
      onRender={decorate}
      onPointerDown={(event) => {
        const index = onSelectDot ? dotAt(event) : -1;
        if (index >= 0) {
          onSelectDot?.(index);
          return;
        }
        const value = xAt(event);
        if (value === null) return;
        dragging.current = true;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        latest.current.handle?.onDrag(value);
      }}
      onPointerMove={(event) => {
        if (!dragging.current) return;
        const value = xAt(event);
        if (value !== null) latest.current.handle?.onDrag(value);
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
      onPointerCancel={() => {
        dragging.current = false;
      }}
    />
  );
}
