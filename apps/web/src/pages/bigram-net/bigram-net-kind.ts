/**
 * The bigram-net page's trainer as a session kind: `BigramNetTrainer` behind the
 * `SessionTrainer` seam. Series `loss` and `dataLoss` (float64) per step; the snapshot is W
 * (none after a divergence: those weights blew up and are not worth drawing); the run stops by
 * itself at `MAX_STEPS`.
 *
 * A step's loss is the one *before* its update, and the step counter counts updates, so the
 * loss of step index k is shown against "k + 1 steps done". On a divergence the step that
 * diverged has been applied: the message names the update count the status shows.
 */
import {
  type Packed,
  SeriesBuilder,
  type SessionTrainer,
  type SliceLimit,
  type Stop,
  type TrainerKind,
} from '../../session/protocol.js';
import { BigramNetTrainer, type TrainerOptions } from './bigram-net-trainer.js';

/** Training pauses by itself here: the loss has long flattened out. */
export const MAX_STEPS = 20000;

/** Steps per second: 'max' runs as fast as the worker can. */
export const SPEEDS = ['10', '60', '600', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** The `pace` a speed asks for (null: as fast as possible). */
export function stepsPerSecond(speed: Speed): number | null {
  return speed === 'max' ? null : Number(speed);
}

export interface BigramNetInit extends TrainerOptions {
  words: readonly string[];
}

export interface BigramNetInfo {
  V: number;
  itos: string[];
  countLoss: number;
  counts: Float64Array;
}

export class BigramNetSessionTrainer implements SessionTrainer {
  readonly trainer: BigramNetTrainer;
  private stopped: Stop | null = null;
  private options: TrainerOptions;

  constructor(
    init: BigramNetInit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.options = { seed: init.seed, lr: init.lr, lambda: init.lambda };
    this.trainer = new BigramNetTrainer(init.words, this.options);
  }

  get info(): BigramNetInfo {
    const t = this.trainer;
    return { V: t.V, itos: [...t.tokenizer.itos], countLoss: t.countLoss, counts: t.counts };
  }

  get step(): number {
    return this.trainer.steps;
  }

  get stop(): Stop | null {
    return this.stopped;
  }

  runSlice(limit: SliceLimit) {
    const firstStep = this.trainer.steps;
    const loss = new SeriesBuilder();
    const dataLoss = new SeriesBuilder();
    const deadline = this.now() + limit.maxMillis;
    while (!this.stopped && loss.length < limit.maxSteps) {
      const result = this.trainer.step();
      // The status counts updates: the diverged step's update has been made, so name that count.
      const divergence = this.trainer.divergence({ ...result, step: this.trainer.steps });
      if (divergence) {
        // The exploded loss is not charted (it would flatten the curve); the message names it.
        this.stopped = { reason: 'diverged', ...divergence };
        break;
      }
      loss.push(result.loss);
      dataLoss.push(result.dataLoss);
      if (this.trainer.steps >= MAX_STEPS) {
        this.stopped = { reason: 'done', step: this.trainer.steps, message: '' };
      }
      if (this.now() >= deadline) break;
    }
    return {
      firstStep,
      series: { loss: loss.toArray(), dataLoss: dataLoss.toArray() },
      events: [],
    };
  }

  snapshot(): Packed<{ W: Float32Array | null }> {
    if (this.stopped?.reason === 'diverged') return { value: { W: null } };
    const W = this.trainer.weights();
    return { value: { W }, transfer: [W.buffer] };
  }

  extra() {
    return { lr: this.trainer.lr, lambda: this.trainer.lambda };
  }

  /** A new seed starts over; lr and λ apply from the next step. */
  configure(config: unknown): 'live' | 'restart' {
    const next = config as TrainerOptions;
    if (next.seed !== this.options.seed) {
      this.options = { ...next };
      this.trainer.configure({ lr: next.lr, lambda: next.lambda });
      this.trainer.reset(next.seed);
      this.stopped = null;
      return 'restart';
    }
    this.options = { ...next };
    this.trainer.configure({ lr: next.lr, lambda: next.lambda });
    return 'live';
  }

  reset(): void {
    this.trainer.reset(this.options.seed);
    this.stopped = null;
  }
}

export const bigramNetKind: TrainerKind<BigramNetInit> = {
  create: (init) => new BigramNetSessionTrainer(init),
};
