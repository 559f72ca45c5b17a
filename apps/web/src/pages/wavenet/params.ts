/**
 * The WaveNet page's URL parameters: the `wavenet` family's schema (keys are the CLI's flags:
 * `#/wavenet?n-embd=24&n-hidden=128`), the run's settings, and the word whose context the tree
 * shows.
 */
import { getFamilyInfo, runSettings } from '@llm-playground/makemore/schemas';
import { byFieldName, familyParamSpecs } from '../../state/family-params.js';
import type { ParamSpec, Schema, ValuesOf } from '../../state/url-state.js';
import type { WavenetSettings } from './wavenet-types.js';

export const wavenetFamily = getFamilyInfo('wavenet');
const run = runSettings(wavenetFamily);

const own = {
  lr: { type: 'number', default: run.optimizer.lr, min: 1e-5, max: 100, log: true },
  // Two models train in one worker: a few thousand steps show the curves part.
  steps: { type: 'number', default: 4000, min: 1, max: 1_000_000, integer: true },
  batch: { type: 'number', default: run.batchSize, min: 2, max: 4096, integer: true },
  eval: { type: 'number', default: 500, min: 10, max: 1_000_000, integer: true },
  seed: { type: 'number', default: 2147483647, min: 0, max: 4294967295, integer: true },
  split: { type: 'number', default: 42, min: 0, max: 4294967295, integer: true },
  /** The characters typed so far: the tree shows their last `blockSize`. */
  word: { type: 'string', default: 'emma', maxLength: 64 },
} as const satisfies Schema;

export const wavenetSchema: typeof own & Record<string, ParamSpec> = {
  ...familyParamSpecs(wavenetFamily.schema),
  ...own,
};

export type WavenetParams = ValuesOf<typeof wavenetSchema>;

export function toWavenetSettings(p: WavenetParams): WavenetSettings {
  return {
    model: byFieldName(wavenetFamily.schema, p) as WavenetSettings['model'],
    lr: p.lr,
    steps: p.steps,
    batchSize: p.batch,
    seed: p.seed,
    splitSeed: p.split,
    evalEvery: p.eval,
  };
}
