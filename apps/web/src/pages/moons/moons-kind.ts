/**
 * The moons page's session kind: makemore's `moonsTask` on the one `Trainer` (micrograd's `Value`
 * MLP, its SGD driven by nn's `LinearLR`, the same run as `lmp micrograd moons`). Series `loss`,
 * `accuracy` (on the batch) and `lr` (float64: the lecture's printed digits); the snapshot is the
 * weights, the decision grid (computed here on plain numbers, so the page only paints) and the
 * accuracy on all points, sent with every progress message. A divergence stops the run with the
 * Trainer's message and the learning rate its LR finder suggests.
 */
import { type MoonsConfig, type MoonsTask, moonsTask, Trainer } from '@llm-playground/makemore';
import type { Packed, TrainerKind } from '../../session/protocol.js';
import { TrainerSession } from '../../session/trainer-session.js';
import {
  decisionGrid,
  type GridSpec,
  gridSpecFor,
  type MLPSnapshot,
  scoreSnapshot,
  snapshotMLP,
} from './mlp-snapshot.js';

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

/** Accuracy of `snapshot` on the task's points (plain-number forward pass). */
export function snapshotAccuracy(task: MoonsTask, snapshot: MLPSnapshot): number {
  let correct = 0;
  for (let i = 0; i < task.X.length; i++) {
    if (scoreSnapshot(snapshot, task.X[i]) > 0 === task.labels[i] > 0) correct++;
  }
  return correct / task.X.length;
}

export class MoonsSessionTrainer extends TrainerSession {
  task!: MoonsTask;
  protected trainer!: Trainer;
  private spec!: GridSpec;

  constructor(private config: MoonsConfig) {
    super(['accuracy', 'lr']);
    this.build(config);
  }

  /** A fresh task and trainer (throws on bad settings before anything is replaced). */
  private build(config: MoonsConfig): void {
    const task = moonsTask(config);
    const trainer = new Trainer(task, { ...task.trainerOptions(), onStep: this.onStep });
    this.config = config;
    this.task = task;
    this.trainer = trainer;
    this.spec = gridSpecFor(task.X, 0.3, GRID_SIZE, GRID_SIZE);
    this.clearRecords();
  }

  get info(): MoonsInfo {
    return { X: this.task.X, labels: this.task.labels, spec: this.spec };
  }

  snapshot(): Packed<MoonsSnapshot> {
    const snapshot = snapshotMLP(this.task.model);
    const grid = decisionGrid(snapshot, this.spec);
    return {
      value: { snapshot, grid, accuracy: snapshotAccuracy(this.task, snapshot) },
      transfer: [grid.buffer],
    };
  }

  /** Any change of settings is a new experiment (new data, new weights); the same settings keep the run. */
  configure(config: unknown): 'live' | 'restart' {
    if (JSON.stringify(config) === JSON.stringify(this.config)) return 'live';
    this.build(config as MoonsConfig);
    return 'restart';
  }

  reset(): void {
    this.build(this.config);
  }
}

export const moonsKind: TrainerKind<MoonsConfig> = {
  create: (config) => new MoonsSessionTrainer(config),
  snapshotMs: 0,
};
