/**
 * `@llm-playground/makemore/schemas`: the model families as data — config schemas, titles,
 * training defaults, size estimates — and the functions that turn raw settings into a checked
 * config and a run's settings, without any model or tensor code. A web page's controls and URL
 * parameters (or a CLI's flags and `--help`) import this entry and load the models only when a
 * run starts. The same functions and families are exported by the main entry; both share one
 * registry, so a family added with `registerFamily` is listed here too.
 *
 * @example
 * ```ts
 * import { familyConfig, flagOf, getFamilyInfo, runSettings } from '@llm-playground/makemore/schemas';
 * const mlp = getFamilyInfo('mlp');
 * mlp.schema.map(flagOf); // ['block-size', 'n-embd', 'n-hidden']
 * familyConfig('mlp', { nHidden: 1e9 }, { vocabSize: 27, mode: 'clamp' }).nHidden; // 100000
 * runSettings(mlp).optimizer; // { kind: 'sgd', lr: 0.1 }
 * ```
 */
export { ConfigError } from './errors.js';
export { familyConfig, getFamilyInfo, listFamilyInfo } from './families/catalog.js';
export {
  type ConfigField,
  type ConfigFieldType,
  type ConfigSchema,
  type ConfigValue,
  type ConfigValues,
  checkSchema,
  defaultConfig,
  flagOf,
  kebabCase,
  type ParseConfigOptions,
  parseConfig,
} from './families/config-schema.js';
export {
  bytesOf,
  checkModelSize,
  estimateSize,
  type FamilyInfo,
  type OptimizerKind,
  type TensorEstimate,
  type TrainingDefaults,
  type TrainingExamples,
} from './families/family.js';
export {
  GPT_ARCHITECTURES,
  type GptArchitecture,
  type GptPreset,
  gptPresets,
} from './families/gpt/schema.js';
export { lectureDecay } from './families/mlp/schema.js';
export type { ModelConfig, ModelKind } from './model.js';
export { type RunOverrides, type RunSettings, runSettings } from './run-settings.js';
