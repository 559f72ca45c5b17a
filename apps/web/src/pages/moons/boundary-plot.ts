/**
 * The moons picture in Observable Plot: the score grid as one image (`Plot.image`, one pixel per
 * cell in the class colours of `boundary-colors.ts`, placed by the plot's scales), the decision
 * boundary as the cells where the score changes sign, and the points (`Plot.dot`). The page
 * repaints it once per animation frame at most, when a new snapshot arrives (`frame-batcher.ts`);
 * a repaint at 80×80 cells and 100 points takes ~2 ms (`boundary-plot.browser.test.ts` measures
 * it). A click picks the point nearest the pointer through the plot's scales (`nearestPoint`).
 */
import * as Plot from '@observablehq/plot';
import type { PlotElement } from '../../viz/plot-figure.js';
import { boundaryPixels, CLASS_COLORS } from './boundary-colors.js';
import { cellCenter, type GridSpec } from './mlp-snapshot.js';

export interface BoundaryData {
  X: readonly (readonly [number, number])[];
  labels: readonly number[];
  spec: GridSpec;
}

const rgb = (color: readonly number[]) => `rgb(${color.join(',')})`;

/** The grid's colours (`boundaryPixels`, one pixel per cell) as an image URL. */
function regionsImage(grid: ArrayLike<number>, spec: GridSpec): string {
  const canvas = document.createElement('canvas');
  canvas.width = spec.nx;
  canvas.height = spec.ny;
  canvas
    .getContext('2d')
    ?.putImageData(new ImageData(boundaryPixels(grid), spec.nx, spec.ny), 0, 0);
  return canvas.toDataURL();
}

/**
 * The cells (row-major indices) whose score's sign differs from their right or lower neighbour's.
 *
 * @example
 * ```ts
 * signChanges(new Float32Array([1, -1, 1, 1]), { nx: 2, ny: 2 }); // [0, 1]
 * ```
 */
export function signChanges(
  grid: ArrayLike<number>,
  { nx, ny }: Pick<GridSpec, 'nx' | 'ny'>,
): number[] {
  const cells: number[] = [];
  for (let k = 0; k < ny; k++) {
    for (let i = 0; i < nx; i++) {
      const positive = grid[k * nx + i] >= 0;
      const right = i + 1 < nx && grid[k * nx + i + 1] >= 0 !== positive;
      const down = k + 1 < ny && grid[(k + 1) * nx + i] >= 0 !== positive;
      if (right || down) cells.push(k * nx + i);
    }
  }
  return cells;
}

/**
 * The picture: regions (when a grid is there), boundary, points; `selected` drawn larger with a
 * dark ring.
 *
 * @example
 * ```ts
 * host.replaceChildren(plotBoundary(data, grid, null, 420));
 * ```
 */
export function plotBoundary(
  data: BoundaryData,
  grid: ArrayLike<number> | null,
  selected: number | null,
  size: number,
): PlotElement {
  const { spec } = data;
  const marks: Plot.Markish[] = [];
  if (grid) {
    marks.push(
      // NOTE: not Plot.raster: it parses one CSS colour per cell (6,400 here), which made a
      // repaint ~16 ms; the same pixels as an image placed by the scales cost ~1 ms.
      Plot.image([0], {
        x: (spec.xMin + spec.xMax) / 2,
        y: (spec.yMin + spec.yMax) / 2,
        // The plot has no margins and its domains are the grid's extent: the image fills it.
        width: size,
        height: size,
        src: regionsImage(grid, spec),
        preserveAspectRatio: 'none',
      }),
      // The boundary: cells whose score changes sign with the right or lower neighbour.
      // NOTE: not Plot.contour: its zero contour on this grid cost 5–11 ms per repaint.
      Plot.dot(signChanges(grid, spec), {
        x: (cell: number) => cellCenter(spec, cell % spec.nx, Math.floor(cell / spec.nx))[0],
        y: (cell: number) => cellCenter(spec, cell % spec.nx, Math.floor(cell / spec.nx))[1],
        r: 1,
        fill: 'rgb(30, 30, 30)',
        fillOpacity: 0.55,
        className: 'decision-boundary',
      }),
    );
  }
  const order = data.X.map((_, index) => index);
  // The selected point last, on top of its neighbours.
  if (selected !== null) order.push(order.splice(selected, 1)[0]);
  marks.push(
    Plot.dot(order, {
      x: (index: number) => data.X[index][0],
      y: (index: number) => data.X[index][1],
      r: (index: number) => (index === selected ? 7 : 4.5),
      fill: (index: number) =>
        rgb(data.labels[index] > 0 ? CLASS_COLORS.positive : CLASS_COLORS.negative),
      stroke: (index: number) => (index === selected ? '#111' : 'white'),
      strokeWidth: (index: number) => (index === selected ? 3 : 1),
      sort: null,
      className: 'moons-points',
    }),
  );
  return Plot.plot({
    width: size,
    height: size,
    margin: 0,
    ariaLabel:
      "The points of the two moons over the model's decision regions; click a point to see its computational graph",
    x: { domain: [spec.xMin, spec.xMax], axis: null },
    y: { domain: [spec.yMin, spec.yMax], axis: null },
    r: { type: 'identity' },
    style: { background: 'white' },
    marks,
  }) as PlotElement;
}

/** The index of the point within `radius` pixels of (px, py) in the plot's pixels, or −1. */
export function nearestPoint(
  figure: PlotElement,
  X: readonly (readonly [number, number])[],
  [px, py]: readonly [number, number],
  radius = 12,
): number {
  const sx = figure.scale('x');
  const sy = figure.scale('y');
  if (!sx || !sy) return -1;
  let best = -1;
  let bestDistance = radius;
  X.forEach(([x, y], index) => {
    const distance = Math.hypot(sx.apply(x) - px, sy.apply(y) - py);
    if (distance < bestDistance) [best, bestDistance] = [index, distance];
  });
  return best;
}
