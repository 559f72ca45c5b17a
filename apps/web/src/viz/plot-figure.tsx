/**
 * Hosts an Observable Plot figure (heatmaps, scatters with labels). `render` builds the figure;
 * it runs again whenever `deps` change.
 */
import { useEffect, useRef } from 'preact/hooks';

export interface PlotFigureProps {
  render: () => SVGSVGElement | HTMLElement;
  deps: readonly unknown[];
  /** Accessible description of what the figure shows. */
  title: string;
}

export function PlotFigure({ render, deps, title }: PlotFigureProps) {
  const host = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const figure = render();
    el.replaceChildren(figure);
    return () => figure.remove();
  }, deps);
  return <figure ref={host} class="plot-figure" aria-label={title} />;
}
