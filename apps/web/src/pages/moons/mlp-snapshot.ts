/**
 * An MLP's weights as plain numbers, and its forward pass on plain numbers. Painting a decision
 * boundary evaluates the network at thousands of grid points: building `Value` graphs for that
 * would allocate ~300 nodes per point per frame, so the grid uses this instead. The arithmetic is in
 * micrograd's order (start from b, add w[i]·x[i] in turn), so scores equal the `Value` forward
 * pass bit for bit (a test checks it).
 */
import type { micro } from '@llm-playground/nn';

/** A layer's weights: `W[j * nin + i]` is neuron j's weight for input i. */
export interface LayerSnapshot {
  nin: number;
  nout: number;
  W: Float64Array;
  b: Float64Array;
  activation: micro.Activation;
}

/** A plain-number copy of an `MLP` (posted from the training worker to the page). */
export interface MLPSnapshot {
  nin: number;
  layers: LayerSnapshot[];
}

/**
 * Copies the current weights of `model`.
 *
 * @example
 * ```ts
 * const snapshot = snapshotMLP(new micro.MLP(2, [16, 16, 1]));
 * snapshot.layers.map((l) => l.W.length); // [32, 256, 16]
 * ```
 */
export function snapshotMLP(model: micro.MLP): MLPSnapshot {
  return {
    nin: model.nin,
    layers: model.layers.map((layer) => {
      const W = new Float64Array(layer.nout * layer.nin);
      const b = new Float64Array(layer.nout);
      layer.neurons.forEach((neuron, j) => {
        neuron.w.forEach((w, i) => {
          W[j * layer.nin + i] = w.data;
        });
        b[j] = neuron.b.data;
      });
      return { nin: layer.nin, nout: layer.nout, W, b, activation: layer.neurons[0].activation };
    }),
  };
}

function activate(x: number, activation: micro.Activation): number {
  switch (activation) {
    case 'relu':
      return Math.max(x, 0);
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'linear':
      return x;
  }
}

/**
 * The network's first output at `x`, on plain numbers.
 *
 * @example
 * ```ts
 * scoreSnapshot(snapshot, [0.5, -0.2]); // equals model.forward([0.5, -0.2])[0].data
 * ```
 */
export function scoreSnapshot(snapshot: MLPSnapshot, x: ArrayLike<number>): number {
  let input: ArrayLike<number> = x;
  for (const { nin, nout, W, b, activation } of snapshot.layers) {
    const out = new Float64Array(nout);
    for (let j = 0; j < nout; j++) {
      let act = b[j];
      const row = j * nin;
      for (let i = 0; i < nin; i++) act += W[row + i] * input[i];
      out[j] = activate(act, activation);
    }
    input = out;
  }
  return input[0];
}

/** The rectangle and resolution of a decision grid. */
export interface GridSpec {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  nx: number;
  ny: number;
}

/**
 * A rectangle around the points, `margin` wider on each side.
 *
 * @example
 * ```ts
 * gridSpecFor([[0, 0], [1, 2]], 0.5, 10, 10); // { xMin: -0.5, xMax: 1.5, yMin: -0.5, yMax: 2.5, nx: 10, ny: 10 }
 * ```
 */
export function gridSpecFor(
  points: readonly (readonly number[])[],
  margin: number,
  nx: number,
  ny: number,
): GridSpec {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  return {
    xMin: xMin - margin,
    xMax: xMax + margin,
    yMin: yMin - margin,
    yMax: yMax + margin,
    nx,
    ny,
  };
}

/**
 * The center of grid cell (column `i`, row `k`); row 0 is the top (largest y), as in an image.
 *
 * @example
 * ```ts
 * cellCenter({ xMin: 0, xMax: 2, yMin: 0, yMax: 2, nx: 2, ny: 2 }, 0, 0); // [0.5, 1.5]
 * ```
 */
export function cellCenter(spec: GridSpec, i: number, k: number): [number, number] {
  const x = spec.xMin + ((i + 0.5) * (spec.xMax - spec.xMin)) / spec.nx;
  const y = spec.yMax - ((k + 0.5) * (spec.yMax - spec.yMin)) / spec.ny;
  return [x, y];
}

/**
 * Scores at every cell center, row by row from the top: `grid[k * nx + i]`.
 *
 * @example
 * ```ts
 * decisionGrid(snapshot, gridSpecFor(X, 0.25, 80, 80)).length; // 6400
 * ```
 */
export function decisionGrid(snapshot: MLPSnapshot, spec: GridSpec): Float32Array {
  const grid = new Float32Array(spec.nx * spec.ny);
  const point = new Float64Array(2);
  for (let k = 0; k < spec.ny; k++) {
    for (let i = 0; i < spec.nx; i++) {
      const [x, y] = cellCenter(spec, i, k);
      point[0] = x;
      point[1] = y;
      grid[k * spec.nx + i] = scoreSnapshot(snapshot, point);
    }
  }
  return grid;
}
