// Entry point of the WebAssembly kernels (AssemblyScript, compiled by ../scripts/build-wasm.mjs).
// Every export works on raw pointers into the imported memory; the JavaScript wrapper in
// ../src/kernels/wasm/ owns the memory layout.
export { binaryF32 } from './binary';
export {
  sumDimF32,
  tanhBackwardF32,
  tanhF64Array,
  unaryF32,
} from './elementwise';
/** Exposed for the tests: bit-identical to Math.tanh. */
export { tanh as tanhF64 } from './math';
export { matmulF32, packASize, packBSize, smallBatchedF32, smallPanelSize } from './matmul';
export { castElements, fill32, fill64, maskedFillF32, zeroBytes } from './memory';
export {
  adamF32,
  adamMultiF32,
  crossEntropyBackwardF32,
  crossEntropyRowsF32,
  gatherRowsBytes,
  scatterAddRowsF32,
  sgdF32,
  softmaxBackwardRowsF32,
  softmaxRowsF32,
  unaryBackwardF32,
  updateF32,
} from './nn';
export { expF32, geluTanhBackwardF32 } from './transcendental';

/** First free byte after the module's static data: the JavaScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { layerNormBackwardF32, layerNormF32 } from './norm';
export { gather32, scatter32 } from './strided';
