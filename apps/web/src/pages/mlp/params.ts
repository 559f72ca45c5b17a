/**
 * The MLP page's URL parameters: every hyper-parameter and seed, validated and clamped by
 * `createUrlState`, so a link reproduces an experiment. Short keys keep links readable:
 * `#/mlp?emb=2&hidden=100&lr=0.05&train=200`.
 */
import type { Schema, ValuesOf } from '../../state/url-state.js';
import { DEFAULT_CONFIG as D, type TrainerConfig } from './trainer.js';

export const mlpSchema = {
  block: { type: 'number', default: D.blockSize, min: 1, max: 10, integer: true },
  emb: { type: 'number', default: D.nEmbd, min: 1, max: 64, integer: true },
  hidden: { type: 'number', default: D.nHidden, min: 1, max: 1000, integer: true },
  batch: { type: 'number', default: D.batchSize, min: 1, max: 4096, integer: true },
  lr: { type: 'number', default: D.lr, min: 1e-5, max: 1e5, log: true },
  sched: { type: 'enum', default: D.schedule, values: ['constant', 'step'] },
  decay: { type: 'number', default: D.decayStep, min: 0, max: 1_000_000, integer: true },
  factor: { type: 'number', default: D.decayFactor, min: 0.001, max: 1 },
  opt: { type: 'enum', default: D.optimizer, values: ['sgd', 'adam'] },
  steps: { type: 'number', default: D.steps, min: 1, max: 1_000_000, integer: true },
  seed: { type: 'number', default: D.seed, min: 0, max: 4294967295, integer: true },
  split: { type: 'number', default: D.splitSeed, min: 0, max: 4294967295, integer: true },
  train: { type: 'number', default: D.trainWords, min: 0, max: 1_000_000, integer: true },
  eval: { type: 'number', default: D.evalEvery, min: 10, max: 1_000_000, integer: true },
  temp: { type: 'number', default: 1, min: 0, max: 5 },
  n: { type: 'number', default: 20, min: 1, max: 100, integer: true },
  sseed: { type: 'number', default: 2147483647, min: 0, max: 4294967295, integer: true },
} as const satisfies Schema;

export type MlpParams = ValuesOf<typeof mlpSchema>;

/** The trainer's settings from the URL's values. */
export function toTrainerConfig(p: MlpParams): TrainerConfig {
  return {
    blockSize: p.block,
    nEmbd: p.emb,
    nHidden: p.hidden,
    batchSize: p.batch,
    lr: p.lr,
    schedule: p.sched as TrainerConfig['schedule'],
    decayStep: p.decay,
    decayFactor: p.factor,
    optimizer: p.opt as TrainerConfig['optimizer'],
    steps: p.steps,
    seed: p.seed,
    splitSeed: p.split,
    trainWords: p.train,
    evalEvery: p.eval,
  };
}

/** The lecture's run: 200,000 steps, 0.1 then 0.01 from step 100,000 (other defaults already match). */
export const LECTURE_SETTINGS: Partial<MlpParams> = {
  block: 3,
  emb: 10,
  hidden: 200,
  batch: 32,
  lr: 0.1,
  sched: 'step',
  decay: 100_000,
  factor: 0.1,
  opt: 'sgd',
  steps: 200_000,
  seed: 2147483647,
  split: 42,
  train: 0,
};
