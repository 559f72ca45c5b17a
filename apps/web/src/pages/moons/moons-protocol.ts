/**
 * Messages between the moons page and `moons.worker.ts`.
 */
import type { GridSpec, MLPSnapshot } from './mlp-snapshot.js';
import type { MoonsConfig, MoonsStep } from './moons-trainer.js';

/** Page → worker. `configure` starts a new run (paused); `reset` restarts the current one. */
export type MoonsRequest =
  | { type: 'configure'; config: MoonsConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' };

/** Worker → page. */
export type MoonsMessage =
  | {
      type: 'data';
      /** Which `configure`/`reset` this run belongs to. */
      run: number;
      X: [number, number][];
      labels: number[];
      spec: GridSpec;
    }
  | {
      type: 'progress';
      run: number;
      /** The steps taken since the last message. */
      records: MoonsStep[];
      stepCount: number;
      snapshot: MLPSnapshot;
      /** Scores on the grid of `spec`, top row first. */
      grid: Float32Array;
      /** Accuracy on all points with the current weights. */
      accuracy: number;
      running: boolean;
      done: boolean;
      diverged: string | null;
    }
  | { type: 'error'; message: string };

/** Resolution of the decision grid the worker evaluates. */
export const GRID_SIZE = 80;
