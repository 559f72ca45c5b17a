/**
 * The RNN page's URL parameters: which of makemore.py's sequence families (`model=rnn|gru|
 * transformer|bow`), every family's schema keyed by its CLI flags (they share makemore.py's
 * `--block-size`, `--n-embd`, `--n-embd2`, `--n-layer`, `--n-head`), the run's settings (the
 * families' AdamW defaults) and the name whose hidden state is drawn.
 */
import { type ConfigSchema, getFamilyInfo, runSettings } from '@llm-playground/makemore/schemas';
import { byFieldName, familyParamSpecs } from '../../state/family-params.js';
import type { ParamSpec, Schema, ValuesOf } from '../../state/url-state.js';
import type { LmSettings } from '../gpt/lm-kind.js';

export const ZOO_FAMILIES = ['rnn', 'gru', 'transformer', 'bow'] as const;
const run = runSettings(getFamilyInfo('rnn'));

const own = {
  model: { type: 'enum', default: 'rnn', values: ZOO_FAMILIES },
  lr: { type: 'number', default: run.optimizer.lr, min: 1e-6, max: 10, log: true },
  steps: { type: 'number', default: 3000, min: 1, max: 1_000_000, integer: true },
  batch: { type: 'number', default: run.batchSize, min: 1, max: 1024, integer: true },
  eval: { type: 'number', default: 250, min: 10, max: 1_000_000, integer: true },
  seed: { type: 'number', default: 3407, min: 0, max: 4294967295, integer: true },
  /** The name whose hidden state over time is drawn. */
  name: { type: 'string', default: 'emma', maxLength: 40 },
} as const satisfies Schema;

export const rnnSchema: typeof own & Record<string, ParamSpec> = {
  ...Object.assign({}, ...ZOO_FAMILIES.map((f) => familyParamSpecs(getFamilyInfo(f).schema))),
  ...own,
};

export type RnnParams = ValuesOf<typeof rnnSchema>;

/** The schema of the chosen family. */
export function zooSchema(family: string): ConfigSchema {
  return getFamilyInfo(family).schema;
}

/**
 * The session's settings. The block size goes over only when it is not the default: makemore
 * sets it from the words (the longest + 1), as `lmp train` does without `--block-size`.
 */
export function toRnnSettings(p: RnnParams): LmSettings {
  const model = byFieldName(zooSchema(p.model), p) as Record<string, number>;
  if (p['block-size'] === rnnSchema['block-size'].default) delete model.blockSize;
  return {
    model,
    lr: p.lr,
    steps: p.steps,
    batchSize: p.batch,
    seed: p.seed,
    evalEvery: p.eval,
  };
}
