import { Generator } from '@llm-playground/core';

/** A two-moons dataset: `X[i]` is a point in the plane, `y[i]` its moon (0 upper, 1 lower). */
export interface Moons {
  /** The points, one `[x, y]` pair per sample. */
  X: [number, number][];
  /** The labels, 0 (upper moon) or 1 (lower moon), like scikit-learn. */
  y: number[];
}

export interface MakeMoonsOptions {
  /** Standard deviation of the gaussian noise added to every coordinate (default 0: exact arcs). */
  noise?: number;
  /** Whether to shuffle the samples (default true). With `false` the upper moon comes first. */
  shuffle?: boolean;
  /** Source of randomness; default a fresh `new Generator()` (PyTorch's default seed), so deterministic. */
  generator?: Generator;
}

/**
 * Two interleaving half circles, the toy classification problem of micrograd's demo
 * (scikit-learn's `make_moons`, same algorithm and sample order, our seeded generator).
 *
 * `nOut = floor(n / 2)` points lie on the upper arc `(cos t, sin t)` with label 0 and
 * `nIn = n − nOut` on the lower arc `(1 − cos t, 1 − sin t − 0.5)` with label 1, for `t` evenly spaced
 * over `[0, π]` (numpy's `linspace`, both ends included). Then, as scikit-learn does, the samples are
 * shuffled (one `randperm(n)`) and gaussian noise of std `noise` is added to x then y of each point in
 * turn (`generator.randn`). NOTE: the random streams are PyTorch's, not numpy's, so the points differ
 * from scikit-learn's for the same seed; the distribution is the same.
 *
 * @example
 * ```ts
 * const { X, y } = makeMoons(4, { shuffle: false });
 * console.log(X.map(([a, b]) => [a.toFixed(2), b.toFixed(2)].join(' ')).join(', '), y);
 * // 1.00 0.00, -1.00 0.00, 0.00 0.50, 2.00 0.50 [ 0, 0, 1, 1 ]
 * ```
 */
export function makeMoons(nSamples: number, options: MakeMoonsOptions = {}): Moons {
  const { noise = 0, shuffle = true } = options;
  if (!Number.isInteger(nSamples) || nSamples < 1) {
    throw new RangeError(
      `Argument 'nSamples' passed to 'makeMoons' must be a positive integer, got ${nSamples}`,
    );
  }
  if (!Number.isFinite(noise) || noise < 0) {
    throw new RangeError(
      `Argument 'noise' passed to 'makeMoons' must be a finite number >= 0, got ${noise}`,
    );
  }
  const generator = options.generator ?? new Generator();
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;

  let X: [number, number][] = [];
  let y: number[] = [];
  for (const t of linspace(0, Math.PI, nOut)) {
    X.push([Math.cos(t), Math.sin(t)]);
    y.push(0);
  }
  for (const t of linspace(0, Math.PI, nIn)) {
    X.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    y.push(1);
  }

  if (shuffle) {
    const permutation = generator.randperm(nSamples);
    X = Array.from(permutation, (i) => X[i]);
    y = Array.from(permutation, (i) => y[i]);
  }
  if (noise > 0) {
    // Row-major like numpy's `normal(size=(n, 2))`: x then y of each point.
    for (const point of X) {
      point[0] += generator.randn(0, noise);
      point[1] += generator.randn(0, noise);
    }
  }
  return { X, y };
}

/** numpy's `linspace(start, stop, n)`: `start + i·step`, with the last point exactly `stop`. */
function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? stop : start + i * step));
}
