/**
 * The GPT page's URL parameters: the `gpt` family's schema (keys are the CLI's flags:
 * `#/gpt?n-layer=4&n-embd=128` is `lmp train --model gpt --n-layer 4 --n-embd 128`), the run's
 * settings, and the prompts of the generation and of "look inside". A preset (`gptPresets`: the
 * lecture's ladder, `cpu`, `nanogpt-cpu`) is a bundle of these values, not a parameter of its own:
 * the page shows which preset the values match.
 */
import {
  flagOf,
  type GptPreset,
  getFamilyInfo,
  gptPresets,
} from '@llm-playground/makemore/schemas';
import { byFieldName, familyParamSpecs } from '../../state/family-params.js';
import type { ParamSpec, Schema, ValuesOf } from '../../state/url-state.js';
import type { LmSettings } from './lm-kind.js';

export const gptFamily = getFamilyInfo('gpt');
/** The presets the page offers (the lecture's GPU-sized `lecture` is left out: hours per step here). */
export const PAGE_PRESETS = [
  'cpu',
  'nanogpt-cpu',
  'bigram',
  'one-head',
  'multi-head',
  'feed-forward',
  'residual',
  'dropout',
] as const;
const cpu = gptPresets.cpu;

const own = {
  lr: { type: 'number', default: cpu.run.lr ?? 1e-3, min: 1e-6, max: 10, log: true },
  steps: { type: 'number', default: cpu.run.steps ?? 3000, min: 1, max: 1_000_000, integer: true },
  batch: { type: 'number', default: cpu.run.batchSize ?? 32, min: 1, max: 1024, integer: true },
  eval: { type: 'number', default: 250, min: 10, max: 1_000_000, integer: true },
  seed: { type: 'number', default: 1337, min: 0, max: 4294967295, integer: true },
  /** Tokens: characters, or a byte-level BPE (GPT-4 split) of `vocab` ids trained on the text. */
  tokens: { type: 'enum', default: 'chars', values: ['chars', 'bpe'] },
  vocab: { type: 'number', default: 512, min: 257, max: 4096, integer: true },
  /** Generation: the prompt, how many characters, temperature, top-k (0: all). */
  prompt: { type: 'string', default: 'Call me ', maxLength: 500 },
  n: { type: 'number', default: 500, min: 1, max: 10_000, integer: true },
  temp: { type: 'number', default: 1, min: 0, max: 5 },
  topk: { type: 'number', default: 0, min: 0, max: 1000, integer: true },
  /** Look inside: the prompt whose attention, residual norms and predictions are drawn. */
  look: { type: 'string', default: 'Call me Ishmael.', maxLength: 64 },
} as const satisfies Schema;

export const gptSchema: typeof own & Record<string, ParamSpec> = {
  ...familyParamSpecs(gptFamily.schema),
  ...own,
};

export type GptParams = ValuesOf<typeof gptSchema>;

export function toGptSettings(p: GptParams): LmSettings {
  return {
    model: byFieldName(gptFamily.schema, p) as LmSettings['model'],
    lr: p.lr,
    steps: p.steps,
    batchSize: p.batch,
    seed: p.seed,
    evalEvery: p.eval,
    ...(p.tokens === 'bpe' ? { bpeVocabSize: p.vocab } : {}),
  };
}

/** A preset as page values (keyed by flag): its model settings over the schema's defaults, its run. */
export function presetValues(preset: GptPreset): Record<string, number | string> {
  const values: Record<string, number | string> = {};
  for (const field of gptFamily.schema) {
    values[flagOf(field)] = (preset.config[field.name] ?? field.default) as number | string;
  }
  values.lr = preset.run.lr ?? own.lr.default;
  values.steps = preset.run.steps ?? own.steps.default;
  values.batch = preset.run.batchSize ?? own.batch.default;
  return values;
}

/**
 * The preset whose values the page has now, or null (custom).
 *
 * @example
 * ```ts
 * matchingPreset(readParams(gptSchema, new URLSearchParams())); // 'cpu'
 * ```
 */
export function matchingPreset(p: GptParams): string | null {
  for (const name of PAGE_PRESETS) {
    const values = presetValues(gptPresets[name]);
    if (Object.entries(values).every(([key, value]) => p[key] === value)) return name;
  }
  return null;
}
