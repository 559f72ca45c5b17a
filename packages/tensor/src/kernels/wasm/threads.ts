/**
 * A worker-thread pool for the wasm matmul (Node only, for now): each worker instantiates the same
 * kernel module on the same shared `WebAssembly.Memory`, and a large product is split by rows of C —
 * the calling thread computes the first part, the workers the rest, all reading the operands and
 * writing C in place in the shared memory. Hand-off is through a control block in that memory
 * (Atomics.notify → wait, a few µs), so the call stays synchronous.
 *
 * Deterministic: every element of C is computed by exactly one thread, by the same kernel, with the
 * same K blocking and summation order as on one thread, so results are bit-identical whatever the
 * thread count (tested). Products below `minMacs` multiply-adds stay on the calling thread.
 *
 * NOTE: browsers are not supported yet: the calling thread blocks in `Atomics.wait`, which a page's
 * main thread may not do (a worker may), and the workers would be module Workers, not worker_threads.
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
// Word 0: generation posted by the caller (−1: stop); word 1: generation the worker finished.
// Words 2…: the matmulF32 arguments, then which build (0 plain, 1 relaxed).

interface WorkerLike {
  terminate(): Promise<number>;
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
}

interface Pool {
  workers: WorkerLike[];
  controls: Int32Array[];
  generation: number;
  minMacs: number;
}

let pool: Pool | null = null;

/** Default threshold: about 100 µs of single-thread work (measured hand-off: ~4 µs). */
export const DEFAULT_MIN_MACS = 1 << 21;

// The worker's whole program (CommonJS, evaluated from this string: no file to resolve in bundles).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { modules, memory, control } = workerData;
const kernels = modules.map((m) => new WebAssembly.Instance(m, { env: { memory } }).exports);
const ctl = new Int32Array(memory.buffer, control, ${WORDS});
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  const g = Atomics.load(ctl, 0);
  if (g < 0) break;
  if (g === seen) continue;
  seen = g;
  kernels[ctl[16]].matmulF32(ctl[2], ctl[3], ctl[4], ctl[5], ctl[6], ctl[7], ctl[8], ctl[9], ctl[10],
    ctl[11], ctl[12], ctl[13], ctl[14], ctl[15]);
  Atomics.store(ctl, 1, g);
  Atomics.notify(ctl, 1);
}
`;

interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: boolean; workerData: unknown }) => WorkerLike;
}

function workerThreads(): WorkerThreadsModule | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  return process?.getBuiltinModule?.('node:worker_threads') as WorkerThreadsModule | undefined;
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
  const memory = wasmMemory();
  const modules = kernels.map(moduleOf);
  if (threads === 1 || !wt || !memory || !wasmMemoryIsShared() || modules.some((m) => !m)) {
    return 1;
  }
  const workers: WorkerLike[] = [];
  const controls: Int32Array[] = [];
  const ready: Promise<unknown>[] = [];
  for (let w = 0; w < threads - 1; w++) {
    const control = allocateBytes(WORDS * 4, 'a worker control block');
    controls.push(new Int32Array(memory.buffer, control, WORDS));
    const worker = new wt.Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modules, memory, control },
    });
    ready.push(
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
    );
    workers.push(worker);
  }
  await Promise.all(ready);
  pool = { workers, controls, generation: 0, minMacs: options.minMacs ?? DEFAULT_MIN_MACS };
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
    for (;;) {
      const done = Atomics.load(ctl, 1);
      if (done === generation) break;
      Atomics.wait(ctl, 1, done);
    }
  }
}
