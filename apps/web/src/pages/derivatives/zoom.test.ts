import { describe, expect, it } from 'vitest';
import { actualSizeView, clampView, fitView, MAX_SCALE, panBy, zoomAt } from './zoom.js';

// A moons point's graph: 23,204 × 4,401 px in a 700 × 480 viewport.
const graph = { width: 23_204, height: 4_401 };
const viewport = { width: 700, height: 480 };

describe('graph zoom and pan (issue 10: large graphs could not be read)', () => {
  it('fit shows the whole graph, centred, never enlarged', () => {
    const view = fitView(graph, viewport);
    expect(view.scale).toBeCloseTo(700 / 23_204, 12);
    expect(view.x).toBeCloseTo(0, 9);
    expect(view.y).toBeCloseTo((480 - 4_401 * view.scale) / 2, 9);
    expect(fitView({ width: 100, height: 50 }, viewport)).toEqual({ scale: 1, x: 300, y: 215 });
  });

  it('1:1 shows the output end (the right edge) at actual size', () => {
    const view = actualSizeView(graph, viewport);
    expect(view.scale).toBe(1);
    expect(view.x + graph.width).toBe(viewport.width);
  });

  it('zooming about a point keeps that point of the graph under it', () => {
    const start = fitView(graph, viewport);
    const at = { x: 350, y: 240 };
    const graphPoint = { x: (at.x - start.x) / start.scale, y: (at.y - start.y) / start.scale };
    const zoomed = zoomAt(start, 4, at, graph, viewport);
    expect(zoomed.scale).toBeCloseTo(start.scale * 4, 12);
    expect(zoomed.x + graphPoint.x * zoomed.scale).toBeCloseTo(at.x, 6);
    expect(zoomed.y + graphPoint.y * zoomed.scale).toBeCloseTo(at.y, 6);
    // Zooming far in stops at the maximum; zooming back out by the same factor returns.
    expect(zoomAt(start, 1e9, at, graph, viewport).scale).toBe(MAX_SCALE);
    const back = zoomAt(zoomed, 1 / 4, at, graph, viewport);
    expect(back.scale).toBeCloseTo(start.scale, 12);
    expect(back.x).toBeCloseTo(start.x, 6);
  });

  it('panning moves the graph, but never entirely out of the viewport', () => {
    const view = actualSizeView(graph, viewport);
    expect(panBy(view, 100, 0, graph, viewport).x).toBe(view.x + 100);
    const far = panBy(view, 1e6, 1e6, graph, viewport);
    expect(far.x).toBe(viewport.width - 48);
    expect(far.y).toBe(viewport.height - 48);
    const farOther = panBy(view, -1e6, -1e6, graph, viewport);
    expect(farOther.x + graph.width).toBe(48);
    expect(clampView({ scale: 1, x: 0, y: 0 }, graph, viewport)).toEqual({ scale: 1, x: 0, y: 0 });
  });
});
