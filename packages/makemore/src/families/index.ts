// Model families: the registry, the config schema, and the built-in families.
export {
  BigramCounts,
  type BigramCountsOptions,
  bigramCountsFamily,
  type NllResult,
} from './bigram-counts/index.js';
export { BigramNet, bigramNetFamily } from './bigram-net/index.js';
export { BoW, BoWBlock, bowFamily, CausalBoW } from './bow/index.js';
export { LayerStackModel } from './build-layers.js';
export { getFamilyInfo, listFamilyInfo } from './catalog.js';
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
} from './config-schema.js';
export { DeepMLP, deepMlpFamily } from './deep-mlp/index.js';
export { deepMlpPlan } from './deep-mlp/schema.js';
export {
  bytesOf,
  type ConfigProblem,
  type CreateModelOptions,
  checkModelSize,
  estimateSize,
  type FamilyInfo,
  type ModelFamily,
  type OptimizerKind,
  type TensorEstimate,
  type TrainingDefaults,
  type TrainingExamples,
} from './family.js';
export {
  FeedForward,
  GPT,
  GPT_ARCHITECTURES,
  GPTBlock,
  type GptArchitecture,
  type GptPreset,
  gptFamily,
  gptPresets,
} from './gpt/index.js';
export { gruFamily } from './gru/index.js';
export { decayAt, type LayerSpec, planEstimate } from './layer-plan.js';
export { lectureDecay, MLP, mlpFamily } from './mlp/index.js';
export { mlpBnFamily } from './mlp-bn/index.js';
export {
  createModel,
  familyConfig,
  getFamily,
  listFamilies,
  registerFamily,
  unregisterFamily,
} from './registry.js';
export { type CellType, RNN, rnnFamily } from './rnn/index.js';
export { SequenceModel } from './sequence-model.js';
export { Block, Transformer, transformerFamily } from './transformer/index.js';
export { WaveNet, wavenetFamily } from './wavenet/index.js';
export { wavenetLevels, wavenetPlan } from './wavenet/schema.js';
