/**
 * The families' `FamilyInfo` by name — schemas, titles, training defaults — without their model
 * code, for `@llm-playground/makemore/schemas` (a web page's controls, URL parameters and run
 * settings need no tensor code). The registry (`registerFamily`) keeps it in step: a registered
 * family's info is here too, under the same name.
 * NOTE: module state, like the registry's, filled with the built-ins when the module is evaluated.
 */
import { ConfigError } from '../errors.js';
import type { ModelConfig } from '../model.js';
import { bigramCountsInfo } from './bigram-counts/schema.js';
import { bigramNetInfo } from './bigram-net/schema.js';
import { bowInfo } from './bow/schema.js';
import { type ParseConfigOptions, parseConfig } from './config-schema.js';
import { deepMlpInfo } from './deep-mlp/schema.js';
import type { FamilyInfo } from './family.js';
import { gptInfo } from './gpt/schema.js';
import { gruInfo } from './gru/schema.js';
import { mlpInfo } from './mlp/schema.js';
import { mlpBnInfo } from './mlp-bn/schema.js';
import { rnnInfo } from './rnn/schema.js';
import { transformerInfo } from './transformer/schema.js';
import { wavenetInfo } from './wavenet/schema.js';

const infos = new Map<string, FamilyInfo>(
  [
    bigramCountsInfo,
    bigramNetInfo,
    mlpInfo,
    mlpBnInfo,
    deepMlpInfo,
    wavenetInfo,
    bowInfo,
    rnnInfo,
    gruInfo,
    transformerInfo,
    gptInfo,
  ].map((info) => [info.name, info]),
);

/** The registry's hook: `registerFamily` records a family's info here (not exported by the package). */
export function recordFamilyInfo(info: FamilyInfo): void {
  infos.set(info.name, info);
}

/** The registry's hook for `unregisterFamily`. */
export function forgetFamilyInfo(name: string): void {
  infos.delete(name);
}

/**
 * The `FamilyInfo` of the family registered as `name` (its schema, title and defaults; no model).
 *
 * @example
 * ```ts
 * getFamilyInfo('mlp').defaults.lr; // 0.1
 * getFamilyInfo('lstm'); // throws ConfigError
 * // "unknown model 'lstm'; known: bigram, bigram-net, mlp, mlp-bn, deep-mlp, wavenet, bow, rnn, gru, transformer, gpt"
 * ```
 */
export function getFamilyInfo(name: string): FamilyInfo {
  const info = infos.get(name);
  if (!info) {
    throw new ConfigError(`unknown model '${name}'; known: ${[...infos.keys()].join(', ')}`);
  }
  return info;
}

/**
 * Every registered family's info, built-ins first, then in registration order.
 *
 * @example
 * ```ts
 * listFamilyInfo().map((info) => info.name); // ['bigram', 'bigram-net', 'mlp', 'mlp-bn', 'deep-mlp', 'wavenet', 'bow', 'rnn', 'gru', 'transformer', 'gpt']
 * ```
 */
export function listFamilyInfo(): FamilyInfo[] {
  return [...infos.values()];
}

/**
 * A full, validated `ModelConfig` for a family from raw settings (flags, URL parameters, a
 * checkpoint's `config`): every schema field filled (defaults for missing ones), `kind`,
 * `vocabSize` and `blockSize` (from the schema's `blockSize`, else 1). `mode: 'strict'` throws a
 * `ConfigError` naming the field; `'clamp'` clamps.
 *
 * @example
 * ```ts
 * familyConfig('mlp', { nHidden: '100' }, { vocabSize: 27 }); // { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 100 }
 * ```
 */
export function familyConfig(
  name: string,
  raw: Readonly<Record<string, unknown>>,
  options: ParseConfigOptions & { vocabSize: number },
): ModelConfig {
  const family = getFamilyInfo(name);
  const { vocabSize } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 1) {
    throw new ConfigError(
      `${family.name} config: vocabSize must be a positive integer, got ${vocabSize}`,
    );
  }
  const { kind: _kind, vocabSize: _vocab, ...rest } = { ...raw } as Record<string, unknown>;
  // Families without a blockSize setting ignore a stored blockSize of 1 (older checkpoints carry it).
  if (!family.schema.some((f) => f.name === 'blockSize') && rest.blockSize === 1)
    delete rest.blockSize;
  const source = options.source ?? `${family.name} config`;
  const values = parseConfig(family.schema, rest, { ...options, source });
  const config = { blockSize: 1, ...values, kind: family.name, vocabSize } as ModelConfig;
  const problem = family.constrain?.(config);
  if (problem === undefined) return config;
  const field = family.schema.find((f) => f.name === problem.field);
  if ((options.mode ?? 'strict') === 'strict' || field === undefined) {
    throw new ConfigError(`${source}: ${problem.message}`);
  }
  options.onAdjust?.(field, config[problem.field], problem.value);
  return { ...config, [problem.field]: problem.value };
}
