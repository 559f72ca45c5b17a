/**
 * A worker pool for the wasm kernels: each worker instantiates the same kernel module on the same
 * shared `WebAssembly.Memory`, and a large kernel call whose work splits into independent parts (rows
 * of a matmul's C, entries of a batched product, rows of softmax or layer norm, stretches of an
 * elementwise op) runs its parts at once — the calling thread computes the first part, the workers
 * the rest, all reading and writing the operands in place in the shared memory. A part is a list of
 * kernel calls (an export's id and its numeric arguments, written into the worker's call list in the
 * shared memory); hand-off is through a control block in that memory (Atomics.notify → wait, a few
 * µs), so the call stays synchronous. A worker claims its part's calls one at a time from a claim
 * word; the caller, its own part done, claims whatever its worker has not (a late or descheduled
 * worker), so it waits at most for the call in progress — row and elementwise parts are cut into
 * `CHUNKS` calls for that; calls sharing a part's scratch buffers are claimed whole.
 *
 * Where: Node (`worker_threads`), and browsers inside a dedicated Worker on a cross-origin-isolated
 * page (nested Workers from a Blob URL; `crossOriginIsolated` makes the memory shared). NOTE: not on
 * a page's main thread: the caller blocks in `Atomics.wait`, which the main thread may not do — run
 * training in a Worker (the web app does) and start the pool there. Everywhere else the pool
 * reports 1 thread and every kernel runs on the calling thread.
 *
 * Deterministic: every output element is computed by exactly one thread, by the same kernel in the
 * same order as on one thread (parts cut at whole rows, whole entries, or multiples of 64 elements,
 * so SIMD lane groups and scalar tails fall where they fall on one thread), so results are
 * bit-identical whatever the thread count (tested per kernel). Work below the thresholds
 * (`minMacs`, `minElements`) stays on the calling thread.
 */
import {
  allocateBytes,
  heapF64,
  type KernelExports,
  moduleOf,
  wasmMemory,
  wasmMemoryIsShared,
} from './runtime.js';

/** Control block per worker, in int32 words. */
const WORDS = 24;
// Word 0: generation posted by the caller (−1: stop). Word 2: which build (index into the pool's
// kernels: 0 plain, 1 relaxed); word 3: the byte address of the part's call list; word 4: its call
// count; word 5: 1 + the id of a call that threw on the worker (0: none). Word 6 (NEXT): the
// part's claim word, self-contained — bits 23…31 the generation (mod 2⁹, against ABA), bit 22
// "whole" (the calls share scratch buffers: one thread runs them all), bits 11…21 the call count,
// bits 0…10 the next call; whoever swaps it to the next index first (the worker, or the caller once
// its own part is done) runs that call, so a late or descheduled worker leaves the rest of its part
// to the caller, which waits at most for the one call in progress. A claim that succeeds is valid
// for the part the word describes (the caller rewrites the part only once every call is done).
// Word 7 (LEFT): calls of the part not yet finished (0: the part is done; the caller sleeps on it).
const FAILED = 5;
const NEXT = 6;
const LEFT = 7;
/**
 * Calls per part of `runParts`, `splitGrid` and Adam's split, so that a late worker's part can be
 * shared out.
 */
export const CHUNKS = 4;
/** Calls per part the claim word can index (2¹¹ − 1); a larger part runs on the calling thread. */
const MAX_CALLS = 2047;

/**
 * Claims calls from a claim word (see NEXT): returns [first, count] of the calls claimed, or null
 * when none is left. WORKER_LOOP holds the same function for the workers.
 */
function claim(ctl: Int32Array, next: number): [number, number] | null {
  for (;;) {
    const word = Atomics.load(ctl, next);
    const first = word & 2047;
    const count = (word >>> 11) & 2047;
    if (first >= count) return null;
    const step = (word >>> 22) & 1 ? count - first : 1;
    if (Atomics.compareExchange(ctl, next, word, word + step) === word) return [first, step];
  }
}

/**
 * The kernel exports a part may call; a call's id is its index here. A call list holds `STRIDE`
 * float64 per call: the id, then the arguments (float64 holds every i32 and f32 argument exactly,
 * so a worker passes the very numbers the caller would).
 */
const KERNELS = [
  'matmulF32',
  'smallBatchedF32',
  'softmaxRowsF32',
  'softmaxBackwardRowsF32',
  'layerNormF32',
  'layerNormBackwardF32',
  'unaryF32',
  'unaryBackwardF32',
  'tanhBackwardF32',
  'geluTanhBackwardF32',
  'binaryF32',
  'gather32',
  'adamMultiF32',
] as const;

/** A kernel export a worker can run. */
export type ThreadKernel = (typeof KERNELS)[number];

/** One kernel call of a part: the export and its arguments (pointers in bytes), in its order. */
export interface KernelCall {
  kernel: ThreadKernel;
  args: number[];
}

const KERNEL_ID = new Map<ThreadKernel, number>(KERNELS.map((name, id) => [name, id]));
/** Float64 slots per call: the id and up to 17 arguments (smallBatchedF32 has 17). */
const STRIDE = 18;

/**
 * Atomics.load polls before a thread sleeps in Atomics.wait: a worker keeps polling this long after
 * each part (the next product of a training step comes within ~100 µs; a wake-up from
 * Atomics.wait costs tens of µs), the caller while its worker finishes. About 120 µs here.
 */
const SPIN = 20000;

interface WorkerLike {
  terminate(): Promise<unknown> | undefined;
}

interface Pool {
  workers: WorkerLike[];
  controls: Int32Array[];
  /** Per worker: its call list's byte address and capacity (calls). */
  lists: { at: number; capacity: number }[];
  /** The builds the workers instantiated, in order (a caller's build index is its position). */
  kernels: KernelExports[];
  generation: number;
  minMacs: number;
  minElements: number;
  takeBack: boolean;
}

let pool: Pool | null = null;

/**
 * Default threshold: 2¹⁸ multiply-adds, about 12 µs of single-thread work (a hand-off to a polling
 * worker costs ~1 µs). Measured in one bench run, lecture MLP at batch 256, captured, 2 threads:
 * 1,730 steps/s at 2¹⁸ (every product of the step split), 1,497 at 2²¹ (the forward's and a few
 * backward products only), 1,418 on one thread; batch 32 (products under 2¹⁸) unchanged.
 */
export const DEFAULT_MIN_MACS = 1 << 18;

/**
 * Default threshold of the row and elementwise kernels, in element-equivalents (elements times the
 * kernel's relative cost: 1 for an add or a relu, more for softmax, layer norm, gelu): 2¹⁵, ~10 µs
 * of single-thread work for the cheapest kernels (about 0.3 ns per element).
 */
export const DEFAULT_MIN_ELEMENTS = 1 << 15;

/** Calls a worker's call list holds at first (grown by doubling when a part needs more). */
const LIST_CALLS = 64;

// The worker's loop, shared by the Node and the browser worker programs (evaluated from strings: no
// file to resolve in bundles). `ready` tells the caller the instances exist.
const WORKER_LOOP = `
// claim(), the same as the TypeScript function above.
function claim(ctl, next) {
  for (;;) {
    const word = Atomics.load(ctl, next);
    const first = word & 2047;
    const count = (word >>> 11) & 2047;
    if (first >= count) return null;
    const step = (word >>> 22) & 1 ? count - first : 1;
    if (Atomics.compareExchange(ctl, next, word, word + step) === word) return [first, step];
  }
}
function serve(modules, memory, control, ready) {
  const names = ${JSON.stringify(KERNELS)};
  const builds = modules.map((m) => {
    const exports = new WebAssembly.Instance(m, { env: { memory } }).exports;
    return names.map((name) => exports[name]);
  });
  const ctl = new Int32Array(memory.buffer, control, ${WORDS});
  // A view of the whole memory, renewed when a call list lies beyond it (the memory grew).
  let heap = new Float64Array(memory.buffer);
  ready();
  let seen = 0;
  for (;;) {
    for (let spin = 0; spin < ${SPIN} && Atomics.load(ctl, 0) === seen; spin++);
    Atomics.wait(ctl, 0, seen);
    const g = Atomics.load(ctl, 0);
    if (g < 0) break;
    if (g === seen) continue;
    seen = g;
    // Claim the part's calls one by one (the caller may take the rest back: see NEXT).
    for (let claimed = claim(ctl, ${NEXT}); claimed !== null; claimed = claim(ctl, ${NEXT})) {
      const [c, step] = claimed;
      let i = (ctl[3] >>> 3) + c * ${STRIDE};
      if ((i + step * ${STRIDE}) * 8 > heap.byteLength) heap = new Float64Array(memory.buffer);
      try {
        for (let k = 0; k < step; k++, i += ${STRIDE}) {
          // Arguments past a kernel's own are ignored by the call.
          builds[ctl[2]][heap[i]](heap[i + 1], heap[i + 2], heap[i + 3], heap[i + 4], heap[i + 5],
            heap[i + 6], heap[i + 7], heap[i + 8], heap[i + 9], heap[i + 10], heap[i + 11],
            heap[i + 12], heap[i + 13], heap[i + 14], heap[i + 15], heap[i + 16], heap[i + 17]);
        }
      } catch (error) {
        // A trap (say, an out-of-bounds pointer): report it, never leave the caller waiting.
        // (An id that is not a kernel's: a damaged call list; still a failure, never 0.)
        ctl[${FAILED}] = Number.isInteger(heap[i]) && heap[i] >= 0 ? heap[i] + 1 : 0x7fffffff;
      }
      if (Atomics.sub(ctl, ${LEFT}, step) === step) Atomics.notify(ctl, ${LEFT});
    }
  }
}
`;

/** Node: a CommonJS program for `new Worker(source, { eval: true, workerData })`. */
const NODE_WORKER = `${WORKER_LOOP}
const { parentPort, workerData } = require('node:worker_threads');
serve(workerData.modules, workerData.memory, workerData.control, () => parentPort.postMessage('ready'));
`;

/** Browser: a classic worker script; its first message carries the module(s), memory and control. */
const BROWSER_WORKER = `${WORKER_LOOP}
self.onmessage = (event) => {
  self.onmessage = null;
  const { modules, memory, control } = event.data;
  serve(modules, memory, control, () => self.postMessage('ready'));
};
`;

interface NodeWorker extends WorkerLike {
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
}

interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: boolean; workerData: unknown }) => NodeWorker;
}

function workerThreads(): WorkerThreadsModule | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  return process?.getBuiltinModule?.('node:worker_threads') as WorkerThreadsModule | undefined;
}

/** The parts of the browser's Worker, Blob and URL APIs used here (no DOM lib in this package). */
interface BrowserApi {
  Worker: new (
    url: string,
  ) => {
    postMessage(message: unknown): void;
    terminate(): void;
    onmessage: ((event: { data: unknown }) => void) | null;
    onerror: ((event: { message?: string }) => void) | null;
  };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string; revokeObjectURL(url: string): void };
}

/**
 * The browser Worker API when this thread may block in `Atomics.wait` and share memory with
 * workers: a dedicated Worker (not a page's main thread, not a shared or service worker) of a
 * cross-origin-isolated page. Null otherwise, with the reason in `browserThreadsUnavailable`.
 */
function browserWorkers(): BrowserApi | null {
  if (browserThreadsUnavailable() !== null) return null;
  const g = globalThis as unknown as BrowserApi;
  return { Worker: g.Worker, Blob: g.Blob, URL: g.URL };
}

/**
 * Why the browser path cannot start threads here, or null when it can (see `browserWorkers`).
 * Exported for the tests and for a page that wants to say why it runs single-threaded.
 */
export function browserThreadsUnavailable(): string | null {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    document?: unknown;
    Worker?: unknown;
    Blob?: unknown;
    DedicatedWorkerGlobalScope?: unknown;
  };
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function') {
    return 'this runtime has no Worker (nested Workers need a browser dedicated worker)';
  }
  if (g.document !== undefined) {
    return "a page's main thread may not block in Atomics.wait: start the threads inside a dedicated Worker";
  }
  if (typeof g.DedicatedWorkerGlobalScope !== 'function') {
    return 'threads need a dedicated Worker (not a shared or service worker)';
  }
  if (g.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp), so memory cannot be shared';
  }
  return null;
}

async function spawnNode(
  wt: WorkerThreadsModule,
  workerData: { modules: unknown[]; memory: unknown; control: number },
): Promise<WorkerLike> {
  const worker = new wt.Worker(NODE_WORKER, { eval: true, workerData });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return worker;
}

async function spawnBrowser(
  api: BrowserApi,
  url: string,
  data: { modules: unknown[]; memory: unknown; control: number },
): Promise<WorkerLike> {
  const worker = new api.Worker(url);
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = (event) => reject(new Error(`a wasm kernel worker failed: ${event.message}`));
    worker.postMessage(data);
  });
  worker.onmessage = null;
  worker.onerror = null;
  return {
    terminate: () => {
      worker.terminate();
      return undefined;
    },
  };
}

/** Thresholds of the pool (see `startWasmThreads`). */
export interface ThreadOptions {
  /** Matmuls of at least this many multiply-adds are split (default `DEFAULT_MIN_MACS`). */
  minMacs?: number;
  /**
   * Row and elementwise kernels of at least this many element-equivalents are split (default
   * `DEFAULT_MIN_ELEMENTS`).
   */
  minElements?: number;
}

/**
 * Starts `threads − 1` workers so the wasm kernels run on `threads` threads (the caller plus the
 * workers), for matmuls of at least `minMacs` multiply-adds and row or elementwise kernels of at
 * least `minElements` element-equivalents. `kernels` are the builds the workers must mirror (plain
 * and, where loaded, relaxed). Resolves to the thread count in use: 1 when the runtime cannot (no
 * worker_threads, memory not shared). Replaces a running pool.
 */
export async function startThreads(
  threads: number,
  kernels: KernelExports[],
  options: ThreadOptions & {
    /** false: never take a part back, wait for its worker (tests: every part runs on a worker). */
    takeBack?: boolean;
  } = {},
): Promise<number> {
  for (const key of ['minMacs', 'minElements'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${key} must be a non-negative number, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${String(threads)}`);
  }
  await stopThreads();
  const wt = workerThreads();
  const browser = wt ? null : browserWorkers();
  const memory = wasmMemory();
  const modules = kernels.map(moduleOf);
  if (
    threads === 1 ||
    (!wt && !browser) ||
    !memory ||
    !wasmMemoryIsShared() ||
    modules.some((m) => !m)
  ) {
    return 1;
  }
  const controls: Int32Array[] = [];
  const lists: { at: number; capacity: number }[] = [];
  const starting: Promise<WorkerLike>[] = [];
  const url = browser
    ? browser.URL.createObjectURL(new browser.Blob([BROWSER_WORKER], { type: 'text/javascript' }))
    : '';
  for (let w = 0; w < threads - 1; w++) {
    const control = allocateBytes(WORDS * 4, 'a worker control block');
    controls.push(new Int32Array(memory.buffer, control, WORDS));
    lists.push({
      at: allocateBytes(LIST_CALLS * STRIDE * 8, 'a worker call list'),
      capacity: LIST_CALLS,
    });
    const data = { modules, memory, control };
    starting.push(wt ? spawnNode(wt, data) : spawnBrowser(browser as BrowserApi, url, data));
  }
  const settled = await Promise.allSettled(starting);
  if (browser) browser.URL.revokeObjectURL(url);
  const workers: WorkerLike[] = [];
  for (const result of settled) if (result.status === 'fulfilled') workers.push(result.value);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw (failed as PromiseRejectedResult).reason;
  }
  pool = {
    workers,
    controls,
    lists,
    kernels,
    generation: 0,
    minMacs: options.minMacs ?? DEFAULT_MIN_MACS,
    minElements: options.minElements ?? DEFAULT_MIN_ELEMENTS,
    takeBack: options.takeBack ?? true,
  };
  stolen = 0;
  split = 0;
  return threads;
}

/** Stops the workers; the wasm kernels run on the calling thread again. */
export async function stopThreads(): Promise<void> {
  const running = pool;
  pool = null;
  if (!running) return;
  for (const control of running.controls) {
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
  }
  await Promise.all(running.workers.map((w) => w.terminate()));
}

/** Threads the wasm kernels use for large calls (1 without a pool). */
export function threadCount(): number {
  return pool ? pool.workers.length + 1 : 1;
}

/**
 * Row bounds of C per thread for an M×N·K product (whole micro-tiles of 4 rows), or null to run it
 * on the calling thread alone.
 */
export function splitRows(M: number, N: number, K: number): number[] | null {
  if (!pool || M * N * K < pool.minMacs) return null;
  const threads = pool.workers.length + 1;
  const tiles = Math.ceil(M / 4);
  if (tiles < threads) return null;
  const bounds = [0];
  for (let t = 1; t < threads; t++) bounds.push(Math.round((tiles * t) / threads) * 4);
  bounds.push(M);
  return bounds;
}

/**
 * How many parts to cut a call into: the pool's thread count when `work` (multiply-adds for
 * `'macs'`, element-equivalents for `'elements'`) reaches the pool's threshold and `kernels` is a
 * build the workers have, else 1 (run it as on one thread). No pool: 1, at the cost of one test.
 */
export function partsFor(kernels: KernelExports, work: number, unit: 'macs' | 'elements'): number {
  if (!pool) return 1;
  if (work < (unit === 'macs' ? pool.minMacs : pool.minElements)) return 1;
  if (!pool.kernels.includes(kernels)) return 1;
  return pool.workers.length + 1;
}

/**
 * Cut points splitting `rows × len` items (flattened, row-major) into `parts` near-equal pieces, each
 * cut at a column that is a multiple of `align` (or a row's start): `parts + 1` flattened indices
 * from 0 to rows·len. With `len` 1 it cuts rows; with `rows` 1, a run of elements.
 */
export function cuts(rows: number, len: number, parts: number, align: number): number[] {
  const total = rows * len;
  const at = [0];
  for (let t = 1; t < parts; t++) {
    const f = (total * t) / parts;
    const r = Math.floor(f / len);
    const c = Math.min(len, Math.round((f - r * len) / align) * align);
    at.push(Math.max(at[t - 1], Math.min(total, r * len + c)));
  }
  at.push(total);
  return at;
}

/**
 * The rectangles covering flattened items [from, to) of a grid `len` wide: [row, column, rows,
 * columns] — at most three (a partial first row, whole rows, a partial last row); a rectangle of more
 * than one row spans whole rows.
 */
export function pieces(from: number, to: number, len: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  let at = from;
  let r = Math.floor(at / len);
  const c = at - r * len;
  if (c > 0 && at < to) {
    const end = Math.min(to, (r + 1) * len);
    out.push([r, c, 1, end - at]);
    at = end;
    r++;
  }
  const whole = Math.floor((to - at) / len);
  if (whole > 0) {
    out.push([r, 0, whole, len]);
    at += whole * len;
    r += whole;
  }
  if (at < to) out.push([r, 0, 1, to - at]);
  return out;
}

/**
 * The parts of `total` independent units (rows, entries, elements) cut into `parts` near-equal runs
 * at multiples of `align` (64 for elementwise runs: SIMD groups and scalar tails then fall as on one
 * thread), each part `CHUNKS` calls `call(first, count)` (so a late worker's part can be shared out).
 */
export function runParts(
  total: number,
  parts: number,
  align: number,
  call: (first: number, count: number) => KernelCall,
): KernelCall[][] {
  const at = cuts(1, total, parts * CHUNKS, align);
  const runs = at.slice(1).map((end, r) => call(at[r], end - at[r]));
  return Array.from({ length: parts }, (_, t) => runs.slice(t * CHUNKS, (t + 1) * CHUNKS));
}

/** Runs `runParts(total, parts, align, call)`; one part is one direct call on this thread. */
export function splitRuns(
  kernels: KernelExports,
  total: number,
  parts: number,
  align: number,
  call: (first: number, count: number) => KernelCall,
): void {
  if (parts === 1) runCalls(kernels, [call(0, total)]);
  else parallel(kernels, runParts(total, parts, align, call));
}

/**
 * Runs a kernel over a `rows × len` grid cut into `parts` equal runs (at multiples of `align`
 * columns), each run up to three calls `call(row, column, rows, columns, part)` (see `pieces`).
 */
export function splitGrid(
  kernels: KernelExports,
  rows: number,
  len: number,
  parts: number,
  align: number,
  call: (row: number, column: number, rows: number, columns: number, part: number) => KernelCall,
  options: { sharedScratch?: boolean } = {},
): void {
  if (parts === 1) {
    if (rows * len > 0) runCalls(kernels, [call(0, 0, rows, len, 0)]);
    return;
  }
  // Parts sharing scratch (a buffer per part) are claimed whole: one run each.
  const chunks = options.sharedScratch ? 1 : CHUNKS;
  const at = cuts(rows, len, parts * chunks, align);
  const calls = (r: number, t: number) => pieces(at[r], at[r + 1], len).map((p) => call(...p, t));
  parallel(
    kernels,
    Array.from({ length: parts }, (_, t) =>
      Array.from({ length: chunks }, (_, k) => calls(t * chunks + k, t)).flat(),
    ),
    options,
  );
}

/** Runs a part's calls on this thread. */
function runCalls(kernels: KernelExports, calls: readonly KernelCall[]): void {
  for (const call of calls) {
    (kernels[call.kernel] as unknown as (...args: number[]) => void)(...call.args);
  }
}

/** Writes a part's calls into worker w's call list (grown when too short); returns its address. */
function writeCalls(p: Pool, w: number, calls: readonly KernelCall[]): number {
  const list = p.lists[w];
  if (calls.length > list.capacity) {
    // The old list is left behind (allocations are for good): doubling bounds what that wastes.
    const capacity = Math.max(calls.length, list.capacity * 2);
    list.at = allocateBytes(capacity * STRIDE * 8, 'a worker call list');
    list.capacity = capacity;
  }
  const heap = heapF64();
  let i = list.at >>> 3;
  for (const call of calls) {
    heap[i] = KERNEL_ID.get(call.kernel) as number;
    heap.set(call.args, i + 1);
    i += STRIDE;
  }
  return list.at;
}

/**
 * Runs `parts` (lists of kernel calls of build `kernels`, as many as `partsFor` said, or fewer) at
 * once: part 0 on the calling thread, part t on worker t − 1, whose calls the caller takes back one
 * by one when its worker has not claimed them (`sharedScratch`: the calls of a part share scratch
 * buffers, so a part is claimed whole). Returns when every part is done. The parts must touch
 * disjoint outputs.
 */
export function parallel(
  kernels: KernelExports,
  parts: readonly (readonly KernelCall[])[],
  options: { sharedScratch?: boolean } = {},
): void {
  const p = pool;
  if (parts.length === 1) {
    runCalls(kernels, parts[0]);
    return;
  }
  const build = p ? p.kernels.indexOf(kernels) : -1;
  if (
    !p ||
    build < 0 ||
    parts.length - 1 > p.workers.length ||
    parts.some((part) => part.length > MAX_CALLS)
  ) {
    for (const part of parts) runCalls(kernels, part);
    return;
  }
  // Kept below 2³¹ (a negative generation tells a worker to stop), never 0 (a worker's first `seen`).
  p.generation = (p.generation & 0x3fffffff) + 1;
  const generation = p.generation;
  split++;
  // Every call list first (writing one may grow the memory, or throw when it cannot), then the posts:
  // a throw here leaves no worker running.
  const lists = parts.map((part, t) => (t === 0 ? 0 : writeCalls(p, t - 1, part)));
  for (let t = 1; t < parts.length; t++) {
    const ctl = p.controls[t - 1];
    ctl[2] = build;
    ctl[3] = lists[t];
    ctl[4] = parts[t].length;
    Atomics.store(ctl, LEFT, parts[t].length);
    const whole = options.sharedScratch ? 1 << 22 : 0;
    Atomics.store(ctl, NEXT, ((generation & 511) << 23) | whole | (parts[t].length << 11));
    Atomics.store(ctl, 0, generation);
    Atomics.notify(ctl, 0);
  }
  // A trap on this thread must not leave a worker running into the next call: every part is
  // finished before anything is thrown.
  let error: unknown = null;
  const guarded = (calls: readonly KernelCall[]): void => {
    try {
      runCalls(kernels, calls);
    } catch (cause) {
      error ??= cause;
    }
  };
  guarded(parts[0]);
  for (let t = 1; t < parts.length; t++) {
    const ctl = p.controls[t - 1];
    const part = parts[t];
    // The calls its worker has not claimed yet (it is late: descheduled on a busy machine, or
    // still waking up) are taken back and run here, one by one from the same claim word: the same
    // calls on the same data, the same bits whoever runs them.
    for (let claimed = p.takeBack ? claim(ctl, NEXT) : null; claimed; claimed = claim(ctl, NEXT)) {
      const [c, step] = claimed;
      guarded(part.slice(c, c + step));
      stolen += step;
      Atomics.sub(ctl, LEFT, step);
    }
    for (let spin = 0; spin < SPIN && Atomics.load(ctl, LEFT) !== 0; spin++);
    for (;;) {
      const left = Atomics.load(ctl, LEFT);
      if (left === 0) break;
      Atomics.wait(ctl, LEFT, left);
    }
  }
  for (let t = 1; t < parts.length; t++) {
    const ctl = p.controls[t - 1];
    const failed = ctl[FAILED];
    if (failed === 0) continue;
    ctl[FAILED] = 0;
    error ??= new Error(
      `wasm thread pool: ${KERNELS[failed - 1] ?? 'a kernel call'} threw on worker ${t} (a trap: a pointer or size out of bounds); its output is incomplete`,
    );
  }
  if (error !== null) throw error;
}

/** Calls the calling thread took back from a late worker since the pool started (tests, bench). */
let stolen = 0;
/** Calls split over the pool since it started. */
let split = 0;

/** Sets the running pool's generation counter (tests: its wrap below 2³¹). */
export function setGenerationForTests(generation: number): void {
  if (pool) pool.generation = generation;
}

/** How many kernel calls ran split over the pool since it started (tests, bench). */
export function splitCalls(): number {
  return split;
}

/** How many calls of workers' parts the caller ran itself because their worker had not claimed them. */
export function stolenParts(): number {
  return stolen;
}
