/** Messages between the MLP page and its training worker (plain data: structured-cloneable). */
import type { MarkedSample } from './samples.js';
import type {
  Divergence,
  Evaluation,
  TrainerConfig,
  TrainerInfo,
  TrainerStatus,
} from './trainer.js';

/** Page → worker. */
export type PageMessage =
  | { type: 'init'; words: string[]; config: TrainerConfig }
  | { type: 'configure'; config: TrainerConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  | { type: 'reset' }
  | { type: 'lr-finder'; steps: number }
  | { type: 'sample'; count: number; temperature: number; seed: number };

export interface Progress {
  type: 'progress';
  status: TrainerStatus;
  /** Steps done. */
  step: number;
  steps: number;
  /** The rate the next step uses. */
  lr: number;
  /** The global step of `losses[0]`; the losses continue the page's history. */
  firstStep: number;
  losses: Float32Array;
  evaluations: Evaluation[];
  /** Steps per second of wall time while running (slicing, messages and evaluations included). */
  stepsPerSecond: number;
  /** Wall time spent running so far, in seconds. */
  runningSeconds: number;
  divergence?: Divergence;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: 'ready'; info: TrainerInfo; config: TrainerConfig }
  | Progress
  | { type: 'embedding'; step: number; x: Float32Array; y: Float32Array }
  | {
      type: 'lr-finder';
      lrs: Float64Array;
      losses: Float64Array;
      suggestion: number;
      seconds: number;
    }
  | { type: 'samples'; step: number; samples: MarkedSample[] }
  | { type: 'error'; message: string };
