/** Messages between the bigram-net page and its training worker. */
import type { Divergence } from './bigram-net-trainer.js';

/** Steps per second: 'max' runs as fast as the worker can. */
export const SPEEDS = ['10', '60', '600', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** Training pauses by itself here: the loss has long flattened out. */
export const MAX_STEPS = 20000;

export type ToWorker =
  | { type: 'init'; words: string[]; seed: number; lr: number; lambda: number; speed: Speed }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; seed: number }
  | { type: 'configure'; lr: number; lambda: number; speed: Speed };

export type FromWorker =
  | {
      type: 'ready';
      V: number;
      itos: string[];
      countLoss: number;
      counts: Float64Array;
      W: Float32Array;
    }
  | {
      type: 'progress';
      /** Step index of each loss (the loss before that update). */
      steps: number[];
      losses: number[];
      dataLosses: number[];
      /** Updates done so far. */
      step: number;
      running: boolean;
      /** The weights, at most a few times a second. */
      W?: Float32Array;
      /** Why the worker paused by itself, if it did. */
      stopped?: 'max-steps';
    }
  | { type: 'diverged'; divergence: Divergence; step: number }
  | { type: 'error'; message: string };
