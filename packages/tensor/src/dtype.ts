/** Element types. `float32` is the default, as in PyTorch; `float64` is for gradcheck and exact work;
 * `int32` holds indices and counts (PyTorch's `int64` role: JavaScript has no fast 64-bit ints). */
export type DType = 'float32' | 'float64' | 'int32';

export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/**
 * Where tensor buffers come from: plain typed arrays by default; the wasm backend's buffer pool
 * (memory.ts) installs itself here so that storage lives in the kernel memory. Every buffer is
 * zero-filled. `watch` sees every new buffer (captured steps plan them).
 */
interface AllocationHooks {
  allocator: ((dtype: DType, length: number) => TypedArray) | null;
  watch: ((array: TypedArray) => void) | null;
}

export const allocationHooks: AllocationHooks = { allocator: null, watch: null };

/** A zero-filled buffer of `length` elements (from the current allocator). */
export function allocate(dtype: DType, length: number): TypedArray {
  const hooks = allocationHooks;
  const array =
    hooks.allocator === null ? allocatePlain(dtype, length) : hooks.allocator(dtype, length);
  if (hooks.watch !== null) hooks.watch(array);
  return array;
}

/** A zero-filled plain (garbage-collected) typed array. */
export function allocatePlain(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int32':
      return new Int32Array(length);
  }
}

export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  return 'int32';
}

export function isFloating(dtype: DType): boolean {
  return dtype !== 'int32';
}

/** PyTorch's type promotion for two tensors: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}
