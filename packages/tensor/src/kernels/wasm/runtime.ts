/**
 * The WebAssembly side of the wasm backend: feature detection, the one kernel memory, its allocator,
 * and the compiled kernel instances. Everything here is created lazily on first use (no work on
 * import) and never throws out of `loadKernels`: a runtime without WebAssembly or SIMD gets a reason.
 *
 * Memory layout: [static data of the module | allocations (bump pointer, 64-byte aligned) …]. The
 * scratch arena the kernels pack into and copy operands into is one allocation, grown (doubling) when
 * a call needs more and reused by every later call, so the steady state allocates nothing. Tensor
 * storage (`allocateInWasm`) comes in size classes with free lists (`freeInWasm`), so freed blocks
 * are reused.
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
  layerNormF32(
    x: number,
    rows: number,
    n: number,
    w: number,
    b: number,
    eps: number,
    out: number,
    mean: number,
    rstd: number,
  ): void;
  layerNormBackwardF32(
    dy: number,
    x: number,
    mean: number,
    rstd: number,
    w: number,
    rows: number,
    n: number,
    dx: number,
    dw: number,
    dbias: number,
    acc: number,
  ): void;
  gather32(
    x: number,
    n0: number,
    n1: number,
    n2: number,
    n3: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
    out: number,
  ): void;
  scatter32(
    src: number,
    x: number,
    n0: number,
    n1: number,
    n2: number,
    n3: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
  ): void;
  smallBatchedF32(
    n0: number,
    n1: number,
    M: number,
    N: number,
    K: number,
    a: number,
    a0: number,
    a1: number,
    ar: number,
    ac: number,
    b: number,
    b0: number,
    b1: number,
    br: number,
    bc: number,
    c: number,
    panel: number,
  ): void;
  maskedFillF32(x: number, n: number, mask: number, period: number, value: number): void;
  /** dx = dy·GELU'(x), the tanh approximation, float32 lanes. */
  geluTanhBackwardF32(dy: number, x: number, dx: number, n: number): void;
  /** exp in float32 lanes (softmax's and cross-entropy's exp), exported for the accuracy tests. */
  expF32(x: number, out: number, n: number): void;
  /** op: 1 sigmoid, 2 relu, 3 sqrtOrZero. */
  unaryBackwardF32(op: number, dy: number, y: number, dx: number, n: number): void;
  /** op: 0 assign, 1 add, 2 mul, 3 div. */
  updateF32(op: number, t: number, v: number, n: number, alpha: number): void;
  gatherRowsBytes(src: number, rows: number, count: number, rowBytes: number, out: number): void;
  scatterAddRowsF32(src: number, rows: number, count: number, rowSize: number, out: number): void;
  crossEntropyRowsF32(
    x: number,
    rows: number,
    C: number,
    targets: number,
    ignoreIndex: number,
    expShifted: number,
    inverseSum: number,
    rowStats: number,
  ): void;
  crossEntropyBackwardF32(
    dLoss: number,
    perRow: number,
    shared: number,
    rows: number,
    C: number,
    targets: number,
    ignoreIndex: number,
    off: number,
    on: number,
    expShifted: number,
    inverseSum: number,
    dx: number,
  ): void;
  softmaxRowsF32(
    x: number,
    rows: number,
    size: number,
    out: number,
    log: number,
    stats: number,
  ): void;
  softmaxBackwardRowsF32(
    dy: number,
    y: number,
    dx: number,
    rows: number,
    size: number,
    log: number,
  ): void;
  sgdF32(
    w: number,
    dw: number,
    buffer: number,
    n: number,
    lr: number,
    momentum: number,
    dampening: number,
    weightDecay: number,
    nesterov: number,
    first: number,
  ): void;
  adamF32(
    w: number,
    dw: number,
    m: number,
    v: number,
    n: number,
    beta1: number,
    beta2: number,
    eps: number,
    stepSize: number,
    bias2Sqrt: number,
    decay: number,
    l2: number,
    decoupled: number,
  ): void;
  /** adamF32 over a table of count × 5 i32 (w, dw, m, v, n). */
  adamMultiF32(
    table: number,
    count: number,
    beta1: number,
    beta2: number,
    eps: number,
    stepSize: number,
    bias2Sqrt: number,
    decay: number,
    l2: number,
    decoupled: number,
  ): void;
  sumDimF32(x: number, outer: number, size: number, inner: number, out: number): void;
  zeroBytes(ptr: number, bytes: number): void;
  fill32(ptr: number, n: number, bits: number): void;
  fill64(ptr: number, n: number, value: number): void;
  /** Element types: 0 float32, 1 float64, 2 int32. */
  castElements(src: number, from: number, dst: number, to: number, n: number): void;
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
let f64View: Float64Array = new Float64Array(0);
let i32View: Int32Array = new Int32Array(0);

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
  heapF32();
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
  heapF32();
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
    f64View = new Float64Array(buffer);
    i32View = new Int32Array(buffer);
  }
  return f32View;
}

/** A Float64Array over the whole memory, current after any growth. */
export function heapF64(): Float64Array {
  heapF32();
  return f64View;
}

/** An Int32Array over the whole memory, current after any growth. */
export function heapI32(): Int32Array {
  heapF32();
  return i32View;
}

/** A view of the whole memory with `array`'s element type, current after any growth. */
export function heapLike(array: TypedArray): TypedArray {
  heapF32();
  if (array instanceof Float32Array) return f32View;
  if (array instanceof Float64Array) return f64View;
  return i32View;
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

// ── tensors in the kernel memory: allocate, free, reuse ─────────────────────────────────────────

/**
 * Size classes: allocations are rounded up to 64 bytes · {1, 1.5} · 2^k (64, 96, 128, 192, 256, …), so
 * a freed block serves any later request of its class and at most a third of a block is slack.
 * Class c has (64 << (c >> 1)) · (c odd ? 1.5 : 1) bytes.
 */
function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return 0;
  // 64·2^power is the power-of-two class at or above `bytes`; one class down (1.5 × the half) when
  // that fits too.
  const power = 32 - Math.clz32(Math.ceil(bytes / ALIGN) - 1);
  return bytes <= ALIGN * 1.5 * 2 ** (power - 1) ? 2 * power - 1 : 2 * power;
}

function classBytes(c: number): number {
  const power = ALIGN * 2 ** (c >> 1);
  return c & 1 ? power * 1.5 : power;
}

/** Free blocks per size class (byte offsets), reused last-in first-out. */
const freeLists: number[][] = [];
/** Live blocks from `allocateInWasm`: byte offset → size class. */
const live = new Map<number, number>();

function elementBytes(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

function view(dtype: DType, ptr: number, length: number): TypedArray {
  const buffer = (memory as WasmMemory).buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, ptr, length);
    case 'float64':
      return new Float64Array(buffer, ptr, length);
    case 'int32':
      return new Int32Array(buffer, ptr, length);
  }
}

/**
 * A typed array of `length` elements living in the kernel memory, zero-filled (`{ zeroed: false }`
 * skips the zeroing of a reused block, for an output a kernel overwrites whole). Kernels read and
 * write it in place (no copy in or out). Give it back with `freeInWasm` when done: its block is then reused
 * by the next allocation of the same size class (sizes round up to 64 · {1, 1.5} · 2^k bytes), so a
 * training loop that frees what it allocates keeps the memory flat.
 *
 * NOTE: a non-shared memory (a browser page that is not cross-origin isolated) detaches every view
 * when it grows — re-create views after any call that may allocate. A shared memory (Node, isolated
 * pages) never detaches views. The memory itself never shrinks (WebAssembly cannot).
 */
export function allocateInWasm(
  dtype: DType,
  length: number,
  options: { zeroed?: boolean } = {},
): TypedArray {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(
      `allocateInWasm(): length must be a non-negative integer, got ${String(length)}`,
    );
  }
  createMemory();
  const c = sizeClass(Math.max(1, length * elementBytes(dtype)));
  const reused = freeLists[c]?.pop();
  if (reused !== undefined) {
    live.set(reused, c);
    const array = view(dtype, reused, length);
    // Only the requested elements: the block's slack is zeroed by whoever asks for it. A wasm
    // memset: TypedArray.fill on a SharedArrayBuffer is several times slower.
    if (options.zeroed !== false) {
      if (zeroer) zeroer.zeroBytes(reused, length * elementBytes(dtype));
      else array.fill(0);
    }
    return array;
  }
  // Fresh memory is zero (the bump pointer never goes back).
  const ptr = allocateBytes(classBytes(c), `a ${dtype} tensor of ${length} elements`);
  live.set(ptr, c);
  return view(dtype, ptr, length);
}

/**
 * Returns an array from `allocateInWasm` to the allocator; its block is reused by a later allocation,
 * so the array (and every view on the same block) must not be used afterwards. Throws a `TypeError`
 * for an array that `allocateInWasm` did not return or that was already freed (a double free would
 * hand one block to two tensors).
 */
export function freeInWasm(array: TypedArray): void {
  const ptr = array.byteOffset;
  const c = inWasm(array) ? live.get(ptr) : undefined;
  if (c === undefined) {
    throw new TypeError(
      `freeInWasm(): this ${array.constructor.name} of ${array.length} elements ${inWasm(array) ? `(at byte ${ptr}) was not returned by allocateInWasm, or was already freed` : 'does not live in the wasm kernel memory'}; free each array from allocateInWasm exactly once`,
    );
  }
  live.delete(ptr);
  if (!freeLists[c]) freeLists[c] = [];
  freeLists[c].push(ptr);
}

/** What the allocator holds: bytes in live arrays, bytes in free blocks, and the memory's size. */
export function wasmMemoryStats(): { liveBytes: number; freeBytes: number; memoryBytes: number } {
  let liveBytes = 0;
  for (const c of live.values()) liveBytes += classBytes(c);
  let freeBytes = 0;
  freeLists.forEach((list, c) => {
    freeBytes += list.length * classBytes(c);
  });
  return { liveBytes, freeBytes, memoryBytes: memory ? memory.buffer.byteLength : 0 };
}

// ── instances ───────────────────────────────────────────────────────────────────────────────────

const instances = new Map<string, KernelExports>();
/** Any loaded instance, for the allocator's memset (null before the first `loadKernels`). */
let zeroer: KernelExports | null = null;
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
    zeroer ??= kernels;
    return kernels;
  } catch (cause) {
    return { error: `the WebAssembly kernels failed to load: ${String(cause)}` };
  }
}
