/**
 * Zoom and pan of a large graph inside a fixed viewport, as plain numbers (the view is the CSS
 * transform `translate(x, y) scale(scale)` of the graph, origin top left): fit, 1:1 showing the
 * output end, zoom about a point (the pointer, or the viewport's centre for the keyboard), pan.
 * The graph is kept from leaving the viewport entirely.
 */

export interface Size {
  width: number;
  height: number;
}

export interface View {
  scale: number;
  x: number;
  y: number;
}

/** The smallest and largest scales: a 23,000 px graph still fits 300 px; reading zooms to 8×. */
export const MIN_SCALE = 0.005;
export const MAX_SCALE = 8;

/** The whole graph in the viewport, centred (never enlarged past 1:1). */
export function fitView(graph: Size, viewport: Size): View {
  const scale = clampScale(
    Math.min(viewport.width / graph.width, viewport.height / graph.height, 1),
  );
  return {
    scale,
    x: (viewport.width - graph.width * scale) / 2,
    y: (viewport.height - graph.height * scale) / 2,
  };
}

/** Actual size, showing the right end (micrograd draws the output rightmost), centred vertically. */
export function actualSizeView(graph: Size, viewport: Size): View {
  return clampView(
    { scale: 1, x: viewport.width - graph.width, y: (viewport.height - graph.height) / 2 },
    graph,
    viewport,
  );
}

/** Zooms by `factor` keeping the graph point under `at` (viewport coordinates) where it is. */
export function zoomAt(
  view: View,
  factor: number,
  at: { x: number; y: number },
  graph: Size,
  viewport: Size,
): View {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return clampView(
    { scale, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k },
    graph,
    viewport,
  );
}

/** Moves the graph by (dx, dy) px. */
export function panBy(view: View, dx: number, dy: number, graph: Size, viewport: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, graph, viewport);
}

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/**
 * Keeps at least a margin of the graph (48 px, or all of it when smaller) inside the viewport on
 * each axis, so that it cannot be dragged out of sight.
 */
export function clampView(view: View, graph: Size, viewport: Size): View {
  const clampAxis = (offset: number, size: number, room: number) => {
    const keep = Math.min(48, size);
    return Math.min(room - keep, Math.max(keep - size, offset));
  };
  return {
    scale: view.scale,
    x: clampAxis(view.x, graph.width * view.scale, viewport.width),
    y: clampAxis(view.y, graph.height * view.scale, viewport.height),
  };
}
