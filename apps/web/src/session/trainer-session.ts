/**
 * The makemore `Trainer` behind the `SessionTrainer` seam: the one training loop of the project,
 * driven in slices by the session host. A kind builds a `Trainer` (from `languageModelTask` or
 * `moonsTask`) with this class's `onStep`/`onEval` and hands it over; this class turns each
 * `runSlice` into a `Slice` (the loss per step, the task's per-step metrics, the evaluations as
 * events) and the trainer's end into a `Stop` — the divergence rule's message, step, loss and the
 * learning rate the LR finder suggested, the same on every page.
 */
import type { StepRecord, Trainer } from '@llm-playground/makemore';
import {
  type Packed,
  type Series,
  SeriesBuilder,
  type SessionTrainer,
  type Slice,
  type SliceLimit,
  type Stop,
} from './protocol.js';

/** The `Stop` of a trainer: null while it can go on. */
export function stopOf(trainer: Trainer): Stop | null {
  const diverged = trainer.diverged;
  if (diverged) {
    return {
      reason: 'diverged',
      step: diverged.step,
      message: diverged.message,
      loss: diverged.loss,
      lr: diverged.lr,
      suggestedLr: diverged.suggestedLr,
    };
  }
  return trainer.finished ? { reason: 'done', step: trainer.step, message: '' } : null;
}

/**
 * A session trainer around a makemore `Trainer`. Subclasses build the trainer (passing
 * `this.onStep` and `this.onEval` in its options), and add `info`, `snapshot`, `configure`,
 * `reset` and calls.
 */
export abstract class TrainerSession implements SessionTrainer {
  abstract readonly info: unknown;
  protected abstract trainer: Trainer;
  private metrics = new Map<string, SeriesBuilder>();
  private events: unknown[] = [];

  /**
   * @param metricNames the per-step numbers to send besides the loss (`'lr'`, or a key of the
   *   task's `metrics` such as `'accuracy'`).
   */
  constructor(private readonly metricNames: readonly string[] = []) {}

  /** Pass as the Trainer's `onStep`: records the step's metrics. */
  protected readonly onStep = (record: StepRecord): void => {
    for (const name of this.metricNames) {
      const builder = this.metrics.get(name) ?? new SeriesBuilder();
      this.metrics.set(name, builder);
      builder.push(name === 'lr' ? record.lr : (record.metrics?.[name] ?? Number.NaN));
    }
  };

  /** Pass as the Trainer's `onEval`: each evaluation becomes an event of the slice. */
  protected readonly onEval = (evaluation: {
    step: number;
    metrics: Record<string, number>;
  }): void => {
    this.events.push(this.toEvent(evaluation));
  };

  /** The event an evaluation becomes (default: `{ step, ...metrics }`). */
  protected toEvent(evaluation: { step: number; metrics: Record<string, number> }): unknown {
    return { step: evaluation.step, ...evaluation.metrics };
  }

  /** Forgets recorded metrics and events (a fresh trainer). */
  protected clearRecords(): void {
    this.metrics.clear();
    this.events = [];
  }

  get step(): number {
    return this.trainer.step;
  }

  get stop(): Stop | null {
    return stopOf(this.trainer);
  }

  runSlice(limit: SliceLimit): Slice {
    const progress = this.trainer.runSlice({
      maxSteps: Number.isFinite(limit.maxSteps) ? limit.maxSteps : undefined,
      maxMillis: limit.maxMillis,
    });
    const series: Record<string, Series> = { loss: progress.losses };
    for (const name of this.metricNames) {
      series[name] = this.metrics.get(name)?.toArray() ?? new Float64Array(0);
    }
    const events = this.events;
    this.clearRecords();
    return { firstStep: progress.fromStep, series, events };
  }

  extra(): Record<string, unknown> {
    return { lr: this.trainer.lr, steps: this.trainer.steps };
  }

  abstract snapshot(): Packed;
  abstract reset(): void;
}
