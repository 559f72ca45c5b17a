/**
 * Number formatting shared by the pages: one place decides how counts, losses and missing values
 * read, so the same quantity looks the same on every page.
 */

/** Integers with thousands separators, always in English ("32,033"), whatever the browser locale. */
const grouped = new Intl.NumberFormat('en-US');

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(200000); // '200,000'
 * ```
 */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/**
 * `x` with a fixed number of decimals, or an em dash when there is no value yet (or it is NaN or
 * infinite): a live table shows "—" before the first evaluation instead of "NaN".
 *
 * @example
 * ```ts
 * formatDecimal(2.12603); // '2.1260'
 * formatDecimal(undefined); // '—'
 * ```
 */
export function formatDecimal(x: number | null | undefined, digits = 4): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/**
 * A loss with four decimals, or in scientific notation once it is huge (a diverging run), so the
 * status line keeps its length.
 *
 * @example
 * ```ts
 * formatLoss(0.31234); // '0.3123'
 * formatLoss(123456); // '1.235e+5'
 * ```
 */
export function formatLoss(loss: number): string {
  return Math.abs(loss) >= 1e4 ? loss.toExponential(3) : loss.toFixed(4);
}
