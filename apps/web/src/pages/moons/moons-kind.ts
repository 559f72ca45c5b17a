/**
 * The moons page's trainer as a session kind: `MoonsTrainer` behind the `SessionTrainer` seam.
 * Series `loss`, `accuracy` (on the batch) and `lr` (float64: the lecture's printed digits); the
 * snapshot is the weights, the decision grid (computed here on plain numbers, so the page only
 * paints) and the accuracy on all points, sent with every progress message.
 */
import {
  type Packed,
  SeriesBuilder,
  type SessionTrainer,
  type SliceLimit,
  type Stop,
  type TrainerKind,
} from '../../session/protocol.js';
import { decisionGrid, type GridSpec, gridSpecFor, type MLPSnapshot } from './mlp-snapshot.js';
import { type MoonsConfig, MoonsTrainer } from './moons-trainer.js';

/** Resolution of the decision grid. */
export const GRID_SIZE = 80;

export interface MoonsInfo {
  X: [number, number][];
  labels: number[];
  spec: GridSpec;
}

export interface MoonsSnapshot {
  snapshot: MLPSnapshot;
  /** Scores on the grid of `spec`, top row first. */
  grid: Float32Array;
  /** Accuracy on all points with the current weights. */
  accuracy: number;
}

export class MoonsSessionTrainer implements SessionTrainer {
  private trainer: MoonsTrainer;
  private spec: GridSpec;

  constructor(
    private config: MoonsConfig,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.trainer = new MoonsTrainer(config);
    this.spec = gridSpecFor(this.trainer.X, 0.3, GRID_SIZE, GRID_SIZE);
  }

  get info(): MoonsInfo {
    return { X: this.trainer.X, labels: this.trainer.labels, spec: this.spec };
  }

  get step(): number {
    return this.trainer.stepCount;
  }

  get stop(): Stop | null {
    const t = this.trainer;
    if (t.diverged) return { reason: 'diverged', step: t.stepCount, message: t.diverged };
    if (t.done) return { reason: 'done', step: t.stepCount, message: '' };
    return null;
  }

  runSlice(limit: SliceLimit) {
    const firstStep = this.trainer.stepCount;
    const records = this.trainer.runFor(limit.maxMillis, this.now, limit.maxSteps);
    const loss = new SeriesBuilder(records.length);
    const accuracy = new SeriesBuilder(records.length);
    const lr = new SeriesBuilder(records.length);
    for (const r of records) {
      loss.push(r.loss);
      accuracy.push(r.accuracy);
      lr.push(r.lr);
    }
    return {
      firstStep,
      series: { loss: loss.toArray(), accuracy: accuracy.toArray(), lr: lr.toArray() },
      events: [],
    };
  }

  snapshot(): Packed<MoonsSnapshot> {
    const snapshot = this.trainer.snapshot();
    const grid = decisionGrid(snapshot, this.spec);
    return {
      value: { snapshot, grid, accuracy: this.trainer.accuracy(snapshot) },
      transfer: [grid.buffer],
    };
  }

  /** Any change of settings is a new experiment (new data, new weights); the same settings keep the run. */
  configure(config: unknown): 'live' | 'restart' {
    if (JSON.stringify(config) === JSON.stringify(this.config)) return 'live';
    const trainer = new MoonsTrainer(config as MoonsConfig); // throws on bad settings: the run stays
    this.config = config as MoonsConfig;
    this.trainer = trainer;
    this.spec = gridSpecFor(trainer.X, 0.3, GRID_SIZE, GRID_SIZE);
    return 'restart';
  }

  reset(): void {
    this.trainer = new MoonsTrainer(this.config);
  }
}

export const moonsKind: TrainerKind<MoonsConfig> = {
  create: (config) => new MoonsSessionTrainer(config),
  snapshotMs: 0,
};
