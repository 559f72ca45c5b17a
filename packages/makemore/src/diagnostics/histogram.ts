/**
 * PyTorch's `torch.histogram(input, bins=100, range=None, density=False)` on a plain array of
 * numbers: equal-width bins between the smallest and largest value (or `range`), the last bin
 * closed on the right, and with `density` the counts divided by (total count × bin width), so the
 * histogram integrates to 1 — what the lecture's diagnostics plot (`hy, hx = torch.histogram(t,
 * density=True); plt.plot(hx[:-1], hy)`).
 */
import { ConfigError } from '../errors.js';

/** What `histogram` returns (PyTorch's named tuple `(hist, bin_edges)`). */
export interface Histogram {
  /** Per bin: the count, or with `density` the count / (total · bin width). */
  hist: Float64Array;
  /** The `bins + 1` bin edges, from the range's low end to its high end. */
  binEdges: Float64Array;
}

/** Options of `histogram` (PyTorch's keyword arguments). */
export interface HistogramOptions {
  /** The number of equal-width bins (default 100, as PyTorch). */
  bins?: number;
  /** The range `[low, high]` of the bins (default: the values' min and max). Values outside it are not counted. */
  range?: readonly [number, number];
  /** Normalise to a probability density: Σ hist · width = 1 (default false, as PyTorch). */
  density?: boolean;
}

/**
 * The histogram of `values` with PyTorch's semantics: `bins` equal bins over `range` (default the
 * min and max of the values; an empty range `[v, v]` is widened to `[v − 0.5, v + 0.5]`, as
 * PyTorch and NumPy do), each bin `[left, right)` except the last, `[left, right]`. Non-finite
 * values are skipped.
 *
 * @example
 * ```ts
 * const { hist, binEdges } = histogram([0, 1, 1, 2], { bins: 2, density: true });
 * [...binEdges]; // [0, 1, 2]
 * [...hist]; // [0.25, 0.75]
 * ```
 */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 100;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new ConfigError(`histogram(): bins must be a positive integer, got ${bins}`);
  }
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  if (options.range) {
    [low, high] = options.range;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
      throw new ConfigError(
        `histogram(): max must be larger than min, and both finite; got range [${low}, ${high}]`,
      );
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (!Number.isFinite(x)) continue;
      if (x < low) low = x;
      if (x > high) high = x;
    }
    if (low > high) [low, high] = [0, 0]; // no finite value: the bins span [−0.5, 0.5]
  }
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }
  const binEdges = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) binEdges[k] = low + ((high - low) * k) / bins;
  binEdges[bins] = high;
  const hist = new Float64Array(bins);
  let total = 0;
  const scale = bins / (high - low);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= low && x <= high)) continue; // outside the range, or NaN
    let k = Math.floor((x - low) * scale);
    if (k >= bins) k = bins - 1; // the right edge belongs to the last bin
    hist[k]++;
    total++;
  }
  if (options.density && total > 0) {
    const width = (high - low) / bins;
    for (let k = 0; k < bins; k++) hist[k] /= total * width;
  }
  return { hist, binEdges };
}
