// PyTorch's `torch.nn.functional`, imported as `F`: `F.crossEntropy(logits, target)`.
export { type CrossEntropyOptions, crossEntropy } from './cross-entropy.js';
export { mseLoss } from './mse-loss.js';
export { nllLoss } from './nll-loss.js';
export type { Reduction } from './reduction.js';
