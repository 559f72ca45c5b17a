// The root of @llm-playground/nn: PyTorch-style modules, losses (`F`), `init` and optimizers on
// tensors. micrograd's scalar nn stays under the `micro` namespace (also `@llm-playground/nn/micro`).
export { Flatten, GELU, type GeluApproximate, ReLU, Tanh } from './activation-modules.js';
export {
  type AttentionOptions,
  CausalSelfAttention,
  Head,
  MultiHeadAttention,
} from './attention.js';
export { BatchNorm1d, type BatchNormOptions } from './batch-norm.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Embedding } from './embedding.js';
export { ConfigError, StateDictError } from './errors.js';
export { FlattenConsecutive } from './flatten-consecutive.js';
export type { CrossEntropyOptions, Reduction } from './functional/index.js';
export * as F from './functional/index.js';
export type { KaimingOptions, Nonlinearity, XavierOptions } from './init.js';
export * as init from './init.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { Linear, type LinearOptions } from './linear.js';
export * as micro from './micro/index.js';
export {
  type BufferOptions,
  type ForwardHook,
  Module,
  type RemovableHandle,
} from './module.js';
export {
  Adam,
  type AdamOptions,
  AdamW,
  ConstantLR,
  CosineAnnealingLR,
  createScheduler,
  LambdaLR,
  LinearLR,
  LRScheduler,
  type LRSchedulerState,
  MultiStepLR,
  Optimizer,
  type OptimizerState,
  type ParamGroup,
  type ParamState,
  PiecewiseConstantLR,
  type SchedulableOptimizer,
  type SchedulerConfig,
  SGD,
  type SGDOptions,
  StepLR,
} from './optim/index.js';
export { pythonFloat } from './python-repr.js';
export { type CellOptions, GRUCell, RNNCell } from './rnn-cells.js';
export { Sequential } from './sequential.js';
