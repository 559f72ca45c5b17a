/**
 * makemore part 4, "becoming a backprop ninja": the BatchNorm MLP as explicit forward steps, the
 * hand-written backward passes of exercises 1–3, the lecture's `cmp` check against autograd, and
 * exercise 4's training with the manual gradients only. Portable (no file system).
 */

export {
  type BatchNormSaved,
  batchNormBackward,
  crossEntropyBackward,
  embeddingBackward,
  type FusedGradients,
  fusedBackward,
  type ManualGradients,
  manualBackward,
} from './backward.js';
export {
  ALLCLOSE_ATOL,
  ALLCLOSE_RTOL,
  CMP_ORDER,
  type CmpResult,
  cmp,
  cmpMark,
  compareGradients,
  formatCmpTable,
} from './cmp.js';
export {
  BACKPROP_BN_EPS,
  BACKPROP_BN_SEED,
  BACKPROP_INTERMEDIATE_NAMES,
  BACKPROP_PARAMETER_NAMES,
  BACKPROP_SEED,
  type BackpropIntermediateName,
  type BackpropMlpOptions,
  type BackpropMlpParameters,
  type BackpropParameterName,
  type BatchNormStats,
  calibrateBatchNorm,
  type FastForward,
  type ForwardSteps,
  fastForward,
  forwardSteps,
  initBackpropMlp,
  splitLoss,
} from './network.js';
export {
  type BackwardMode,
  type ManualBackpropRun,
  type ManualBackpropTask,
  type ManualBackpropTaskOptions,
  manualBackpropTask,
  type TrainManualBackpropOptions,
  trainManualBackprop,
} from './train.js';
