/**
 * Hosts an Observable Plot figure: every chart of the app except the live curves (uPlot,
 * `line-chart.tsx`) goes through here. `render` builds the figure; it runs again whenever `deps`
 * change. Interaction sits on top of the plot's own scales: `figureRef` holds the figure
 * (`figureRef.current.scale('x').invert(px)`), pointer handlers go on the host (it outlives each
 * re-render, so a drag keeps its pointer capture), and `onRender` decorates the new figure
 * (roles, tab stops, listeners). An element that had focus keeps it across a re-render when it
 * carries a `data-focus-key` the new figure has too (a point moved with the arrow keys).
 */
import type * as Plot from '@observablehq/plot';
import type { JSX } from 'preact';
import { type MutableRef, useLayoutEffect, useRef } from 'preact/hooks';

/** What `Plot.plot` returns: the SVG (or a figure around it) with the plot's scales. */
export type PlotElement = ReturnType<typeof Plot.plot>;

export interface PlotFigureProps
  extends Omit<JSX.HTMLAttributes<HTMLElement>, 'title' | 'ref' | 'children'> {
  render: () => PlotElement;
  deps: readonly unknown[];
  /** Accessible description of what the figure shows. */
  title: string;
  /** Called with each new figure once it is in the page. */
  onRender?: (figure: PlotElement) => void;
  /** Set to the figure on display. */
  figureRef?: MutableRef<PlotElement | null>;
}

export function PlotFigure(props: PlotFigureProps) {
  const { render, deps, title, onRender, figureRef, ...rest } = props;
  const host = useRef<HTMLElement>(null);
  // A layout effect: the figure is in place when the render returns (no empty frame first).
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const focused = document.activeElement;
    const focusKey =
      focused && el.contains(focused) ? focused.getAttribute('data-focus-key') : null;
    const figure = render();
    el.replaceChildren(figure);
    if (figureRef) figureRef.current = figure;
    onRender?.(figure);
    if (focusKey !== null) {
      (figure.querySelector(`[data-focus-key="${focusKey}"]`) as SVGElement | null)?.focus();
    }
  }, deps);
  return <figure ref={host} class="plot-figure" aria-label={title} {...rest} />;
}

/**
 * Where a pointer event falls in the plot's own pixels (its SVG may be scaled down to fit:
 * `max-width: 100%`), ready for `scale('x').invert`.
 */
export function plotPointer(
  figure: PlotElement,
  event: { clientX: number; clientY: number },
): [number, number] {
  const svg = (
    figure instanceof SVGSVGElement ? figure : figure.querySelector('svg')
  ) as SVGSVGElement | null;
  if (!svg) return [0, 0];
  const box = svg.getBoundingClientRect();
  const width = svg.viewBox.baseVal?.width || box.width;
  const height = svg.viewBox.baseVal?.height || box.height;
  return [
    ((event.clientX - box.left) * width) / (box.width || 1),
    ((event.clientY - box.top) * height) / (box.height || 1),
  ];
}

/**
 * How far an arrow key moves a point dragged along a plot: ±0.1, ±1 with Shift (right/up raise,
 * left/down lower), 0 for any other key.
 */
export function arrowKeyDelta(event: { key: string; shiftKey: boolean }): number {
  const step = event.shiftKey ? 1 : 0.1;
  if (event.key === 'ArrowRight' || event.key === 'ArrowUp') return step;
  if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') return -step;
  return 0;
}

/** Sets attributes on an element of a rendered figure (Plot draws; this adds roles and state). */
export function setAttributes(element: Element, attributes: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
}
