// micrograd's nn on scalar `Value`s: modules, losses, an optimizer. Imported as
// `@llm-playground/nn/micro` (or `micro` from the package root).
export { ACTIVATIONS, type Activation, activationDisplayName } from './activation.js';
export { binaryAccuracy } from './binary-accuracy.js';
export type { Reduction } from './checks.js';
export { crossEntropy } from './cross-entropy.js';
export { l2Regularization } from './l2-regularization.js';
export { Layer } from './layer.js';
export { linearSchedule } from './linear-schedule.js';
export { logSoftmax } from './log-softmax.js';
export { maxMarginLoss } from './max-margin-loss.js';
export { MLP, type MLPOptions } from './mlp.js';
export { Module } from './module.js';
export { mseLoss } from './mse-loss.js';
export { Neuron, type NeuronOptions } from './neuron.js';
export { nllLoss } from './nll-loss.js';
export { type LRSchedule, SGD, type SGDOptions } from './sgd.js';
export { softmax } from './softmax.js';
