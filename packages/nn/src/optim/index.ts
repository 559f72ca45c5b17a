export { Adam, AdamBase, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export {
  ConstantLR,
  CosineAnnealingLR,
  createScheduler,
  LambdaLR,
  LinearLR,
  LRScheduler,
  type LRSchedulerState,
  MultiStepLR,
  PiecewiseConstantLR,
  type SchedulableOptimizer,
  type SchedulerConfig,
  StepLR,
} from './lr-scheduler.js';
export { Optimizer, type OptimizerState, type ParamGroup, type ParamState } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
