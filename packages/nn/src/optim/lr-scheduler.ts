/**
 * Learning-rate schedules (PyTorch's `torch.optim.lr_scheduler`). A scheduler remembers each group's
 * starting rate (`initialLr`, stored in the group as PyTorch does) and, on every `step()` (once per
 * epoch or per iteration, as you choose), sets `group.lr` from a closed form of the step count.
 */
import { ConfigError, StateDictError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

export interface LRSchedulerState {
  kind: string;
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
}

/**
 * The base of the schedulers: subclasses give the rate at step `epoch` from the base rate.
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
 * const lrs = [];
 * for (let i = 0; i < 5; i++) {
 *   lrs.push(scheduler.getLastLr()[0]);
 *   optimizer.step();
 *   scheduler.step();
 * }
 * lrs; // [1, 1, 0.5, 0.5, 0.25]
 * ```
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** How many times `step()` has been called. */
  lastEpoch = 0;
  baseLrs: number[];
  private lastLr: number[];

  /** The name saved in state dicts. */
  readonly kind: string;

  constructor(optimizer: Optimizer, kind: string) {
    this.optimizer = optimizer;
    this.kind = kind;
    for (const group of optimizer.paramGroups) {
      if (typeof group.initialLr !== 'number') group.initialLr = group.lr;
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate at step `epoch` for a group whose base rate is `baseLr`. */
  protected abstract lrAt(baseLr: number, epoch: number): number;

  /** Sets the rate of step `epoch` in every group (subclasses call it at the end of their constructor). */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = this.lrAt(this.baseLrs[i], this.lastEpoch);
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Advances one step and updates every group's `lr`. Call it after `optimizer.step()`. */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** The rates set by the last `step()` (or the constructor), one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): LRSchedulerState {
    return {
      kind: this.kind,
      lastEpoch: this.lastEpoch,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
    };
  }

  /** Restores the step count and base rates, and sets the groups' rates for that step. */
  loadStateDict(state: LRSchedulerState): void {
    if (state?.kind !== this.kind) {
      throw new StateDictError(
        `${this.kind}.loadStateDict: the state is for ${String(state?.kind)}, this scheduler is ${this.kind}`,
      );
    }
    if (
      !Number.isInteger(state.lastEpoch) ||
      state.lastEpoch < 0 ||
      !Array.isArray(state.baseLrs) ||
      state.baseLrs.length !== this.optimizer.paramGroups.length
    ) {
      throw new StateDictError(
        `${this.kind}.loadStateDict: expected lastEpoch ≥ 0 and ${this.optimizer.paramGroups.length} base rates`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.apply();
  }
}

function checkPositiveInteger(value: number, what: string, op: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${op}: ${what} must be a positive integer, got ${value}`);
  }
}

/**
 * Multiplies the rate by `gamma` every `stepSize` steps: lr = base·γ^⌊step / stepSize⌋ (the
 * lecture's "0.1, then 0.01 after 100,000 steps" is `StepLR(opt, { stepSize: 100000, gamma: 0.1 })`).
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new StepLR(optimizer, { stepSize: 3 });
 * for (let i = 0; i < 3; i++) scheduler.step();
 * optimizer.paramGroups[0].lr; // ≈ 0.01
 * ```
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer, 'StepLR');
    checkPositiveInteger(options.stepSize, 'stepSize', 'StepLR');
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    return baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/**
 * Multiplies the rate by `gamma` at each milestone: lr = base·γ^(number of milestones ≤ step).
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const scheduler = new MultiStepLR(optimizer, { milestones: [1, 3], gamma: 0.5 });
 * const lrs = [scheduler.getLastLr()[0]];
 * for (let i = 0; i < 4; i++) {
 *   scheduler.step();
 *   lrs.push(scheduler.getLastLr()[0]);
 * }
 * lrs; // [1, 0.5, 0.5, 0.25, 0.25]
 * ```
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { milestones: number[]; gamma?: number }) {
    super(optimizer, 'MultiStepLR');
    const sorted = [...options.milestones].sort((a, b) => a - b);
    for (const m of sorted) checkPositiveInteger(m, 'each milestone', 'MultiStepLR');
    this.milestones = sorted;
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    let passed = 0;
    for (const m of this.milestones) if (m <= epoch) passed++;
    return baseLr * this.gamma ** passed;
  }
}

/**
 * Cosine annealing from the base rate down to `etaMin` over `tMax` steps (SGDR without restarts):
 *   lr = etaMin + (base − etaMin)·(1 + cos(π·step / tMax)) / 2
 * NOTE: PyTorch updates this recursively from the previous rate; the closed form is the same
 * schedule without the accumulated rounding (and it rises again after tMax, as PyTorch's does).
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const scheduler = new CosineAnnealingLR(optimizer, { tMax: 2 });
 * scheduler.step();
 * scheduler.getLastLr(); // ≈ [0.5]
 * scheduler.step();
 * scheduler.getLastLr(); // ≈ [0]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer, 'CosineAnnealingLR');
    checkPositiveInteger(options.tMax, 'tMax', 'CosineAnnealingLR');
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    return (
      this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2
    );
  }
}
