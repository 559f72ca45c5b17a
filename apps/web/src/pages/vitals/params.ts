/**
 * The vital-signs page's URL parameters, so a link reproduces an experiment. The model part comes
 * from the `deep-mlp` family's schema (keys are the CLI's flags: `#/vitals?batch-norm=false&gain=1`,
 * the lecture's init steps `init=randn&last-layer-fix=false` too, so `lmp train -m deep-mlp --init
 * randn --no-last-layer-fix` is the same net); the run's settings are the page's own.
 */
import { getFamilyInfo, runSettings } from '@llm-playground/makemore/schemas';
import { byFieldName, familyParamSpecs } from '../../state/family-params.js';
import type { ParamSpec, Schema, ValuesOf } from '../../state/url-state.js';
import type { VitalsSettings } from './vitals-types.js';

export const deepMlpFamily = getFamilyInfo('deep-mlp');
const run = runSettings(deepMlpFamily);

/** The lecture's seed for the weights and the minibatches, and Python's split seed. */
const SEED = 2147483647;
const SPLIT_SEED = 42;

/** The page's own parameters (the family's model parameters are added from its schema). */
const own = {
  lr: { type: 'number', default: run.optimizer.lr, min: 1e-5, max: 100, log: true },
  // A few thousand steps show what the lecture shows (its diagnostics are of the first 1,000).
  steps: { type: 'number', default: 3000, min: 1, max: 1_000_000, integer: true },
  batch: { type: 'number', default: run.batchSize, min: 2, max: 4096, integer: true },
  every: { type: 'number', default: 50, min: 1, max: 100_000, integer: true },
  seed: { type: 'number', default: SEED, min: 0, max: 4294967295, integer: true },
  split: { type: 'number', default: SPLIT_SEED, min: 0, max: 4294967295, integer: true },
} as const satisfies Schema;

export const vitalsSchema: typeof own & Record<string, ParamSpec> = {
  ...familyParamSpecs(deepMlpFamily.schema),
  ...own,
};

export type VitalsParams = ValuesOf<typeof vitalsSchema>;

/** The page's keys before the init steps were the family's settings, and their flags now. */
export const MOVED_KEYS: Readonly<Record<string, string>> = { fix: 'last-layer-fix' };

/** The session's settings from the URL's values (the model part by field name). */
export function toVitalsSettings(p: VitalsParams): VitalsSettings {
  return {
    model: byFieldName(deepMlpFamily.schema, p) as VitalsSettings['model'],
    lr: p.lr,
    steps: p.steps,
    batchSize: p.batch,
    seed: p.seed,
    splitSeed: p.split,
    every: p.every,
  };
}

/** One of the lecture's steps: a name, its settings, and what to look for. */
export interface LectureStep {
  id: string;
  label: string;
  values: Partial<VitalsParams>;
  look: string;
}

/**
 * The lecture's experiments in its order, each a set of the page's parameters (the others keep
 * their values).
 */
export const LECTURE_STEPS: readonly LectureStep[] = [
  {
    id: 'original',
    label: 'Plain randn',
    values: { init: 'randn', 'last-layer-fix': false, 'batch-norm': false },
    look: 'The first loss is far above ln V and almost every tanh sits at ±1: the histograms pile up at the ends, the gradients through them vanish.',
  },
  {
    id: 'kaiming',
    label: 'Kaiming, no BatchNorm',
    values: { init: 'kaiming', 'last-layer-fix': true, 'batch-norm': false, gain: 5 / 3 },
    look: 'The no-BN deep net with gain 5/3 and the initial-loss fix: the first layer about 20% saturated, the deeper ones about 5%; every layer keeps a similar spread.',
  },
  {
    id: 'gain-1',
    label: 'Gain 1',
    values: { init: 'kaiming', 'batch-norm': false, gain: 1 },
    look: 'Without the gain, tanh squashes each layer a little more: the activations shrink layer by layer (std 0.63 → 0.31), and the gradients spread out.',
  },
  {
    id: 'gain-0.5',
    label: 'Gain 0.5',
    values: { init: 'kaiming', 'batch-norm': false, gain: 0.5 },
    look: 'Too small: the activations collapse towards 0 (std 0.02 by the fifth layer) and the network behaves like a linear one.',
  },
  {
    id: 'gain-3',
    label: 'Gain 3',
    values: { init: 'kaiming', 'batch-norm': false, gain: 3 },
    look: 'Too large: 40–50% of every layer saturated; training still works, but slowly.',
  },
  {
    id: 'batchnorm',
    label: 'BatchNorm',
    values: { init: 'kaiming', 'last-layer-fix': true, 'batch-norm': true, gain: 5 / 3 },
    look: 'BatchNorm normalises every pre-activation: about 3% saturated in every layer, the same spread everywhere, whatever the gain.',
  },
];
