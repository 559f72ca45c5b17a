export {
  type BackendName,
  enableRelaxedSimd,
  getBackend,
  relaxedSimdInUse,
  setBackend,
} from './backend.js';
export {
  type CapturedStep,
  CaptureError,
  type CompiledStep,
  captureStep,
  compileStep,
  replayEagerly,
  type StepOutput,
} from './capture.js';
export {
  arange,
  type CreateOptions,
  eye,
  full,
  fullLike,
  linspace,
  type NestedArray,
  oneHot,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from './creation.js';
export { customOp } from './custom-op.js';
export { type DType, isFloating, promoteTypes, type TypedArray } from './dtype.js';
export { AutogradError, DTypeError, IndexError, ShapeError } from './errors.js';
export type { PrintOptions } from './format.js';
export { enableGrad, isGradEnabled, noGrad } from './grad-mode.js';
export {
  type AdamHyper,
  type AdamTensors,
  type Backend,
  type BinaryOp,
  type CrossEntropySaved,
  jsBackend,
  type ReduceOp,
  type SgdHyper,
  type UnaryBackwardOp,
  type UnaryOp,
  type UpdateOp,
} from './kernels/backend.js';
export {
  browserThreadsUnavailable,
  startWasmThreads,
  stopWasmThreads,
  type WasmFeatures,
  wasmFeatures,
  wasmThreadCount,
} from './kernels/wasm/index.js';
export { layerNorm, logSoftmax, softmax } from './ops/activation.js';
export {
  abs,
  add,
  clamp,
  div,
  exp,
  type GeluApproximate,
  gelu,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
} from './ops/elementwise.js';
export { maskedFill, tril, triu, unbind, where } from './ops/masking.js';
export { matmul } from './ops/matmul.js';
export { cat, stack } from './ops/movement.js';
export {
  getDefaultGenerator,
  manualSeed,
  multinomial,
  type RandomOptions,
  rand,
  randint,
  randn,
  randperm,
} from './random.js';
export { broadcastShapes, type Shape } from './shape.js';
export {
  type GradFn,
  isTensor,
  type KeepdimArg,
  Tensor,
  type TensorLike,
  type VarianceOptions,
} from './tensor.js';
export { keep, type MemoryInfo, memoryInfo, tidy } from './tidy.js';
export { zeroGrad } from './zero-grad.js';
