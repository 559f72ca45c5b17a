/**
 * Captured steps: record a fixed-shape training step once, replay it without overhead (the idea of
 * tinygrad's `TinyJit` and PyTorch's CUDA graphs, on CPU kernels).
 *
 * `captureStep(fn, inputs)` runs `fn` once, eagerly (a real step: forward, backward, optimizer
 * update), while recording every backend kernel call and the buffers it touched (capture-tape.ts).
 * `replay(...newInputs)` copies the new inputs into the captured input buffers and calls exactly those
 * kernels again on the same buffers: no tensor is allocated, no graph is built, no shape is checked
 * per op. Eager islands (`replayEagerly`) re-run the JavaScript that must see each step's values
 * (index validation, a fused loss's row count, the optimizer's learning rate and step counter), so a
 * replay gives the same numbers, bit for bit, as running `fn` eagerly on the same inputs.
 *
 * `compileStep(fn)` wraps this as a function: the first call for an input signature (shapes and
 * dtypes) captures, later calls with that signature replay; another signature (the last, shorter
 * batch) captures again — up to `maxCaptures` signatures are kept.
 */
import { getBackend, installBackend } from './backend.js';
import { CaptureError, startRecording, stopRecording, type TapeEntry } from './capture-tape.js';
import { allocate, type TypedArray } from './dtype.js';
import { keep, openScope, outliveScopes, type ScopedTensor, takeScope } from './memory.js';
import { formatShape, numel, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

export { CaptureError, replayEagerly } from './capture-tape.js';

/** What a step may return: tensors (updated in place by each replay), in an array or object, or nothing. */
export type StepOutput =
  | Tensor
  | readonly Tensor[]
  | { readonly [key: string]: Tensor }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a step written as `(x) => { … }` returns void.
  | void;

function checkOutput(value: unknown): void {
  const bad = (v: unknown) => !(v instanceof Tensor);
  const wrong =
    value === undefined
      ? false
      : value instanceof Tensor
        ? false
        : Array.isArray(value)
          ? value.some(bad)
          : typeof value === 'object' && value !== null
            ? Object.values(value).some(bad)
            : true;
  if (wrong) {
    throw new CaptureError(
      'captureStep: the step must return tensors (a Tensor, an array or an object of them) or nothing; a number read inside the step would not change on replay — return the tensor and call .item() after replay()',
    );
  }
}

function signature(inputs: readonly Tensor[]): string {
  return inputs.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(' ');
}

/**
 * A recorded step. `replay(...inputs)` re-runs it on new inputs of the captured shapes and dtypes and
 * returns `output` (the same tensors as the capture returned, holding this replay's values).
 */
export class CapturedStep<T extends StepOutput = Tensor> {
  /** What the step returned at capture; each replay overwrites these tensors' values. */
  readonly output: T;
  /** The input shapes and dtypes the step was captured for, e.g. `'int32[32, 3] int32[32]'`. */
  readonly signature: string;
  private readonly slots: readonly Tensor[];
  private readonly entries: readonly TapeEntry[];
  private readonly buffers: ReadonlySet<TypedArray>;
  private readonly owned: readonly ScopedTensor[];
  private disposed = false;

  /** @internal use `captureStep`. */
  constructor(
    output: T,
    slots: readonly Tensor[],
    entries: readonly TapeEntry[],
    buffers: ReadonlySet<TypedArray>,
    owned: readonly ScopedTensor[],
  ) {
    this.output = output;
    this.slots = slots;
    this.entries = entries;
    this.buffers = buffers;
    this.owned = owned;
    this.signature = signature(slots);
  }

  /**
   * Frees the tensors the capture made (its planned buffers, outputs and gradients it created) now;
   * otherwise they are freed when the step is garbage-collected. `replay` throws afterwards.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.owned) t.dispose();
  }

  /** The recorded calls in order (kernel names, `zeroFill`, `replayEagerly`, `setGrad`, …). */
  get kernels(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** How many distinct buffers the tape holds (inputs, intermediates, gradients, parameters). */
  get bufferCount(): number {
    return this.buffers.size;
  }

  /**
   * Runs the step again on `inputs` (same count, shapes and dtypes as at capture; any strides).
   * Throws a `CaptureError` naming the input otherwise.
   */
  replay(...inputs: Tensor[]): T {
    if (this.disposed) throw new CaptureError('replay(): this captured step was disposed');
    const slots = this.slots;
    if (inputs.length !== slots.length) {
      throw new CaptureError(
        `replay(): the step was captured with ${slots.length} input(s), got ${inputs.length}`,
      );
    }
    const backend = getBackend();
    for (let i = 0; i < inputs.length; i++) {
      const x = inputs[i];
      const slot = slots[i];
      if (!(x instanceof Tensor)) {
        throw new CaptureError(`replay(): input ${i} must be a Tensor, got ${typeof x}`);
      }
      if (x.dtype !== slot.dtype || !shapesEqual(x.shape, slot.shape)) {
        throw new CaptureError(
          `replay(): input ${i} has dtype ${x.dtype} and shape ${formatShape(x.shape)}, but the step was captured for ${slot.dtype} ${formatShape(slot.shape)}; capture it again for these shapes (compileStep does so by itself)`,
        );
      }
      backend.gatherStrided(x.storage, x.offset, x.strides, x.shape, slot.storage);
    }
    const entries = this.entries;
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      (entry.fn as (...args: readonly unknown[]) => unknown)(...entry.args);
    }
    return this.output;
  }
}

/**
 * Captures a fixed-shape step: runs `fn(...copies of inputs)` once, eagerly, recording its kernel
 * calls, and returns a `CapturedStep` whose `replay(...newInputs)` re-runs them on new inputs.
 *
 * The step is JavaScript run once: what it does outside the backend's kernels and `replayEagerly`
 * islands happens only at capture. The library's own ops, losses and optimizers mark everything that
 * must re-run (index checks, row offsets, the optimizer's learning rate and step count, `.grad`
 * assignments), so a step built from them replays exactly. Inside the step, `item()` and `tolist()`
 * throw (return tensors instead); random draws inside the step are made once (draw batches outside).
 *
 * NOTE: unlike PyTorch's CUDA graphs, the inputs are copied into the captured step's own buffers
 * (so your tensors are never overwritten), and the outputs are the same tensor objects on every
 * replay: copy a value (`.item()`) before the next replay if you keep it.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * const step = captureStep((x) => {
 *   w.grad = null;
 *   const loss = w.mul(x).sum();
 *   loss.backward();
 *   return loss;
 * }, [tensor([1, 1], { dtype: 'float32' })]);
 * step.output.item(); // 3
 * step.replay(tensor([10, 1], { dtype: 'float32' })).item(); // 12
 * w.grad.tolist(); // [10, 1]
 * ```
 */
export function captureStep<T extends StepOutput>(
  fn: (...inputs: Tensor[]) => T,
  inputs: readonly Tensor[],
): CapturedStep<T> {
  if (typeof fn !== 'function') {
    throw new TypeError(`captureStep(): fn must be a function, got ${typeof fn}`);
  }
  if (!Array.isArray(inputs) || inputs.some((t) => !(t instanceof Tensor))) {
    throw new TypeError('captureStep(): inputs must be an array of Tensors');
  }
  const backend = getBackend();
  // Every tensor made for and during the capture belongs to the step (its kernels replay on their
  // buffers): a scope collects them (pooled in the kernel memory on wasm), and `keep` shields them
  // from any enclosing `tidy`.
  openScope();
  // The step's own input buffers: a replay copies new inputs here, never into the caller's tensors.
  const slots = inputs.map((x) => {
    const storage = allocate(x.dtype, numel(x.shape));
    backend.gatherStrided(x.storage, x.offset, x.strides, x.shape, storage);
    return new Tensor(storage, x.shape, { requiresGrad: x.requiresGrad && x.isLeaf });
  });
  startRecording(backend, installBackend);
  let output: T;
  let tape: ReturnType<typeof stopRecording>;
  let owned: ScopedTensor[];
  try {
    output = fn(...slots);
    checkOutput(output);
  } finally {
    tape = stopRecording();
    owned = takeScope();
    for (const t of owned) {
      keep(t);
      outliveScopes(t);
    }
  }
  for (const slot of slots) tape.buffers.add(slot.storage);
  return new CapturedStep(output, slots, tape.entries, tape.buffers, owned);
}

/** A step function that captures once per input signature and replays afterwards (`compileStep`). */
export interface CompiledStep<T extends StepOutput> {
  (...inputs: Tensor[]): T;
  /** The captured steps by signature (inspection, tests). */
  readonly captures: ReadonlyMap<string, CapturedStep<T>>;
  /** Disposes every capture (the next call captures again), e.g. after replacing the model's parameters. */
  reset(): void;
}

/**
 * `fn` as a captured step: the first call with a given input signature (shapes and dtypes) runs `fn`
 * eagerly while capturing it; later calls with that signature replay. A new signature captures again
 * (keeping at most `maxCaptures`, default 4, the oldest dropped first; `{ recapture: false }` throws a
 * `CaptureError` instead). Returns the step's output tensors, overwritten by the next call.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
 * const step = compileStep((x) => w.mul(x).sum());
 * step(tensor([1, 1], { dtype: 'float32' })).item(); // 3
 * step(tensor([2, 1], { dtype: 'float32' })).item(); // 4
 * step.captures.size; // 1
 * ```
 */
export function compileStep<T extends StepOutput>(
  fn: (...inputs: Tensor[]) => T,
  options: { maxCaptures?: number; recapture?: boolean } = {},
): CompiledStep<T> {
  const maxCaptures = options.maxCaptures ?? 4;
  const recapture = options.recapture ?? true;
  if (!Number.isInteger(maxCaptures) || maxCaptures < 1) {
    throw new RangeError(
      `compileStep(): maxCaptures must be a positive integer, got ${maxCaptures}`,
    );
  }
  const captures = new Map<string, CapturedStep<T>>();
  const call = (...inputs: Tensor[]): T => {
    const key = signature(inputs);
    const found = captures.get(key);
    if (found) return found.replay(...inputs);
    if (!recapture && captures.size > 0) {
      const [first] = captures.keys();
      throw new CaptureError(
        `compileStep: the inputs are ${key}, but the step was captured for ${first} (recapture: false)`,
      );
    }
    const captured = captureStep(fn, inputs);
    if (captures.size >= maxCaptures) {
      const oldest = captures.keys().next().value as string;
      captures.get(oldest)?.dispose();
      captures.delete(oldest);
    }
    captures.set(key, captured);
    return captured.output;
  };
  return Object.assign(call, {
    captures: captures as ReadonlyMap<string, CapturedStep<T>>,
    reset: () => {
      for (const c of captures.values()) c.dispose();
      captures.clear();
    },
  });
}
