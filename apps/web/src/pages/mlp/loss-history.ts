/**
 * The loss curve's data, kept framework-free: every step's training loss (as log10, like the
 * lecture's `plt.plot(stepi, lossi)` with `lossi.append(loss.log10().item())`), a smoothed line
 * (the mean over a trailing window, as the lecture's `lossi.view(-1, 1000).mean(1)`), and the
 * dev loss at each evaluation. `chartData` thins a long run to a fixed number of points, so the
 * chart costs the same at step 200,000 as at step 2,000.
 */
import type { Evaluation } from './mlp-kind.js';

export type ChartData = [number[], (number | null)[], (number | null)[], (number | null)[]];

export class LossHistory {
  /** log10 of each step's loss; `log10[s]` is global step `s`. */
  private log10 = new Float32Array(1024);
  /** `cumulative[s]` is the sum of `log10[0 … s)`, in float64, for window means in O(1). */
  private cumulative = new Float64Array(1025);
  length = 0;
  readonly evaluations: Evaluation[] = [];

  /** Adds the losses of steps `firstStep, firstStep + 1, …` (a slice must continue the history). */
  append(firstStep: number, losses: ArrayLike<number>): void {
    if (firstStep !== this.length) {
      throw new RangeError(
        `LossHistory.append: expected the slice to start at step ${this.length}, got ${firstStep}`,
      );
    }
    const needed = this.length + losses.length;
    if (needed > this.log10.length) {
      let capacity = this.log10.length;
      while (capacity < needed) capacity *= 2;
      const log10 = new Float32Array(capacity);
      log10.set(this.log10.subarray(0, this.length));
      const cumulative = new Float64Array(capacity + 1);
      cumulative.set(this.cumulative.subarray(0, this.length + 1));
      this.log10 = log10;
      this.cumulative = cumulative;
    }
    for (let i = 0; i < losses.length; i++) {
      const s = this.length + i;
      const value = Math.log10(losses[i]);
      this.log10[s] = value;
      this.cumulative[s + 1] = this.cumulative[s] + value;
    }
    this.length = needed;
  }

  addEvaluation(evaluation: Evaluation): void {
    this.evaluations.push(evaluation);
  }

  clear(): void {
    this.length = 0;
    this.evaluations.length = 0;
  }

  /** log10 of step `s`'s loss. */
  at(step: number): number {
    return this.log10[step];
  }

  /** The mean of log10 loss over the `window` steps ending at `step` (fewer at the start). */
  smoothed(step: number, window: number): number {
    const from = Math.max(0, step + 1 - window);
    return (this.cumulative[step + 1] - this.cumulative[from]) / (step + 1 - from);
  }

  /** The window of the smoothed line: 100 steps, or the thinning stride when that is larger. */
  static smoothingWindow(length: number, maxPoints: number): number {
    return Math.max(100, Math.ceil(length / maxPoints));
  }

  /**
   * `[x, per-step log10 loss, smoothed, dev log10 loss]` for `LineChart`, at most about
   * `maxPoints` steps (every stride-th step) merged with the evaluation steps (where the
   * per-step series are null, and the dev series has its points).
   */
  chartData(maxPoints = 1500): ChartData {
    const n = this.length;
    const stride = Math.max(1, Math.ceil(n / maxPoints));
    const window = LossHistory.smoothingWindow(n, maxPoints);
    const x: number[] = [];
    const raw: (number | null)[] = [];
    const smooth: (number | null)[] = [];
    const dev: (number | null)[] = [];
    const evaluations = this.evaluations;
    let e = 0;
    const pushEvaluation = (evaluation: Evaluation) => {
      x.push(evaluation.step);
      raw.push(null);
      smooth.push(null);
      dev.push(Math.log10(evaluation.dev));
    };
    for (let s = 0; s < n; s += stride) {
      while (e < evaluations.length && evaluations[e].step < s) pushEvaluation(evaluations[e++]);
      x.push(s);
      raw.push(this.log10[s]);
      smooth.push(this.smoothed(s, window));
      if (e < evaluations.length && evaluations[e].step === s) {
        dev.push(Math.log10(evaluations[e++].dev));
      } else {
        dev.push(null);
      }
    }
    while (e < evaluations.length) pushEvaluation(evaluations[e++]);
    return [x, raw, smooth, dev];
  }
}
