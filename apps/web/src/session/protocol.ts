/**
 * The one message protocol between a training page and its worker, whatever is being trained.
 *
 * A page starts a *kind* of trainer (`'mlp'`, `'bigram-net'`, `'moons'`, … registered in
 * `kinds.ts`) with its init data; from then on it only says start, pause, resume, step, reset,
 * configure, snapshot, call (a kind's extra request: samples, a learning-rate sweep) and dispose.
 * The worker answers with `ready` (a fresh model: clear the history), `progress` (the steps run
 * since the last message, at most ~30 a second, with the heavy `snapshot` at most a few times a
 * second), `result` (the answer to a call) and `error`. Typed arrays travel as transferables.
 *
 * A trainer plugs in by implementing `SessionTrainer`: run a slice of at most `maxSteps` steps
 * or `maxMillis` ms, report why it stopped, and produce a snapshot. Nothing else here knows what
 * a model is.
 */

import type { BackendName } from '@llm-playground/tensor';
import type { BackendInfo } from './backend-info.js';

/** One number per step. */
export type Series = Float32Array | Float64Array;

/** Where a run stands. `idle`: nothing started yet. */
export type RunStatus = 'idle' | 'paused' | 'running' | 'done' | 'diverged';

/**
 * What some consecutive steps did: one number per step in each series (`series.loss[i]` is the
 * loss of step `firstStep + i`), and sparse events (evaluations, …) in order.
 */
export interface Slice {
  /** The global step of `series[*][0]`. */
  firstStep: number;
  /** Per-step values; every series has one value per step run (Float64Array where digits matter). */
  series: Record<string, Series>;
  /** Sparse records produced by these steps (evaluations, …), kind-specific plain data. */
  events: unknown[];
}

/** Why a run stopped by itself. */
export interface Stop {
  reason: 'done' | 'diverged';
  /** The step at which it stopped (for a divergence: the step whose loss diverged). */
  step: number;
  /** The learner's explanation (empty for a plain `done`). */
  message: string;
  /** The loss that diverged, and the learning rate in use (divergences only). */
  loss?: number;
  lr?: number;
  /** A learning rate that works, found by makemore's LR finder on the spot (divergences only). */
  suggestedLr?: number;
}

/** A limit on one slice of training. */
export interface SliceLimit {
  maxSteps: number;
  maxMillis: number;
}

/** A snapshot to post, with the buffers that may be transferred rather than copied. */
export interface Packed<T = unknown> {
  value: T;
  transfer?: Transferable[];
  /**
   * A call that replaced the model (a checkpoint opened): the host posts `ready` after the
   * result, so the page starts its charts over from the new model's step.
   */
  restarted?: boolean;
}

/**
 * What the session needs from a trainer. Synchronous: the host calls it between messages.
 * Every trainer of the app (and the makemore `Trainer` through a thin adapter) fits this shape.
 */
export interface SessionTrainer {
  /** Sent with `ready` (vocabulary, parameter count, the data's arrays: whatever the page shows once). */
  readonly info: unknown;
  /** Steps done so far. */
  readonly step: number;
  /** Non-null once the run cannot go on (done, or diverged). */
  readonly stop: Stop | null;
  /** Runs steps until `maxSteps` ran, `maxMillis` passed (at least one step), or it stops. */
  runSlice(limit: SliceLimit): Slice;
  /** The picture of the model now (weights, decision grid, embedding…). */
  snapshot(): Packed;
  /** Small per-message values (the current learning rate, the planned steps…). */
  extra?(): Record<string, unknown>;
  /**
   * New settings: `'live'` when they apply from the next step, `'restart'` when the trainer
   * started over (a fresh model at step 0). Same settings → `'live'`, nothing changes.
   */
  configure?(config: unknown): 'live' | 'restart';
  /** Back to step 0 with the current settings. */
  reset(): void;
  /** A kind-specific request (`'sample'`, `'lr-finder'`…). */
  call?(name: string, args: unknown): Packed;
}

/** A kind of trainer: how to make one from the page's init data. */
export interface TrainerKind<Init = never> {
  create(init: Init): SessionTrainer;
  /** Minimum ms between snapshots while running (default 250). */
  snapshotMs?: number;
}

/** Page → worker. */
export type Command =
  | { type: 'start'; kind: string; init: unknown }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; count: number }
  | { type: 'reset' }
  | { type: 'configure'; config: unknown }
  /** Steps per second while running (null: as fast as possible). */
  | { type: 'pace'; stepsPerSecond: number | null }
  | { type: 'snapshot' }
  | { type: 'call'; id: number; name: string; args: unknown }
  | { type: 'dispose' }
  /**
   * The tensor backend to train with (`backend.ts`). Sent first by `SessionClient`; without it
   * the worker sets up `'wasm'` before its first command. Handled by the worker shell, not the host.
   */
  | { type: 'backend'; name: BackendName };

/** Timing of the run so far. */
export interface RunStats {
  /** Steps per second of wall time while running (slicing, messages and evaluations included). */
  stepsPerSecond: number;
  /** Wall time spent running, seconds. */
  runningSeconds: number;
}

export interface ProgressEvent {
  type: 'progress';
  /** Which `start`/`reset`/restart this belongs to (increases by one each time). */
  run: number;
  status: RunStatus;
  step: number;
  /** The steps since the previous progress of this run (contiguous: `firstStep` = previous end). */
  slice: Slice;
  stop: Stop | null;
  stats: RunStats;
  extra: Record<string, unknown>;
  /** The latest snapshot, when one was due. */
  snapshot?: { step: number; value: unknown };
}

/** Worker → page. */
export type SessionEvent =
  | { type: 'ready'; run: number; kind: string; info: unknown }
  | ProgressEvent
  | { type: 'result'; run: number; id: number; name: string; value: unknown }
  | { type: 'error'; message: string }
  /** What the worker trains with (sent once, after it set its backend up, before any `ready`). */
  | { type: 'backend'; info: BackendInfo };

/** An empty slice starting at `step`. */
export function emptySlice(step: number): Slice {
  return { firstStep: step, series: {}, events: [] };
}

/** Number of steps in a slice (the length of its series; 0 for none). */
export function sliceLength(slice: Slice): number {
  for (const key in slice.series) return slice.series[key].length;
  return 0;
}

/**
 * `a` followed by `b` as one slice. They must be contiguous (`b.firstStep` = end of `a`) with
 * the same series (an empty slice joins anything).
 */
export function mergeSlices(a: Slice, b: Slice): Slice {
  const lengthA = sliceLength(a);
  const lengthB = sliceLength(b);
  if (lengthA === 0 && a.events.length === 0) return b.firstStep >= a.firstStep ? b : a;
  if (lengthB === 0 && b.events.length === 0) return a;
  if (b.firstStep !== a.firstStep + lengthA) {
    throw new RangeError(
      `mergeSlices: slices must be contiguous, got one ending at step ${a.firstStep + lengthA} and the next starting at ${b.firstStep}`,
    );
  }
  const series: Record<string, Series> = {};
  const keys = new Set([...Object.keys(a.series), ...Object.keys(b.series)]);
  for (const key of keys) {
    const x = a.series[key] ?? new Float64Array(lengthA).fill(Number.NaN);
    const y = b.series[key] ?? new Float64Array(lengthB).fill(Number.NaN);
    const wide = x instanceof Float64Array || y instanceof Float64Array;
    const joined = wide
      ? new Float64Array(x.length + y.length)
      : new Float32Array(x.length + y.length);
    joined.set(x);
    joined.set(y, x.length);
    series[key] = joined;
  }
  return { firstStep: a.firstStep, series, events: [...a.events, ...b.events] };
}

/** The buffers of a slice's series (to transfer them). */
export function sliceBuffers(slice: Slice): Transferable[] {
  return Object.values(slice.series).map((s) => s.buffer as ArrayBuffer);
}

/** Appends values to a growable Float64Array list (used by slice runners). */
export class SeriesBuilder {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(1, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
  /** A compact copy (its own buffer, transferable). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
