/**
 * The learning-rate schedule of the MLP page: a constant rate, or the lecture's step decay (one
 * rate until a chosen step, then the rate times a factor: 0.1 → 0.01 at step 100,000 in the
 * lecture). Framework-free so the worker, the page and the tests share it.
 */

export type ScheduleKind = 'constant' | 'step';

export interface ScheduleSettings {
  /** The initial learning rate. */
  lr: number;
  schedule: ScheduleKind;
  /** The first step that uses the decayed rate (step decay only). */
  decayStep: number;
  /** The decayed rate is `lr · decayFactor` (0.1 in the lecture). */
  decayFactor: number;
}

export interface Schedule {
  /** The learning rate used by global step `step` (0-based). */
  at(step: number): number;
  /** A one-line description for the page ("0.1, then 0.01 from step 100,000"). */
  describe(): string;
}

/** A rate printed briefly: 0.1, 0.01, 3e-4. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  if (rate !== 0 && (Math.abs(rate) < 1e-3 || Math.abs(rate) >= 1e4)) {
    return rate.toExponential(2).replace(/\.?0+e/, 'e');
  }
  return String(Number(rate.toPrecision(4)));
}

/**
 * Validates the settings (naming the offending value) and returns the schedule.
 *
 * @example
 * ```ts
 * const s = parseSchedule({ lr: 0.1, schedule: 'step', decayStep: 100_000, decayFactor: 0.1 });
 * [s.at(0), s.at(99_999), s.at(100_000)]; // [0.1, 0.1, 0.01]
 * s.describe(); // '0.1, then 0.01 from step 100,000'
 * ```
 */
export function parseSchedule(settings: ScheduleSettings): Schedule {
  const { lr, schedule, decayStep, decayFactor } = settings;
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new RangeError(`Argument 'lr' passed to 'parseSchedule' must be a number > 0, got ${lr}`);
  }
  if (schedule === 'constant') {
    return { at: () => lr, describe: () => `${formatRate(lr)} at every step` };
  }
  if (schedule !== 'step') {
    throw new RangeError(
      `Argument 'schedule' passed to 'parseSchedule' must be 'constant' or 'step', got '${schedule}'`,
    );
  }
  if (!Number.isInteger(decayStep) || decayStep < 0) {
    throw new RangeError(
      `Argument 'decayStep' passed to 'parseSchedule' must be an integer ≥ 0, got ${decayStep}`,
    );
  }
  if (!(decayFactor > 0) || !Number.isFinite(decayFactor)) {
    throw new RangeError(
      `Argument 'decayFactor' passed to 'parseSchedule' must be a number > 0, got ${decayFactor}`,
    );
  }
  // Multiplying in float64 and rounding to 12 significant digits keeps 0.1·0.1 printing as 0.01.
  const decayed = Number((lr * decayFactor).toPrecision(12));
  return {
    at: (step) => (step < decayStep ? lr : decayed),
    describe: () =>
      `${formatRate(lr)}, then ${formatRate(decayed)} from step ${decayStep.toLocaleString('en-US')}`,
  };
}
