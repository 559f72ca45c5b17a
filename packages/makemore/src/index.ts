export { BigramCounts, type BigramCountsOptions, type NllResult } from './bigram-counts.js';
export { BigramNet } from './bigram-net.js';
export {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  loadCheckpoint,
  saveCheckpoint,
  WEIGHTS_FILE,
} from './checkpoint.js';
export { createModel } from './create-model.js';
export { CheckpointError, TrainingDivergedError } from './errors.js';
export { evaluate } from './evaluate.js';
export { type LrFinderOptions, lrFinder } from './lr-finder.js';
export { MLP } from './mlp.js';
export type { LanguageModel, ModelConfig, ModelKind } from './model.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
} from './safetensors.js';
export { type SampleOptions, type SampleResult, sample } from './sample.js';
export {
  createOptimizer,
  lectureLearningRate,
  type OptimizerKind,
  type TrainData,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  train,
} from './train.js';
