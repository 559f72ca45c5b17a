/**
 * Everything in `@llm-playground/makemore` that runs anywhere (Node, browsers, workers): no file
 * system. `index.ts` adds checkpoint folders and safetensors files; `browser.ts` adds stubs for them
 * (a page uses `checkpointToFiles` / `checkpointFromFiles` on bytes).
 */
export {
  type Checkpoint,
  type CheckpointInput,
  checkpointChecksum,
  EMBEDDED_CHECKPOINT_KEY,
} from './checkpoint-codec.js';
export {
  type CheckpointFiles,
  checkpointFromFiles,
  checkpointToFiles,
  expectFamily,
} from './checkpoint-files.js';
export {
  CHECKPOINT_FILE,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  WEIGHTS_FILE,
} from './checkpoint-format.js';
export * from './diagnostics/index.js';
export {
  CheckpointError,
  ConfigError,
  FamilyMismatchError,
  TrainingDivergedError,
} from './errors.js';
export { evaluate } from './evaluate.js';
export {
  EXPORTABLE_FAMILIES,
  type ExportInput,
  exportToPyTorch,
  type PyTorchExport,
  toPyTorchName,
} from './export/export-pytorch.js';
export * from './families/index.js';
export { type GenerateModel, type GenerateOptions, generate } from './generate.js';
export {
  type AttentionInspection,
  type HiddenStateInspection,
  hiddenStates,
  type InspectedPrompt,
  type InspectOptions,
  type InspectTokenizer,
  inspectAttention,
  type TokenProbability,
} from './inspect.js';
export { type LrFinderOptions, lrFinder, lrSweep, suggestLearningRate } from './lr-finder.js';
export * from './manual-backprop/index.js';
export type { LanguageModel, ModelConfig, ModelKind } from './model.js';
export {
  type PreparedRun,
  type PrepareRunOptions,
  prepareRun,
  type ResumeFrom,
} from './prepare-run.js';
export { type RunOverrides, type RunSettings, runSettings } from './run-settings.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors.js';
export { lectureReplacement, type SampleOptions, type SampleResult, sample } from './sample.js';
export {
  createOptimizer,
  type LanguageModelTask,
  type LanguageModelTaskOptions,
  languageModelTask,
} from './tasks/language-model.js';
export {
  type DataLayout,
  IGNORE_INDEX,
  MinibatchSampler,
  type TrainData,
} from './tasks/minibatch-sampler.js';
export {
  DEFAULT_MOONS_CONFIG,
  MOONS_LOSSES,
  type MoonsConfig,
  type MoonsLoss,
  type MoonsTask,
  type MoonsTaskOptions,
  moonsLoss,
  moonsTask,
} from './tasks/moons.js';
export {
  BpeTextTokenizer,
  type BpeTextTokenizerJSON,
  type ModelTokenizer,
  modelTokenizerFromJSON,
  requireCharTokenizer,
  tokensPerCharacter,
} from './text-tokenizer.js';
export {
  lectureLearningRate,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  train,
} from './train.js';
export {
  checkTrainerState,
  type DivergenceOptions,
  type EvaluationContext,
  type OptimizerSettings,
  type StepObserver,
  type StepRecord,
  type StopReason,
  type TaskStep,
  Trainer,
  type TrainerOptimizer,
  type TrainerOptions,
  type TrainerProgress,
  type TrainerState,
  type TrainingTask,
} from './trainer.js';
export { textData, trainingData, wordSequences } from './training-data.js';
