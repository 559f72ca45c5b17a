/**
 * The MLP page's trainer as a session kind: `MlpTrainer` behind the `SessionTrainer` seam. The
 * per-step series is `loss` (float32, as before), the events are the `Evaluation`s, the snapshot
 * is the embedding's first two columns, and the calls are `sample` and `lr-finder`.
 */
import type {
  Packed,
  ProgressEvent,
  RunStatus,
  SessionTrainer,
  SliceLimit,
  Stop,
  TrainerKind,
} from '../../session/protocol.js';
import type { MarkedSample } from './samples.js';
import {
  type Divergence,
  type Evaluation,
  MlpTrainer,
  type TrainerConfig,
  type TrainerInfo,
} from './trainer.js';

export interface MlpInit {
  words: readonly string[];
  config: TrainerConfig;
}

/** The embedding snapshot. */
export interface MlpSnapshot {
  x: Float32Array;
  y: Float32Array;
}

/** The answer to `call('lr-finder', { steps })`. */
export interface LrFinderResult {
  lrs: Float64Array;
  losses: Float64Array;
  suggestion: number;
  seconds: number;
}

/** The answer to `call('sample', { count, temperature, seed })`. */
export interface SamplesResult {
  step: number;
  samples: MarkedSample[];
}

export class MlpSessionTrainer implements SessionTrainer {
  readonly trainer: MlpTrainer;

  constructor(
    init: MlpInit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.trainer = new MlpTrainer(init.words, init.config);
  }

  get info(): TrainerInfo {
    return this.trainer.info;
  }

  get step(): number {
    return this.trainer.step;
  }

  get stop(): Stop | null {
    const { status, divergence, step } = this.trainer;
    if (status === 'diverged' && divergence) {
      return { reason: 'diverged', ...divergence };
    }
    if (status === 'done') return { reason: 'done', step, message: '' };
    return null;
  }

  runSlice(limit: SliceLimit) {
    const deadline = this.now() + limit.maxMillis;
    const slice = this.trainer.advance(limit.maxSteps, deadline, this.now);
    return {
      firstStep: slice.firstStep,
      series: { loss: slice.losses.slice() },
      events: slice.evaluations,
    };
  }

  snapshot(): Packed<MlpSnapshot> {
    const { x, y } = this.trainer.embedding();
    return { value: { x, y }, transfer: [x.buffer, y.buffer] };
  }

  extra() {
    return { lr: this.trainer.currentLr(), steps: this.trainer.config.steps };
  }

  configure(config: unknown): 'live' | 'restart' {
    return this.trainer.configure(config as TrainerConfig) ? 'restart' : 'live';
  }

  reset(): void {
    this.trainer.reset();
  }

  call(name: string, args: unknown): Packed {
    if (name === 'sample') {
      const options = args as { count: number; temperature: number; seed: number };
      const value: SamplesResult = {
        step: this.trainer.step,
        samples: this.trainer.sample(options),
      };
      return { value };
    }
    if (name === 'lr-finder') {
      const started = this.now();
      const { lrs, losses, suggestion } = this.trainer.findLearningRate(
        (args as { steps: number }).steps,
      );
      const value: LrFinderResult = {
        lrs,
        losses,
        suggestion,
        seconds: (this.now() - started) / 1000,
      };
      return { value, transfer: [lrs.buffer, losses.buffer] };
    }
    throw new RangeError(`The MLP trainer has no '${name}': expected 'sample' or 'lr-finder'`);
  }
}

export const mlpKind: TrainerKind<MlpInit> = {
  create: (init) => new MlpSessionTrainer(init),
};

/** What the MLP page shows of a progress event (the trainer's vocabulary, flat). */
export interface MlpProgress {
  status: RunStatus;
  step: number;
  /** Planned steps. */
  steps: number;
  /** The rate the next step uses. */
  lr: number;
  /** The global step of `losses[0]`. */
  firstStep: number;
  losses: Float32Array;
  evaluations: Evaluation[];
  stepsPerSecond: number;
  runningSeconds: number;
  divergence?: Divergence;
}

/** A session progress event in the MLP page's terms. */
export function toMlpProgress(event: ProgressEvent): MlpProgress {
  const losses = event.slice.series.loss;
  const stop = event.stop;
  return {
    status: event.status,
    step: event.step,
    steps: Number(event.extra.steps),
    lr: Number(event.extra.lr),
    firstStep: event.slice.firstStep,
    losses: losses instanceof Float32Array ? losses : Float32Array.from(losses ?? []),
    evaluations: event.slice.events as Evaluation[],
    stepsPerSecond: event.stats.stepsPerSecond,
    runningSeconds: event.stats.runningSeconds,
    divergence:
      stop?.reason === 'diverged'
        ? {
            step: stop.step,
            loss: stop.loss ?? Number.NaN,
            lr: stop.lr ?? Number.NaN,
            message: stop.message,
          }
        : undefined,
  };
}
