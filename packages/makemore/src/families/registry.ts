/**
 * The model families by name. The built-in ones (`bigram`, `bigram-net`, `mlp`, `mlp-bn`, `deep-mlp`, `wavenet`, `bow`, `rnn`,
 * `gru`, `transformer`, `gpt`) are listed here
 * once; `registerFamily` adds others (a test's throw-away family, a new lecture's model) without
 * touching any other file. Everything else — `createModel`, checkpoints, the CLI's flags, the web
 * app's controls — asks the registry, so there is no `switch (kind)` anywhere. Their `FamilyInfo`
 * (no model code) is also in `catalog.ts`, kept in step here, for the `./schemas` entry.
 * NOTE: the registry is module state (one per loaded copy of the package), filled with the
 * built-ins when the module is evaluated; registering is explicit, never a side effect of importing
 * a family's folder.
 */
import type { Generator } from '@llm-playground/core';
import type { CharTokenizer } from '@llm-playground/data';
import { ConfigError } from '../errors.js';
import type { LanguageModel, ModelConfig } from '../model.js';
import { bigramCountsFamily } from './bigram-counts/index.js';
import { bigramNetFamily } from './bigram-net/index.js';
import { bowFamily } from './bow/index.js';
import { familyConfig, forgetFamilyInfo, recordFamilyInfo } from './catalog.js';
import { checkSchema } from './config-schema.js';
import { deepMlpFamily } from './deep-mlp/index.js';
import type { ModelFamily } from './family.js';
import { gptFamily } from './gpt/index.js';
import { gruFamily } from './gru/index.js';
import { mlpFamily } from './mlp/index.js';
import { mlpBnFamily } from './mlp-bn/index.js';
import { rnnFamily } from './rnn/index.js';
import { transformerFamily } from './transformer/index.js';
import { wavenetFamily } from './wavenet/index.js';

const families = new Map<string, ModelFamily>(
  [
    bigramCountsFamily,
    bigramNetFamily,
    mlpFamily,
    mlpBnFamily,
    deepMlpFamily,
    wavenetFamily,
    bowFamily,
    rnnFamily,
    gruFamily,
    transformerFamily,
    gptFamily,
  ].map((family) => [family.name, family]),
);

/**
 * Makes `family` known by its name. Throws if the name is taken (pass `{ replace: true }` to
 * replace it) or the schema is malformed.
 *
 * @example
 * ```ts
 * registerFamily({ ...getFamily('mlp'), name: 'mlp-wide' });
 * getFamily('mlp-wide').title; // 'MLP (Bengio et al. 2003)'
 * unregisterFamily('mlp-wide'); // true
 * ```
 */
export function registerFamily(family: ModelFamily, options: { replace?: boolean } = {}): void {
  if (!/^[a-z][a-z0-9-]*$/.test(family?.name ?? '')) {
    throw new ConfigError(
      `registerFamily: a family name must be kebab-case (a-z, 0-9, -), got '${family?.name}'`,
    );
  }
  if (families.has(family.name) && !options.replace) {
    throw new ConfigError(
      `registerFamily: a family named '${family.name}' is already registered (pass { replace: true } to replace it)`,
    );
  }
  if (family.schema.some((field) => field.name === 'vocabSize' || field.name === 'kind')) {
    throw new ConfigError(
      `registerFamily: '${family.name}' must not declare 'kind' or 'vocabSize' (they come from the family and the tokenizer)`,
    );
  }
  checkSchema(family.schema, `family '${family.name}'`);
  families.set(family.name, family);
  recordFamilyInfo(family);
}

/** Forgets a registered family; returns whether it was there. */
export function unregisterFamily(name: string): boolean {
  forgetFamilyInfo(name);
  return families.delete(name);
}

/**
 * The family registered as `name`.
 *
 * @example
 * ```ts
 * getFamily('bigram-net').defaults.lr; // 50
 * getFamily('lstm'); // throws ConfigError
 * // "unknown model 'lstm'; known: bigram, bigram-net, mlp, mlp-bn, deep-mlp, wavenet, bow, rnn, gru, transformer, gpt"
 * ```
 */
export function getFamily(name: string): ModelFamily {
  const family = families.get(name);
  if (!family) {
    throw new ConfigError(`unknown model '${name}'; known: ${[...families.keys()].join(', ')}`);
  }
  return family;
}

/** Every registered family, built-ins first, then in registration order. */
export function listFamilies(): ModelFamily[] {
  return [...families.values()];
}

/**
 * A fresh model for `config` through its family (`getFamily(config.kind).create`): random weights
 * from `generator` (default: a new generator seeded 2147483647, the lecture's seed), or an
 * all-zero count matrix for `bigram` (pass `tokenizer` so that its word-level methods work).
 * The config is validated strictly against the family's schema first.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 2, nHidden: 100 });
 * model.numParameters(); // 3481
 * createModel({ kind: 'lstm', vocabSize: 27, blockSize: 3 }); // throws ConfigError
 * ```
 */
export function createModel(
  config: ModelConfig,
  options: { generator?: Generator; tokenizer?: CharTokenizer } = {},
): LanguageModel {
  if (config === null || typeof config !== 'object') {
    throw new TypeError(
      `Argument 'config' passed to 'createModel' must be a ModelConfig, got ${config}`,
    );
  }
  const family = getFamily(String(config.kind));
  const full = familyConfig(family.name, config, { vocabSize: config.vocabSize });
  return family.create(full, options);
}

export { familyConfig };
