/**
 * The numbers the bigram-net page shows beside its training run (the run itself is makemore's
 * `Trainer`, in `bigram-net-kind.ts`): the count model's loss from the pair counts, the add-k
 * smoothing whose loss a given data loss matches, and the row-centred matrices of the heatmaps.
 */

/** mean(x²) over the values. */
export function meanSquare(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return s / values.length;
}

/**
 * The NLL on the data of the count model with add-k smoothing, from the counts alone:
 * −Σ_ij N_ij·log((N_ij + k) / (R_i + V·k)) / Σ N, with R_i the row sums. k = 0 is the maximum
 * likelihood estimate, so this grows with k.
 *
 * @example
 * ```ts
 * smoothedCountLoss(Float64Array.from([0, 2, 2, 0]), 2, 0); // 0
 * smoothedCountLoss(Float64Array.from([0, 2, 2, 0]), 2, 1); // −log(3/4) ≈ 0.2877
 * ```
 */
export function smoothedCountLoss(counts: ArrayLike<number>, V: number, k: number): number {
  let logLikelihood = 0;
  let total = 0;
  for (let i = 0; i < V; i++) {
    let rowSum = 0;
    for (let j = 0; j < V; j++) rowSum += counts[i * V + j];
    if (rowSum === 0) continue;
    const denominator = rowSum + V * k;
    for (let j = 0; j < V; j++) {
      const n = counts[i * V + j];
      if (n > 0) logLikelihood += n * Math.log((n + k) / denominator);
    }
    total += rowSum;
  }
  return total > 0 ? -logLikelihood / total : Number.NaN;
}

/**
 * The add-k smoothing whose count model has the same data loss as the net: solves
 * smoothedCountLoss(k) = dataLoss by bisection (the loss grows with k). It makes "λ acts like
 * smoothing" a number. Returns 0 below the count model's loss and Infinity at or beyond the
 * uniform model's log V.
 *
 * @example
 * ```ts
 * const counts = Float64Array.from([0, 2, 2, 0]);
 * equivalentSmoothing(counts, 2, smoothedCountLoss(counts, 2, 3)); // ≈ 3
 * ```
 */
export function equivalentSmoothing(
  counts: ArrayLike<number>,
  V: number,
  dataLoss: number,
): number {
  if (!Number.isFinite(dataLoss)) return Number.NaN;
  if (dataLoss <= smoothedCountLoss(counts, V, 0)) return 0;
  if (dataLoss >= Math.log(V)) return Infinity;
  let low = 0;
  let high = 1;
  while (smoothedCountLoss(counts, V, high) < dataLoss) {
    high *= 2;
    if (high > 1e12) return Infinity;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (smoothedCountLoss(counts, V, mid) < dataLoss) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Subtracts each row's mean. Softmax ignores a constant added to a row, so W can only converge to
 * log N up to one constant per row: centring both makes them comparable on one colour scale.
 *
 * @example
 * ```ts
 * Array.from(centerRows(Float32Array.from([1, 3, 10, 20]), 2)); // [-1, 1, -5, 5]
 * ```
 */
export function centerRows(matrix: ArrayLike<number>, V: number): Float32Array {
  const out = new Float32Array(V * V);
  for (let i = 0; i < V; i++) {
    let mean = 0;
    for (let j = 0; j < V; j++) mean += matrix[i * V + j];
    mean /= V;
    for (let j = 0; j < V; j++) out[i * V + j] = matrix[i * V + j] - mean;
  }
  return out;
}

/**
 * log(N + k) of every pair, row-centred: what W converges to. k = 1 (the lecture's smoothing)
 * keeps never-seen pairs finite; the net gets there too only because λ stops W at a finite value.
 *
 * @example
 * ```ts
 * Array.from(centeredLogCounts(Float64Array.from([0, 2, 2, 0]), 2, 1)).map((x) => x.toFixed(3)); // ['-0.549', '0.549', '0.549', '-0.549']
 * ```
 */
export function centeredLogCounts(counts: ArrayLike<number>, V: number, k = 1): Float32Array {
  const logs = new Float64Array(V * V);
  for (let i = 0; i < V * V; i++) logs[i] = Math.log(counts[i] + k);
  return centerRows(logs, V);
}
