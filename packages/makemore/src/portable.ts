/**
 * Everything in `@llm-playground/makemore` that runs anywhere (Node, browsers, workers): no file
 * system. `index.ts` adds checkpoints and safetensors files; `browser.ts` adds stubs for them.
 */
export { BigramCounts, type BigramCountsOptions, type NllResult } from './bigram-counts.js';
export { BigramNet } from './bigram-net.js';
export { createModel } from './create-model.js';
export { CheckpointError, TrainingDivergedError } from './errors.js';
export { evaluate } from './evaluate.js';
export { type LrFinderOptions, lrFinder } from './lr-finder.js';
export { MLP } from './mlp.js';
export type { LanguageModel, ModelConfig, ModelKind } from './model.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors.js';
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
