/**
 * The MLP page's URL parameters, so a link reproduces an experiment. The model part comes from the
 * `mlp` family's schema (keys are the CLI's flags: `#/mlp?n-embd=2&n-hidden=100`); the training
 * part (one place: lr, steps, batch, optimizer, schedule, seeds) defaults to the family's
 * `runSettings`, as `lmp train --model mlp` does.
 */
import { getFamilyInfo, runSettings } from '@llm-playground/makemore/schemas';
import { byFieldName, familyParamSpecs, movedParams } from '../../state/family-params.js';
import type { ParamSpec, Schema, ValuesOf } from '../../state/url-state.js';
import type { MlpSettings } from './mlp-kind.js';

export const mlpFamily = getFamilyInfo('mlp');
const run = runSettings(mlpFamily);

/** The lecture's seed for the weights and the minibatches, and Python's split seed. */
const SEED = 2147483647;
const SPLIT_SEED = 42;

/** The training parameters (the family's model parameters are added from its schema). */
const training = {
  batch: { type: 'number', default: run.batchSize, min: 1, max: 4096, integer: true },
  lr: { type: 'number', default: run.optimizer.lr, min: 1e-5, max: 1e5, log: true },
  /** `step`: the family's decay (lr/10 from half the run); `constant`: lr at every step. */
  sched: { type: 'enum', default: 'step', values: ['step', 'constant'] },
  opt: { type: 'enum', default: run.optimizer.kind, values: ['sgd', 'adam'] },
  steps: { type: 'number', default: run.steps, min: 1, max: 1_000_000, integer: true },
  seed: { type: 'number', default: SEED, min: 0, max: 4294967295, integer: true },
  split: { type: 'number', default: SPLIT_SEED, min: 0, max: 4294967295, integer: true },
  train: { type: 'number', default: 0, min: 0, max: 1_000_000, integer: true },
  eval: { type: 'number', default: 1000, min: 10, max: 1_000_000, integer: true },
  temp: { type: 'number', default: 1, min: 0, max: 5 },
  n: { type: 'number', default: 20, min: 1, max: 100, integer: true },
  sseed: { type: 'number', default: SEED, min: 0, max: 4294967295, integer: true },
} as const satisfies Schema;

export const mlpSchema: typeof training & Record<string, ParamSpec> = {
  ...familyParamSpecs(mlpFamily.schema),
  ...training,
};

export type MlpParams = ValuesOf<typeof mlpSchema>;

/** The session's settings from the URL's values (the model part by field name). */
export function toMlpSettings(p: MlpParams): MlpSettings {
  return {
    model: byFieldName(mlpFamily.schema, p) as MlpSettings['model'],
    batchSize: p.batch,
    lr: p.lr,
    schedule: p.sched as MlpSettings['schedule'],
    optimizer: p.opt as MlpSettings['optimizer'],
    steps: p.steps,
    seed: p.seed,
    splitSeed: p.split,
    trainWords: p.train,
    evalEvery: p.eval,
  };
}

/** The lecture's run: 200,000 steps, 0.1 then 0.01 from step 100,000 (other defaults already match). */
export const LECTURE_SETTINGS: Partial<MlpParams> = {
  'block-size': 3,
  'n-embd': 10,
  'n-hidden': 200,
  batch: 32,
  lr: 0.1,
  sched: 'step',
  opt: 'sgd',
  steps: 200_000,
  seed: SEED,
  split: SPLIT_SEED,
  train: 0,
};

/** The page's keys before the model part came from the schema, and their flags now. */
export const LEGACY_KEYS: Readonly<Record<string, string>> = {
  block: 'block-size',
  emb: 'n-embd',
  hidden: 'n-hidden',
};

/**
 * The values of an older link (`#/mlp?emb=2&hidden=100`) under today's keys, or null when it has
 * none; the page applies them once, so links shared before keep their settings.
 *
 * @example
 * ```ts
 * legacyParams(new URLSearchParams('emb=2&lr=0.05')); // { 'n-embd': '2' }
 * ```
 */
export function legacyParams(params: URLSearchParams): Record<string, string> | null {
  return movedParams(params, LEGACY_KEYS);
}
