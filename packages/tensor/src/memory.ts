/**
 * Tensor memory owned by the backend. On the wasm backend (with a shared WebAssembly memory: Node,
 * cross-origin-isolated pages) every tensor buffer made inside a `tidy` scope or a captured step is a
 * block of the kernel memory, from the wasm allocator's size-class free lists (`allocateInWasm` /
 * `freeInWasm`), so kernels read and write those tensors in place, never copying operands in or out.
 * Outside any scope, and on the js backend, buffers stay plain typed arrays that the garbage
 * collector frees (a wasm kernel copies such operands into its scratch arena: defined, never wrong).
 * Why not pool everything: a block is returned by `dispose`, a scope's end, or a finalizer — and
 * finalizers never run inside a synchronous training loop, so an unscoped loop would grow the memory
 * without bound (measured: 2.6× slower too, from page faults and registry work).
 *
 * A block goes back to the free lists when the last tensor on it is disposed — eagerly, by
 * `dispose()` or at the end of a `tidy(fn)` scope — or, as a safety net, when the garbage collector
 * reclaims its typed array (a `FinalizationRegistry`). Decision: tfjs-style `tidy` + `dispose` rather
 * than PyTorch's reference counting, which JavaScript cannot do: a scope says "everything made in
 * here, except what I return, is garbage" in one line around a training step. The safety net alone
 * is not enough for a training loop: finalizers run only between tasks, never inside a synchronous
 * loop of 200,000 steps.
 *
 * NOTE: a non-shared WebAssembly memory detaches every view when it grows; tensors there stay plain
 * typed arrays (operands are copied into the kernel memory per call, as before), so no tensor ever
 * holds a detached array. Views users get (`.data`, `storage`) are views on the shared memory, which
 * never detaches: they stay valid after growth until their tensors are disposed.
 */
import { allocatePlain, allocationHooks, type DType, type TypedArray } from './dtype.js';
import {
  allocateInWasm,
  freeInWasm,
  type WasmMemory,
  wasmMemory,
  wasmMemoryIsShared,
  wasmMemoryStats,
} from './kernels/wasm/index.js';

/** Bookkeeping of one pooled block (it never references its array: the registry watches that). */
interface Block {
  /** Live (not disposed) tensors on this block. */
  tensors: number;
  freed: boolean;
  /** Registered with the finalizer safety net (only blocks that outlive their scope are). */
  watched: boolean;
  /** The byte offset (to free after the array itself was collected). */
  readonly ptr: number;
  readonly dtype: DType;
  readonly length: number;
}

const blocks = new WeakMap<TypedArray, Block>();
/** Views handed out by `.data` keep their block's array alive (the registry watches that array). */
const parents = new WeakMap<TypedArray, TypedArray>();
let pooledTensors = 0;
let everPooled = false;

function freeBlock(block: Block, array: TypedArray | null): void {
  if (block.freed) return;
  block.freed = true;
  if (array !== null) {
    if (block.watched) registry.unregister(block);
    freeInWasm(array);
  } else {
    // The array was collected: free by re-creating a view on the same block.
    freeInWasm(allocationView(block));
  }
}

function allocationView(block: Block): TypedArray {
  // freeInWasm finds the block by byte offset: a fresh view at the same place will do.
  const buffer = (wasmMemory() as WasmMemory).buffer;
  switch (block.dtype) {
    case 'float32':
      return new Float32Array(buffer, block.ptr, block.length);
    case 'float64':
      return new Float64Array(buffer, block.ptr, block.length);
    case 'int32':
      return new Int32Array(buffer, block.ptr, block.length);
  }
}

const registry = new FinalizationRegistry<Block>((block) => {
  if (!block.freed) freeBlock(block, null);
});

function pooledAllocate(dtype: DType, length: number): TypedArray {
  // Outside any scope nothing would free a block promptly (finalizers never run inside a synchronous
  // loop): such tensors stay plain arrays that the garbage collector owns, as on the js backend.
  if (scopes.length === 0) return allocatePlain(dtype, length);
  const array = allocateInWasm(dtype, length);
  const block: Block = {
    tensors: 0,
    freed: false,
    watched: false,
    ptr: array.byteOffset,
    dtype,
    length,
  };
  blocks.set(array, block);
  // A buffer that no tensor ever adopts (a kernel's temporary) is freed with the scope. The finalizer
  // safety net is armed only for blocks that outlive their scope (`outliveScopes`): registering every
  // allocation cost ~8% of an eager lecture step.
  scopes[scopes.length - 1].push(new RawBuffer(array, block));
  return array;
}

/** A scope's entry for a buffer allocated in it. */
class RawBuffer {
  constructor(
    readonly array: TypedArray,
    private readonly block: Block,
  ) {}

  dispose(): void {
    if (!this.block.freed && this.block.tensors <= 0) freeBlock(this.block, this.array);
  }
}

/** Arms the finalizer safety net for `array`'s block (it outlives the scope that made it). */
function watchStorage(array: TypedArray): void {
  const block = blocks.get(array);
  if (block === undefined || block.freed || block.watched) return;
  block.watched = true;
  registry.register(array, block, block);
}

/** A scope entry leaves every scope alive: from now on only dispose() or the finalizer frees it. */
export function outliveScopes(entry: ScopedTensor): void {
  const array =
    entry instanceof RawBuffer ? entry.array : (entry as { storage?: TypedArray }).storage;
  if (array !== undefined) watchStorage(array);
}

/**
 * Switches where new tensor buffers come from (called by `setBackend`): the wasm pool when the
 * backend is wasm and its memory is shared, plain typed arrays otherwise. Returns whether pooled.
 */
export function usePool(on: boolean): boolean {
  const pooled = on && wasmMemoryIsShared();
  allocationHooks.allocator = pooled ? pooledAllocate : null;
  if (pooled) everPooled = true;
  return pooled;
}

/** A new tensor holds `storage` (called by the Tensor constructor). */
export function retainStorage(storage: TypedArray): void {
  if (!everPooled) return;
  const block = blocks.get(storage);
  if (block !== undefined) {
    block.tensors++;
    pooledTensors++;
  }
}

/** A tensor on `storage` was disposed: frees the block when no tensor or captured step holds it. */
export function releaseStorage(storage: TypedArray): void {
  if (!everPooled) return;
  const block = blocks.get(storage);
  if (block === undefined || block.freed) return;
  block.tensors--;
  pooledTensors--;
  if (block.tensors <= 0) freeBlock(block, storage);
}

/** Keeps `parent` (a pooled buffer) alive as long as `view` (a subarray of it) is reachable. */
export function tieView(view: TypedArray, parent: TypedArray): void {
  if (everPooled && blocks.has(parent)) parents.set(view, parent);
}

/** Whether `storage` is a pooled block that was freed (its tensor was disposed). */
export function isFreed(storage: TypedArray): boolean {
  if (!everPooled) return false;
  return blocks.get(storage)?.freed === true;
}

// ── scopes (tidy) ───────────────────────────────────────────────────────────────────────────────

/** What a scope tracks: tensors, and buffers no tensor holds (as far as this module needs to know). */
export interface ScopedTensor {
  dispose(): void;
}

const scopes: ScopedTensor[][] = [];
const kept = new WeakSet<ScopedTensor>();

/** Records a new tensor in the innermost `tidy` scope (called by the Tensor constructor). */
export function trackTensor(t: ScopedTensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1].push(t);
}

/** Opens a scope (tidy.ts). */
export function openScope(): void {
  scopes.push([]);
}

/**
 * Closes the innermost scope: disposes its tensors except those `spare(t)` says to keep, which move to
 * the enclosing scope (if any). Tensors marked with `keep` are never disposed by a scope.
 */
export function closeScope(spare: (t: ScopedTensor) => boolean): void {
  const tracked = scopes.pop() ?? [];
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of tracked) {
    if (kept.has(t)) outliveScopes(t);
    else if (spare(t)) {
      if (parent) parent.push(t);
      else outliveScopes(t);
    } else t.dispose();
  }
}

/** Closes the innermost scope and returns its tensors, disposing nothing (captured steps own them). */
export function takeScope(): ScopedTensor[] {
  return scopes.pop() ?? [];
}

/** Drops the innermost scope without disposing anything (its tensors move to the enclosing scope). */
export function abandonScope(): void {
  const tracked = scopes.pop() ?? [];
  if (scopes.length > 0) scopes[scopes.length - 1].push(...tracked);
  else for (const t of tracked) outliveScopes(t);
}

const grads = new WeakSet<ScopedTensor>();

/**
 * `t` became (`on`) or stopped being (`!on`) some leaf's `.grad`. A scope spares current gradients;
 * one dropped by `zeroGrad` joins the innermost scope, which disposes it at its end (so a loop of
 * `tidy` steps with `zeroGrad()` keeps its memory flat).
 */
export function markGrad(t: ScopedTensor, on: boolean): void {
  if (on) grads.add(t);
  else if (grads.delete(t)) trackTensor(t);
}

/** Whether `t` is some leaf's current `.grad`. */
export function isCurrentGrad(t: ScopedTensor): boolean {
  return grads.has(t);
}

/** Marks `t` so that no `tidy` scope disposes it (tfjs's `keep`); returns `t`. */
export function keep<T extends ScopedTensor>(t: T): T {
  kept.add(t);
  return t;
}

/** What `memoryInfo()` reports. */
export interface MemoryInfo {
  /** Live tensors whose storage is a pooled block of the kernel memory. */
  pooledTensors: number;
  /** Bytes in blocks that live tensors or captured steps use. */
  liveBytes: number;
  /** Bytes in free blocks, ready for reuse. */
  freeBytes: number;
  /** The size of the WebAssembly memory (it grows, never shrinks). */
  memoryBytes: number;
}

/**
 * How much of the kernel memory tensors use (tfjs's `tf.memory()`). All zero on the js backend until
 * the wasm backend was used.
 *
 * @example
 * ```ts
 * const info = memoryInfo();
 * info.liveBytes >= 0 && info.freeBytes >= 0; // true
 * ```
 */
export function memoryInfo(): MemoryInfo {
  if (!everPooled) return { pooledTensors: 0, liveBytes: 0, freeBytes: 0, memoryBytes: 0 };
  return { pooledTensors, ...wasmMemoryStats() };
}
