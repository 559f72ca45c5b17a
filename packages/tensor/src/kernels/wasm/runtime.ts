/**
 * The WebAssembly side of the wasm backend: feature detection, the one kernel memory, its allocator,
 * and the compiled kernel instances. Everything here is created lazily on first use (no work on
 * import) and never throws out of `loadKernels`: a runtime without WebAssembly or SIMD gets a reason.
 *
 * Memory layout: [static data of the module | allocations (bump pointer, 64-byte aligned) …]. The
 * scratch arena the kernels pack into and copy operands into is one allocation, grown (doubling) when
 * a call needs more and reused by every later call, so the steady state allocates nothing.
 */
import type { DType, TypedArray } from '../../dtype.js';
import {
  MAXIMUM_PAGES,
  relaxedShared,
  relaxedUnshared,
  simdShared,
  simdUnshared,
} from './binary.generated.js';
import { type WasmMemory, type WasmModule, webAssembly } from './webassembly.js';

/** What the runtime's WebAssembly engine supports. */
export interface WasmFeatures {
  /** Fixed-width 128-bit SIMD (every current browser, Node ≥ 16). */
  simd: boolean;
  /** Relaxed SIMD, for fused multiply-add (Chromium ≥ 114; Node 20 needs `--experimental-wasm-relaxed-simd`). */
  relaxedSimd: boolean;
}

/** The kernels' exports (see wasm/index.ts). Pointers are byte offsets; sizes are elements. */
export interface KernelExports {
  heapBase(): number;
  unaryF32(op: number, x: number, out: number, n: number): void;
  binaryF32(
    op: number,
    a: number,
    aRow: number,
    sa: number,
    b: number,
    bRow: number,
    sb: number,
    out: number,
    rows: number,
    len: number,
  ): void;
  tanhBackwardF32(dy: number, y: number, dx: number, n: number): void;
  sumDimF32(x: number, outer: number, size: number, inner: number, out: number): void;
  /** Math.tanh, bit for bit (a port of V8's fdlibm tanh); exposed for the tests. */
  tanhF64(x: number): number;
  /** The two-lane tanh over float64 arrays (pointers in bytes); exposed for the tests. */
  tanhF64Array(x: number, out: number, n: number): void;
  packASize(M: number, K: number): number;
  packBSize(N: number, K: number): number;
  matmulF32(
    M: number,
    N: number,
    K: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    accumulate: number,
    pa: number,
    pb: number,
    edge: number,
  ): void;
}

// Tiny modules probing one instruction each (the same probes as the wasm-feature-detect package):
// () -> v128 { i8x16.popcnt(i8x16.splat(0)) } and { i8x16.relaxed_swizzle(splat 1, splat 2) }.
const SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
];
const RELAXED_SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15,
  65, 2, 253, 15, 253, 128, 2, 11,
];

function validates(bytes: number[]): boolean {
  try {
    const api = webAssembly();
    return api?.validate(new Uint8Array(bytes)) === true;
  } catch {
    return false;
  }
}

/**
 * Detects SIMD and relaxed SIMD by validating two tiny modules. Cheap (no compilation), and asked
 * afresh on every call, so a flag set at run time is seen.
 */
export function wasmFeatures(): WasmFeatures {
  const simd = validates(SIMD_PROBE);
  return { simd, relaxedSimd: simd && validates(RELAXED_SIMD_PROBE) };
}

function decodeBase64(text: string): Uint8Array {
  // atob exists in browsers, workers and Node ≥ 16: no Buffer, no file reads.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// ── the memory and its allocator ────────────────────────────────────────────────────────────────

const PAGE = 65536;
const ALIGN = 64;
/** Nothing is allocated below this byte (keeps address 0 and the module's static data free). */
const RESERVED = 1024;

let memory: WasmMemory | null = null;
let shared = false;
/** Every `memory.buffer` object handed out so far (a shared memory returns a new one after growth). */
const buffers = new WeakSet<ArrayBufferLike>();
/** First free byte. */
let top = RESERVED;
let scratchPtr = 0;
let scratchBytes = 0;
let f32View: Float32Array = new Float32Array(0);

const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

function createMemory(): void {
  if (memory) return;
  const api = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
  // A shared memory where the runtime allows one (Node always; browsers only on cross-origin isolated
  // pages): threads can work on it, and growing it never detaches existing views.
  if (typeof SharedArrayBuffer === 'function') {
    try {
      memory = new api.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
      shared = true;
    } catch {
      memory = null;
    }
  }
  if (!memory) {
    memory = new api.Memory({ initial: 1, maximum: MAXIMUM_PAGES });
    shared = false;
  }
  buffers.add(memory.buffer);
  f32View = new Float32Array(memory.buffer);
}

/** The kernel memory, or null before the wasm backend was first loaded. */
export function wasmMemory(): WasmMemory | null {
  return memory;
}

/** Whether the kernel memory is a shared memory (see `wasmMemory`). */
export function wasmMemoryIsShared(): boolean {
  return shared;
}

/** Grows the memory so that bytes [0, end) exist. Throws a RangeError naming the sizes when it cannot. */
function ensure(end: number, what: string): void {
  const mem = memory as WasmMemory;
  const have = mem.buffer.byteLength;
  if (end <= have) return;
  const limit = MAXIMUM_PAGES * PAGE;
  if (end > limit) {
    throw new RangeError(
      `wasm backend: out of memory: ${what} needs ${end - top} more bytes, but the WebAssembly memory cannot grow beyond ${limit} bytes (${MAXIMUM_PAGES} pages of 64 KiB); free tensors or use the js backend`,
    );
  }
  // Grow at least by half of what we have, so many small allocations do not grow page by page.
  const pages = Math.min(
    MAXIMUM_PAGES - have / PAGE,
    Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 2)),
  );
  try {
    mem.grow(pages);
  } catch (cause) {
    throw new RangeError(
      `wasm backend: out of memory: ${what} needs the WebAssembly memory to grow from ${have} to at least ${end} bytes, and the runtime refused (${String(cause)}); free tensors or use the js backend`,
    );
  }
  buffers.add(mem.buffer);
  f32View = new Float32Array(mem.buffer);
}

/** Allocates `bytes` (64-byte aligned) for good; returns the byte offset. */
export function allocateBytes(bytes: number, what: string): number {
  createMemory();
  const ptr = alignUp(top);
  ensure(ptr + bytes, what);
  top = ptr + bytes;
  return ptr;
}

/**
 * The scratch arena, at least `bytes` long; returns its byte offset. Reused across calls; when it must
 * grow and is the last allocation it grows in place, otherwise a new one (twice the size) is taken.
 * May grow the memory: take byte offsets of wasm-resident operands before calling it.
 */
export function scratch(bytes: number): number {
  if (bytes <= scratchBytes) return scratchPtr;
  const want = alignUp(Math.max(bytes, scratchBytes * 2, 1 << 16));
  if (scratchPtr !== 0 && scratchPtr + scratchBytes === top) {
    ensure(scratchPtr + want, `the kernel scratch arena (${want} bytes)`);
    top = scratchPtr + want;
  } else {
    scratchPtr = allocateBytes(want, `the kernel scratch arena (${want} bytes)`);
  }
  scratchBytes = want;
  return scratchPtr;
}

/** A Float32Array over the whole memory, current after any growth. */
export function heapF32(): Float32Array {
  const buffer = (memory as WasmMemory).buffer;
  if (f32View.buffer !== buffer) {
    buffers.add(buffer);
    f32View = new Float32Array(buffer);
  }
  return f32View;
}

/**
 * Whether `array` is a view on the kernel memory whose byte offset is valid now. A shared memory keeps
 * every older buffer object valid (growth only lengthens the memory); a non-shared one detaches them.
 */
export function inWasm(array: TypedArray): boolean {
  if (!memory) return false;
  const buffer = array.buffer;
  return buffer === memory.buffer || (shared && buffers.has(buffer));
}

/**
 * A typed array of `length` elements living in the kernel memory, zero-filled. Kernels read and write
 * it in place (no copy in or out).
 *
 * NOTE: the memory is never freed yet (a bump allocator), and a non-shared memory (a browser page that
 * is not cross-origin isolated) detaches every view when it grows — re-create views after any call
 * that may allocate. A shared memory (Node, isolated pages) never detaches views.
 */
export function allocateInWasm(dtype: DType, length: number): TypedArray {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(
      `allocateInWasm(): length must be a non-negative integer, got ${String(length)}`,
    );
  }
  const bytesPer = dtype === 'float64' ? 8 : 4;
  const what = `a ${dtype} tensor of ${length} elements`;
  const ptr = allocateBytes(length * bytesPer, what);
  const buffer = (memory as WasmMemory).buffer;
  // Fresh memory is zero (never written: the bump pointer never goes back).
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, ptr, length);
    case 'float64':
      return new Float64Array(buffer, ptr, length);
    case 'int32':
      return new Int32Array(buffer, ptr, length);
  }
}

// ── instances ───────────────────────────────────────────────────────────────────────────────────

const instances = new Map<string, KernelExports>();
const modules = new WeakMap<KernelExports, WasmModule>();

/** The compiled module behind a kernel instance (worker threads instantiate it on the same memory). */
export function moduleOf(kernels: KernelExports): WasmModule | undefined {
  return modules.get(kernels);
}

/**
 * The kernels compiled for this runtime (`relaxed`: the fused multiply-add build), or the reason they
 * cannot run. Never throws.
 */
export function loadKernels(relaxed: boolean): KernelExports | { error: string } {
  const api = webAssembly();
  if (api === undefined || typeof api.Module !== 'function') {
    return { error: 'this runtime has no WebAssembly' };
  }
  const features = wasmFeatures();
  if (!features.simd) return { error: 'this runtime has WebAssembly but not SIMD128' };
  if (relaxed && !features.relaxedSimd) {
    return {
      error:
        'this runtime has no relaxed SIMD (Node 20: run with --experimental-wasm-relaxed-simd; or load without relaxedSimd)',
    };
  }
  try {
    createMemory();
    const name = `${relaxed ? 'relaxed' : 'simd'}${shared ? 'Shared' : 'Unshared'}`;
    const cached = instances.get(name);
    if (cached) return cached;
    const base64 = relaxed
      ? shared
        ? relaxedShared
        : relaxedUnshared
      : shared
        ? simdShared
        : simdUnshared;
    const module = new api.Module(decodeBase64(base64));
    const instance = new api.Instance(module, { env: { memory } });
    const kernels = instance.exports as unknown as KernelExports;
    if (kernels.heapBase() > RESERVED) {
      return { error: `the kernels' static data (${kernels.heapBase()} bytes) overlaps the heap` };
    }
    instances.set(name, kernels);
    modules.set(kernels, module);
    return kernels;
  } catch (cause) {
    return { error: `the WebAssembly kernels failed to load: ${String(cause)}` };
  }
}
