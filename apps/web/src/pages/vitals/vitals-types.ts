/**
 * What the vital-signs page and its session kind exchange, and the page's history of the
 * per-step series — plain data, no model code (the page chunk stays free of makemore's
 * Trainer; only the worker loads it).
 */
import type { ModelConfig } from '@llm-playground/makemore/schemas';
import type { ProgressEvent, RunStatus, Stop } from '../../session/protocol.js';

/** The prefix of the per-step update:data series of a parameter (`ud:layers.1.weight`). */
export const UD_PREFIX = 'ud:';

/** The page's settings: the family's model config (by field name, the lecture's init steps included), the run's. */
export interface VitalsSettings {
  /**
   * Raw `deep-mlp` config values by schema field name (`{ batchNorm: false, gain: 1 }`), the
   * lecture's init steps among them (`init: 'randn'`, `lastLayerFix: false`).
   */
  model: Readonly<Record<string, number | string | boolean>>;
  lr: number;
  steps: number;
  batchSize: number;
  /** Seeds the weights and the minibatch draws. */
  seed: number;
  /** Python's `random.seed(…)` before the 80/10/10 split. */
  splitSeed: number;
  /** Histograms of every this many steps (and the run's last). */
  every: number;
}

export interface VitalsInfo {
  config: ModelConfig;
  vocabSize: number;
  numParameters: number;
  trainExamples: number;
  /** The watched Tanh layers (`layers.4`, …). */
  layers: string[];
  /** The followed (2-d) parameters, the update:data series' names. */
  parameters: string[];
}

/** One histogram: a density over equal bins from `lo` to `hi`, with its printed line. */
export interface VitalsCurve {
  name: string;
  /** The lecture's line: `layers.4 (Tanh): mean -0.02, std 0.75, saturated 20.25%`. */
  label: string;
  mean: number;
  std: number;
  lo: number;
  hi: number;
  density: Float32Array;
  /** Activations: the share with |t| > 0.97. */
  saturated?: number;
  /** Weights: std(grad) / std(data). */
  gradToData?: number;
}

export interface VitalsSnapshot {
  /** The step the histograms are of. */
  step: number;
  activations: VitalsCurve[];
  gradients: VitalsCurve[];
  weights: VitalsCurve[];
}

/** What the page shows of a progress event. */
export interface VitalsProgress {
  status: RunStatus;
  step: number;
  steps: number;
  lr: number;
  stepsPerSecond: number;
  divergence?: Stop;
  snapshot?: VitalsSnapshot;
}

export function toVitalsProgress(event: ProgressEvent): VitalsProgress {
  const stop = event.stop;
  const snapshot = event.snapshot?.value as VitalsSnapshot | null | undefined;
  return {
    status: event.status,
    step: event.step,
    steps: Number(event.extra.steps),
    lr: Number(event.extra.lr),
    stepsPerSecond: event.stats.stepsPerSecond,
    divergence: stop?.reason === 'diverged' ? stop : undefined,
    snapshot: snapshot ?? undefined,
  };
}

/** A histogram's points `(x: bin centre, y: density)` for a line. */
export function curvePoints(c: VitalsCurve): { x: number; y: number }[] {
  const bins = c.density.length;
  const width = (c.hi - c.lo) / bins;
  return Array.from(c.density, (y, k) => ({ x: c.lo + (k + 0.5) * width, y }));
}

/**
 * Every step's values of some named series, kept as the run goes (a slice must continue it), and
 * thinned for a chart to at most `maxPoints` x values (the mean over each stride of steps, so a
 * 30,000-step run costs the chart what a 1,500-step one does).
 */
export class SeriesHistory {
  private columns = new Map<string, Float32Array>();
  private capacity = 1024;
  length = 0;

  append(firstStep: number, series: Readonly<Record<string, ArrayLike<number>>>): void {
    if (firstStep !== this.length) {
      throw new RangeError(
        `SeriesHistory.append: expected the slice to start at step ${this.length}, got ${firstStep}`,
      );
    }
    const count = Object.values(series)[0]?.length ?? 0;
    const needed = this.length + count;
    if (needed > this.capacity) {
      while (this.capacity < needed) this.capacity *= 2;
      for (const [name, column] of this.columns) {
        const grown = new Float32Array(this.capacity).fill(Number.NaN);
        grown.set(column.subarray(0, this.length));
        this.columns.set(name, grown);
      }
    }
    for (const [name, values] of Object.entries(series)) {
      let column = this.columns.get(name);
      if (!column) {
        column = new Float32Array(this.capacity).fill(Number.NaN);
        this.columns.set(name, column);
      }
      column.set(values, this.length);
    }
    this.length = needed;
  }

  clear(): void {
    this.columns.clear();
    this.length = 0;
  }

  /** The value of `name` at `step` (NaN if unknown). */
  at(name: string, step: number): number {
    return step < this.length ? (this.columns.get(name)?.[step] ?? Number.NaN) : Number.NaN;
  }

  /**
   * `[x, ...one array per name]`: the stride means of each series (`transform` applied to each
   * value first, e.g. log10), non-finite values left out of the means (null when none is left).
   */
  chartData(
    names: readonly string[],
    options: { maxPoints?: number; transform?: (value: number) => number } = {},
  ): [number[], ...(number | null)[][]] {
    const n = this.length;
    const stride = Math.max(1, Math.ceil(n / (options.maxPoints ?? 1500)));
    const transform = options.transform ?? ((value: number) => value);
    const x: number[] = [];
    const out = names.map(() => [] as (number | null)[]);
    for (let from = 0; from < n; from += stride) {
      const to = Math.min(n, from + stride);
      x.push(from);
      names.forEach((name, i) => {
        const column = this.columns.get(name);
        let sum = 0;
        let count = 0;
        for (let s = from; column && s < to; s++) {
          const value = transform(column[s]);
          if (Number.isFinite(value)) {
            sum += value;
            count++;
          }
        }
        out[i].push(count > 0 ? sum / count : null);
      });
    }
    return [x, ...out];
  }
}
