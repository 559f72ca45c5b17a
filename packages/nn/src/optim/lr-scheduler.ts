/**
 * Learning-rate schedules (PyTorch's `torch.optim.lr_scheduler`). A scheduler remembers each group's
 * starting rate (`initialLr`, stored in the group as PyTorch does) and, on every `step()` (once per
 * epoch or per iteration, as you choose), sets `group.lr` from a closed form of the step count.
 */
import { ConfigError, StateDictError } from '../errors.js';

/**
 * What a scheduler drives: anything with PyTorch's `param_groups` carrying an `lr` (nn's
 * optimizers, and micrograd's `micro.SGD`).
 */
export interface SchedulableOptimizer {
  paramGroups: { lr: number; initialLr?: unknown }[];
}

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
  readonly optimizer: SchedulableOptimizer;
  /** How many times `step()` has been called. */
  lastEpoch = 0;
  baseLrs: number[];
  private lastLr: number[];

  /** The name saved in state dicts. */
  readonly kind: string;

  constructor(optimizer: SchedulableOptimizer, kind: string) {
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

  constructor(optimizer: SchedulableOptimizer, options: { stepSize: number; gamma?: number }) {
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

  constructor(optimizer: SchedulableOptimizer, options: { milestones: number[]; gamma?: number }) {
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

  constructor(optimizer: SchedulableOptimizer, options: { tMax: number; etaMin?: number }) {
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

/**
 * Moves the rate linearly from `base·startFactor` (step 0) to `base·endFactor` (step `totalIters`),
 * then holds it (PyTorch's `LinearLR`; defaults 1/3, 1 and 5 as there). micrograd's demo decay
 * `1.0 - 0.9*k/100` is `LinearLR(opt, { startFactor: 1, endFactor: 0.1, totalIters: 100 })` at lr 1.
 * NOTE: a closed form, start + ((end − start)·step) / totalIters with start = base·startFactor and
 * end = base·endFactor, which reproduces micrograd's Python expression bit for bit (PyTorch's
 * recursive product drifts in the last bits).
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 1 });
 * const scheduler = new LinearLR(optimizer, { startFactor: 1, endFactor: 0.1, totalIters: 100 });
 * for (let i = 0; i < 99; i++) scheduler.step();
 * scheduler.getLastLr(); // [0.10899999999999987]
 * ```
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(
    optimizer: SchedulableOptimizer,
    options: { startFactor?: number; endFactor?: number; totalIters?: number } = {},
  ) {
    super(optimizer, 'LinearLR');
    this.startFactor = options.startFactor ?? 1 / 3;
    this.endFactor = options.endFactor ?? 1;
    this.totalIters = options.totalIters ?? 5;
    for (const [name, value] of [
      ['startFactor', this.startFactor],
      ['endFactor', this.endFactor],
    ] as const) {
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new ConfigError(`LinearLR: ${name} must be a finite number ≥ 0, got ${value}`);
      }
    }
    checkPositiveInteger(this.totalIters, 'totalIters', 'LinearLR');
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    const start = baseLr * this.startFactor;
    const end = baseLr * this.endFactor;
    if (epoch <= 0) return start;
    if (epoch >= this.totalIters) return end;
    return start + ((end - start) * epoch) / this.totalIters;
  }
}

/**
 * The rate `base·lrLambda(step)` (PyTorch's `LambdaLR`). Not describable by a config (a function),
 * so `createScheduler` does not build it; for code that wants any shape of schedule.
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 2 });
 * const scheduler = new LambdaLR(optimizer, { lrLambda: (step) => 1 / (step + 1) });
 * scheduler.step();
 * scheduler.getLastLr(); // [1]
 * ```
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambda: (step: number) => number;

  constructor(optimizer: SchedulableOptimizer, options: { lrLambda: (step: number) => number }) {
    super(optimizer, 'LambdaLR');
    if (typeof options?.lrLambda !== 'function') {
      throw new ConfigError(`LambdaLR: lrLambda must be a function of the step`);
    }
    this.lrLambda = options.lrLambda;
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    return baseLr * this.lrLambda(epoch);
  }
}

/**
 * Absolute rates between step boundaries: `values[0]` before `boundaries[0]`, `values[i]` from
 * `boundaries[i − 1]` on (the lecture's `0.1 if i < 100000 else 0.01` is
 * `{ boundaries: [100000], values: [0.1, 0.01] }`, and the CLI's `--lr 0.1,0.01@100000`).
 * NOTE: not in PyTorch, whose step schedules multiply the base rate (0.1·0.1 =
 * 0.010000000000000002); absolute rates keep the lecture's numbers exact. The optimizer's own `lr`
 * is ignored (overwritten by `values[0]`), and a saved state restores the same rates.
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new PiecewiseConstantLR(optimizer, { boundaries: [2], values: [0.1, 0.01] });
 * const lrs = [];
 * for (let i = 0; i < 3; i++) {
 *   lrs.push(scheduler.getLastLr()[0]);
 *   scheduler.step();
 * }
 * lrs; // [0.1, 0.1, 0.01]
 * ```
 */
export class PiecewiseConstantLR extends LRScheduler {
  readonly boundaries: number[];
  readonly values: number[];

  constructor(
    optimizer: SchedulableOptimizer,
    options: { boundaries: number[]; values: number[] },
  ) {
    super(optimizer, 'PiecewiseConstantLR');
    const { boundaries, values } = options ?? {};
    if (!Array.isArray(boundaries) || !Array.isArray(values)) {
      throw new ConfigError('PiecewiseConstantLR: boundaries and values must be arrays');
    }
    if (values.length !== boundaries.length + 1) {
      throw new ConfigError(
        `PiecewiseConstantLR: needs one more value than boundaries, got ${values.length} values and ${boundaries.length} boundaries`,
      );
    }
    boundaries.forEach((b, i) => {
      checkPositiveInteger(b, 'each boundary', 'PiecewiseConstantLR');
      if (i > 0 && b <= boundaries[i - 1]) {
        throw new ConfigError(
          `PiecewiseConstantLR: boundaries must increase, got ${boundaries.join(', ')}`,
        );
      }
    });
    for (const v of values) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new ConfigError(
          `PiecewiseConstantLR: each value must be a finite rate ≥ 0, got ${v}`,
        );
      }
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.apply();
  }

  protected lrAt(_baseLr: number, epoch: number): number {
    let i = 0;
    while (i < this.boundaries.length && epoch >= this.boundaries[i]) i++;
    return this.values[i];
  }
}

/**
 * A schedule as data (JSON): what a model family's defaults, a CLI flag, a web control and a
 * checkpoint carry, turned into a scheduler by `createScheduler`. `ConstantLR` with factor 1 is "no
 * schedule".
 */
export type SchedulerConfig =
  | { kind: 'ConstantLR'; factor?: number; totalIters?: number }
  | { kind: 'StepLR'; stepSize: number; gamma?: number }
  | { kind: 'MultiStepLR'; milestones: number[]; gamma?: number }
  | { kind: 'CosineAnnealingLR'; tMax: number; etaMin?: number }
  | { kind: 'LinearLR'; startFactor?: number; endFactor?: number; totalIters?: number }
  | { kind: 'PiecewiseConstantLR'; boundaries: number[]; values: number[] };

/**
 * `factor·base` for the first `totalIters` steps, then `base` (PyTorch's `ConstantLR`; defaults
 * 1/3 and 5 as there). With `factor: 1` the rate never changes.
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.3 });
 * new ConstantLR(optimizer, { factor: 1 }).getLastLr(); // [0.3]
 * ```
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(
    optimizer: SchedulableOptimizer,
    options: { factor?: number; totalIters?: number } = {},
  ) {
    super(optimizer, 'ConstantLR');
    this.factor = options.factor ?? 1 / 3;
    this.totalIters = options.totalIters ?? 5;
    if (!(this.factor >= 0 && this.factor <= 1)) {
      throw new ConfigError(`ConstantLR: factor must be in [0, 1], got ${this.factor}`);
    }
    if (!Number.isInteger(this.totalIters) || this.totalIters < 0) {
      throw new ConfigError(
        `ConstantLR: totalIters must be an integer ≥ 0, got ${this.totalIters}`,
      );
    }
    this.apply();
  }

  protected lrAt(baseLr: number, epoch: number): number {
    // factor 1 returns baseLr itself (no rounding from a multiplication by 1.0, which is exact anyway).
    return epoch < this.totalIters && this.factor !== 1 ? baseLr * this.factor : baseLr;
  }
}

/**
 * Builds the scheduler a `SchedulerConfig` describes over `optimizer` (which sets the base rate).
 *
 * @example
 * ```ts
 * const optimizer = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * createScheduler(optimizer, { kind: 'StepLR', stepSize: 10 }).kind; // 'StepLR'
 * createScheduler(optimizer, { kind: 'Nope' } as never); // throws ConfigError
 * ```
 */
export function createScheduler(
  optimizer: SchedulableOptimizer,
  config: SchedulerConfig,
): LRScheduler {
  switch (config?.kind) {
    case 'ConstantLR':
      return new ConstantLR(optimizer, config);
    case 'StepLR':
      return new StepLR(optimizer, config);
    case 'MultiStepLR':
      return new MultiStepLR(optimizer, config);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, config);
    case 'LinearLR':
      return new LinearLR(optimizer, config);
    case 'PiecewiseConstantLR':
      return new PiecewiseConstantLR(optimizer, config);
    default:
      throw new ConfigError(
        `createScheduler: unknown scheduler kind ${JSON.stringify((config as { kind?: unknown })?.kind)}; expected ConstantLR, StepLR, MultiStepLR, CosineAnnealingLR, LinearLR or PiecewiseConstantLR`,
      );
  }
}
