/**
 * A worker pool for the wasm matmul: each worker instantiates the same kernel module on the same
 * shared `WebAssembly.Memory`, and a large product is split by rows of C — the calling thread
 * computes the first part, the workers the rest, all reading the operands and writing C in place in
 * the shared memory. Hand-off is through a control block in that memory (Atomics.notify → wait, a
 * few µs), so the call stays synchronous.
 *
 * Where: Node (`worker_threads`), and browsers inside a dedicated Worker on a cross-origin-isolated
 * page (nested Workers from a Blob URL; `crossOriginIsolated` makes the memory shared). NOTE: not on
 * a page's main thread: the caller blocks in `Atomics.wait`, which the main thread may not do — run
 * training in a Worker (the web app does) and start the pool there. Everywhere else the pool
 * reports 1 thread and the matmul runs on the calling thread.
 *
 * Deterministic: every element of C is computed by exactly one thread, by the same kernel, with the
 * same K blocking and summation order as on one thread, so results are bit-identical whatever the
 * thread count (tested). Products below `minMacs` multiply-adds stay on the calling thread.
 */
import {
  allocateBytes,
  type KernelExports,
  moduleOf,
  wasmMemory,
  wasmMemoryIsShared,
} from './runtime.js';

/** Control block per worker, in int32 words. */
const WORDS = 24;
// Word 0: generation posted by the caller (−1: stop); word 1: generation finished (by the worker,
// or by the caller when it took the part back); word 17: the claim — the caller sets it to the
// generation, and whoever swaps it to −generation first (the worker on waking, or the caller once
// its own part is done) computes the part. Words 2…16: the matmulF32 arguments, then which build
// (0 plain, 1 relaxed).
const CLAIM = 17;

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
  generation: number;
  minMacs: number;
}

let pool: Pool | null = null;

/**
 * Default threshold: 2¹⁸ multiply-adds, about 12 µs of single-thread work (a hand-off to a polling
 * worker costs ~1 µs). Measured in one bench run, lecture MLP at batch 256, captured, 2 threads:
 * 1,730 steps/s at 2¹⁸ (every product of the step split), 1,497 at 2²¹ (the forward's and a few
 * backward products only), 1,418 on one thread; batch 32 (products under 2¹⁸) unchanged.
 */
export const DEFAULT_MIN_MACS = 1 << 18;

// The worker's loop, shared by the Node and the browser worker programs (evaluated from strings: no
// file to resolve in bundles). `ready` tells the caller the instances exist.
const WORKER_LOOP = `
function serve(modules, memory, control, ready) {
  const kernels = modules.map((m) => new WebAssembly.Instance(m, { env: { memory } }).exports);
  const ctl = new Int32Array(memory.buffer, control, ${WORDS});
  ready();
  let seen = 0;
  for (;;) {
    for (let spin = 0; spin < ${SPIN} && Atomics.load(ctl, 0) === seen; spin++);
    Atomics.wait(ctl, 0, seen);
    const g = Atomics.load(ctl, 0);
    if (g < 0) break;
    if (g === seen) continue;
    seen = g;
    // The caller may have taken the part back (this thread was late): then there is nothing to do.
    if (Atomics.compareExchange(ctl, ${CLAIM}, g, -g) !== g) continue;
    kernels[ctl[16]].matmulF32(ctl[2], ctl[3], ctl[4], ctl[5], ctl[6], ctl[7], ctl[8], ctl[9],
      ctl[10], ctl[11], ctl[12], ctl[13], ctl[14], ctl[15]);
    Atomics.store(ctl, 1, g);
    Atomics.notify(ctl, 1);
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
    worker.onerror = (event) => reject(new Error(`a wasm matmul worker failed: ${event.message}`));
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

/**
 * Starts `threads − 1` workers so the wasm matmul runs on `threads` threads (the caller plus the
 * workers), for products of at least `minMacs` multiply-adds. `kernels` are the builds the workers
 * must mirror (plain and, where loaded, relaxed). Resolves to the thread count in use: 1 when the
 * runtime cannot (no worker_threads, memory not shared). Replaces a running pool.
 */
export async function startThreads(
  threads: number,
  kernels: KernelExports[],
  options: { minMacs?: number } = {},
): Promise<number> {
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
  const starting: Promise<WorkerLike>[] = [];
  const url = browser
    ? browser.URL.createObjectURL(new browser.Blob([BROWSER_WORKER], { type: 'text/javascript' }))
    : '';
  for (let w = 0; w < threads - 1; w++) {
    const control = allocateBytes(WORDS * 4, 'a worker control block');
    controls.push(new Int32Array(memory.buffer, control, WORDS));
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
  pool = { workers, controls, generation: 0, minMacs: options.minMacs ?? DEFAULT_MIN_MACS };
  stolen = 0;
  return threads;
}

/** Stops the workers; the wasm matmul runs on the calling thread again. */
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

/** Threads the wasm matmul uses for large products (1 without a pool). */
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
 * Runs matmulF32 with C's rows split at `bounds` (from `splitRows`) over the pool; `buffers[t]` are
 * thread t's own packing buffers [pa, pb, edge]. Returns when every thread is done.
 */
export function parallelMatmul(
  kernels: KernelExports,
  relaxed: boolean,
  args: {
    M: number;
    N: number;
    K: number;
    a: number;
    ars: number;
    acs: number;
    b: number;
    brs: number;
    bcs: number;
    c: number;
    accumulate: number;
  },
  bounds: number[],
  buffers: [number, number, number][],
): void {
  const p = pool as Pool;
  const generation = ++p.generation;
  for (let t = 1; t < bounds.length - 1; t++) {
    const rows = bounds[t + 1] - bounds[t];
    const ctl = p.controls[t - 1];
    const [pa, pb, edge] = buffers[t];
    ctl.set(
      [
        rows,
        args.N,
        args.K,
        args.a + bounds[t] * args.ars * 4,
        args.ars,
        args.acs,
        args.b,
        args.brs,
        args.bcs,
        args.c + bounds[t] * args.N * 4,
        args.accumulate,
        pa,
        pb,
        edge,
        relaxed ? 1 : 0,
      ],
      2,
    );
    Atomics.store(ctl, CLAIM, generation);
    Atomics.store(ctl, 0, generation);
    Atomics.notify(ctl, 0);
  }
  const [pa, pb, edge] = buffers[0];
  kernels.matmulF32(
    bounds[1],
    args.N,
    args.K,
    args.a,
    args.ars,
    args.acs,
    args.b,
    args.brs,
    args.bcs,
    args.c,
    args.accumulate,
    pa,
    pb,
    edge,
  );
  for (let t = 1; t < bounds.length - 1; t++) {
    const ctl = p.controls[t - 1];
    // A part its worker has not started yet (descheduled on a busy machine, or still waking up) is
    // taken back and computed here: never slower than one thread by more than the hand-off. The
    // same kernel on the same rows with the same blocking: the same bits whoever computes it.
    if (Atomics.compareExchange(ctl, CLAIM, generation, -generation) === generation) {
      const [pa, pb, edge] = buffers[t];
      kernels.matmulF32(
        ctl[2],
        ctl[3],
        ctl[4],
        ctl[5],
        ctl[6],
        ctl[7],
        ctl[8],
        ctl[9],
        ctl[10],
        ctl[11],
        ctl[12],
        pa,
        pb,
        edge,
      );
      stolen++;
      continue;
    }
    for (let spin = 0; spin < SPIN && Atomics.load(ctl, 1) !== generation; spin++);
    for (;;) {
      const done = Atomics.load(ctl, 1);
      if (done === generation) break;
      Atomics.wait(ctl, 1, done);
    }
  }
}

/** Parts the calling thread took back from a late worker since the pool started (tests, bench). */
let stolen = 0;

/** How many parts the caller computed itself because their worker had not started them. */
export function stolenParts(): number {
  return stolen;
}
