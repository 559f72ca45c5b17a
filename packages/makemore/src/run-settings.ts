/**
 * From a family and the user's settings (CLI flags, web controls, a checkpoint) to what a `Trainer`
 * and a `languageModelTask` take. This is the path of a flag: `--lr 0.05` → `runSettings(family,
 * { lr: 0.05 })` → `optimizer.lr` and the schedule built from it → the `Trainer`'s nn optimizer
 * and nn scheduler. It needs the family's `FamilyInfo` only (served by `./schemas` too).
 */
import type { SchedulerConfig } from '@llm-playground/nn';
import { ConfigError } from './errors.js';
import type { FamilyInfo, OptimizerKind } from './families/family.js';
import type { OptimizerSettings } from './trainer.js';

/** What the user may set about a run; anything missing comes from the family's defaults. */
export interface RunOverrides {
  optimizer?: OptimizerKind;
  lr?: number;
  steps?: number;
  batchSize?: number;
  weightDecay?: number;
  /** Replaces the family's schedule (which is built from `lr` and `steps`). */
  schedule?: SchedulerConfig;
}

/** A run's settings, resolved: pass `steps`, `optimizer`, `schedule` to the `Trainer`, `batchSize` to the task. */
export interface RunSettings {
  steps: number;
  batchSize: number;
  optimizer: OptimizerSettings;
  schedule: SchedulerConfig;
}

/**
 * The family's defaults with `overrides` applied; the schedule is rebuilt from the final `lr` and
 * `steps` (so `--lr 0.05 --steps 1000` decays 0.05 → 0.005 at step 500 for the MLP).
 *
 * @example
 * ```ts
 * runSettings(getFamily('mlp'), { lr: 0.05, steps: 1000 });
 * // { steps: 1000, batchSize: 32, optimizer: { kind: 'sgd', lr: 0.05 }, schedule: { kind: 'PiecewiseConstantLR', boundaries: [500], values: [0.05, 0.005] } }
 * runSettings(getFamily('mlp'), { lr: -1 }); // throws ConfigError
 * ```
 */
export function runSettings(family: FamilyInfo, overrides: RunOverrides = {}): RunSettings {
  const { defaults } = family;
  const steps = overrides.steps ?? defaults.steps;
  const lr = overrides.lr ?? defaults.lr;
  const batchSize = overrides.batchSize ?? defaults.batchSize;
  if (!Number.isInteger(steps) || steps < 0) {
    throw new ConfigError(`steps (--steps) must be an integer ≥ 0, got ${steps}`);
  }
  if (!(lr >= 0) || !Number.isFinite(lr)) {
    throw new ConfigError(`lr (--lr) must be a finite number ≥ 0, got ${lr}`);
  }
  if (!(batchSize >= 1) || (Number.isFinite(batchSize) && !Number.isInteger(batchSize))) {
    throw new ConfigError(`batchSize (--batch-size) must be an integer ≥ 1, got ${batchSize}`);
  }
  const optimizer: OptimizerSettings = { kind: overrides.optimizer ?? defaults.optimizer, lr };
  const weightDecay = overrides.weightDecay ?? defaults.weightDecay;
  if (weightDecay !== undefined) optimizer.weightDecay = weightDecay;
  if (defaults.betas !== undefined && optimizer.kind !== 'sgd') optimizer.betas = defaults.betas;
  return {
    steps,
    batchSize,
    optimizer,
    schedule: overrides.schedule ?? defaults.schedule({ lr, steps }),
  };
}
