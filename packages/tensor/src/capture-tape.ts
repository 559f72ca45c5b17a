/**
 * The recording side of captured steps (`captureStep` in capture.ts), kept below the ops so that the
 * ops, the autograd and nn can mark what a replay must re-run without importing the `Tensor` class.
 *
 * While a step is captured, every backend kernel call is appended to a tape as `(kernel, arguments)`;
 * a replay calls the same kernels with the same arguments (the same typed arrays: the planned buffers)
 * in the same order. Three kinds of entries besides kernel calls keep a replay equal to an eager step:
 * - **zero-fill**: a buffer allocated during the capture starts at zero (the allocator zero-fills);
 *   when its first kernel use finds it still all zero, the tape re-zeroes it at that point, so a
 *   kernel that accumulates into it (scatter-add, matmul with accumulate) sees zero again — unless
 *   that first use is a kernel that overwrites it whole (`PURE_OUTPUT`). A buffer that JavaScript
 *   filled before its first kernel use (a constant such as `arange`) is left alone.
 * - **eager islands** (`replayEagerly(fn)`): work that reads JavaScript state or computes in
 *   JavaScript from tensor values — index validation and row offsets, the fused loss's count of
 *   non-ignored rows, an optimizer's learning rate and step counter — runs `fn` now and again, eagerly,
 *   at that point of every replay. Kernel calls inside an island are not recorded (they re-run with it).
 * - **grad assignments**: `p.grad = …` done by backward() (a fresh gradient) or `zeroGrad` (null) is
 *   replayed too, so after a replay every `.grad` is what the eager step would have left.
 */
import { allocationHooks, type TypedArray } from './dtype.js';
import type { Backend } from './kernels/backend.js';

/** Misuse of a captured step: another input shape or dtype, a value read inside the capture, … */
export class CaptureError extends Error {
  override name = 'CaptureError';
}

/** One tape entry: a function and its arguments (kernel calls, zero-fills and islands alike). */
export interface TapeEntry {
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  /** The kernel's name, for error messages and `CapturedStep.kernels`. */
  readonly name: string;
}

interface Recording {
  readonly entries: TapeEntry[];
  /** Buffers allocated during the capture whose first kernel use is still ahead. */
  readonly fresh: Set<TypedArray>;
  /** Every typed array a recorded kernel received (held by the tape; pinned in the pool). */
  readonly buffers: Set<TypedArray>;
  /** Nesting depth of eager islands (inside one, nothing is recorded). */
  islandDepth: number;
  /** The real backend (the recording proxy forwards to it). */
  readonly real: Backend;
  /** The tape's zero-fill, through the real backend's `fill`. */
  readonly zeroFill: (array: TypedArray) => void;
  /** Installs `backend` as the current one (backend.ts's setter, passed in to avoid a cycle). */
  readonly install: (backend: Backend) => void;
  proxy: Backend;
}

let recording: Recording | null = null;

/** Whether a step is being captured right now (outside an eager island). */
export function isCapturing(): boolean {
  return recording !== null && recording.islandDepth === 0;
}

/**
 * Re-zeroes a planned buffer with the backend's `fill` (the wasm memset for buffers in the kernel
 * memory: `TypedArray.fill` on a SharedArrayBuffer took ~60 µs for the 98,304 floats of a transformer's
 * split backward).
 */
function zeroFillWith(real: Backend): (array: TypedArray) => void {
  return (array) => real.fill(array, 0, array.length, 0);
}

function allZero(array: TypedArray): boolean {
  for (let i = 0; i < array.length; i++) if (array[i] !== 0) return false;
  return true;
}

/** Set as `allocationHooks.watch` while a capture is on: every new buffer is a planned buffer. */
function noteAllocation(array: TypedArray): void {
  if (recording !== null && recording.islandDepth === 0) recording.fresh.add(array);
}

/**
 * Kernels that write every element of one argument without reading it (the argument's index): a
 * fresh buffer whose first use is that argument needs no zero-fill on replay (measured: the fills
 * were ~5% of a replayed lecture step). Any other kernel gets the conservative zero-fill.
 */
const PURE_OUTPUT: Readonly<Record<string, number | readonly number[]>> = {
  unaryContiguous: 3,
  binaryStrided: 7,
  gatherStrided: 4,
  cast: 2,
  clamp: 1,
  clampBackward: 2,
  unaryBackward: 3,
  reduceDim: 5,
  softmax: 2,
  softmaxBackward: 2,
  gatherRows: 4,
  matmul: 11,
  matmulBatched: 14,
  layerNorm: [6, 7, 8],
  layerNormBackward: [7, 8, 9],
};

function pureOutput(kernel: string, args: readonly unknown[], index: number): boolean {
  const pure = PURE_OUTPUT[kernel];
  if (pure === undefined || (typeof pure === 'number' ? pure !== index : !pure.includes(index))) {
    return false;
  }
  if (kernel === 'matmul' && args[13]) return false; // accumulate: C += A·B reads C
  // Also an input of the same call (in place): its old values matter.
  for (let i = 0; i < args.length; i++) if (i !== index && args[i] === args[index]) return false;
  return true;
}

function noteArgument(
  rec: Recording,
  kernel: string,
  args: readonly unknown[],
  index: number,
): void {
  const value = args[index];
  if (!ArrayBuffer.isView(value)) return;
  const array = value as TypedArray;
  rec.buffers.add(array);
  if (rec.fresh.has(array)) {
    rec.fresh.delete(array);
    if (!pureOutput(kernel, args, index) && allZero(array)) {
      rec.entries.push({ fn: rec.zeroFill, args: [array], name: 'zeroFill' });
    }
  }
}

function recordingBackend(rec: Recording): Backend {
  const proxy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rec.real)) {
    if (typeof value !== 'function') {
      proxy[key] = value;
      continue;
    }
    const kernel = value as (...args: unknown[]) => unknown;
    proxy[key] = (...args: unknown[]) => {
      for (let i = 0; i < args.length; i++) noteArgument(rec, key, args, i);
      const result = kernel(...args);
      if (result !== undefined) {
        throw new CaptureError(
          `captureStep: the kernel ${key} returned a value that JavaScript reads, which a replay would not recompute; wrap the call and its use in replayEagerly(() => …)`,
        );
      }
      rec.entries.push({ fn: kernel as TapeEntry['fn'], args, name: key });
      return result;
    };
  }
  return proxy as unknown as Backend;
}

/** Starts recording (capture.ts); `install` swaps the current backend. */
export function startRecording(real: Backend, install: (backend: Backend) => void): void {
  if (recording !== null) {
    throw new CaptureError('captureStep: a step is already being captured (captures do not nest)');
  }
  const rec: Recording = {
    entries: [],
    fresh: new Set<TypedArray>(),
    buffers: new Set<TypedArray>(),
    islandDepth: 0,
    real,
    zeroFill: zeroFillWith(real),
    install,
    proxy: real,
  };
  rec.proxy = recordingBackend(rec);
  recording = rec;
  allocationHooks.watch = noteAllocation;
  install(recording.proxy);
}

/** Ends recording; returns the tape and the buffers it holds. */
export function stopRecording(): { entries: TapeEntry[]; buffers: Set<TypedArray> } {
  const rec = recording as Recording;
  recording = null;
  allocationHooks.watch = null;
  rec.install(rec.real);
  return { entries: rec.entries, buffers: rec.buffers };
}

/**
 * Runs `fn` now; inside `captureStep`, also re-runs it, eagerly, at this point of every replay (its
 * kernel calls are not recorded: they run again with it). For work that must see each step's values
 * or JavaScript state: index validation, offsets computed in JavaScript from index values, a count
 * that decides a divisor, an optimizer's learning rate (read from its param group, so a scheduler's
 * change takes effect) and step counter. Outside a capture it is just `fn()`.
 *
 * `fn` must write its results into buffers made before it (not allocate fresh tensors that later
 * recorded kernels read): a replay re-runs `fn`, not the code around it.
 *
 * @example
 * ```ts
 * let calls = 0;
 * replayEagerly(() => calls++);
 * calls; // 1
 * ```
 */
export function replayEagerly(fn: () => void): void {
  const rec = recording;
  if (rec === null || rec.islandDepth > 0) {
    fn();
    return;
  }
  rec.entries.push({ fn, args: [], name: 'replayEagerly' });
  rec.islandDepth++;
  rec.install(rec.real);
  try {
    fn();
  } finally {
    rec.islandDepth--;
    rec.install(rec.proxy);
  }
}

/**
 * Records a JavaScript-side effect that a replay must repeat (a `.grad` assignment) without running it
 * now; the caller performs it itself. Does nothing outside a capture.
 */
export function recordEffect(fn: () => void, name: string): void {
  const rec = recording;
  if (rec === null || rec.islandDepth > 0) return;
  rec.entries.push({ fn, args: [], name });
}

/** Throws when a value is read in JavaScript during a capture (outside an island). */
export function checkNotCapturing(what: string): void {
  if (isCapturing()) {
    throw new CaptureError(
      `${what} inside captureStep reads a value once, at capture time; a replay would not read it again. Return the tensor from the step and read it after replay(), or wrap the read in replayEagerly(() => …)`,
    );
  }
}
