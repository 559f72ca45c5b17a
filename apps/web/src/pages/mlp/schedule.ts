/**
 * The MLP page's learning rate in words: the schedule comes from makemore's `runSettings` (the
 * family's rule — lr, then lr/10 from half the run, as the CLI — or a constant rate), and is shown
 * as one line ("0.1, then 0.01 from step 15,000").
 */
import type { SchedulerConfig } from '@llm-playground/nn';

/** A rate printed briefly: 0.1, 0.01, 3e-4. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return String(rate);
  if (rate !== 0 && (Math.abs(rate) < 1e-3 || Math.abs(rate) >= 1e4)) {
    return rate.toExponential(2).replace(/\.?0+e/, 'e');
  }
  return String(Number(rate.toPrecision(4)));
}

/**
 * One line for a scheduler config starting at `lr`.
 *
 * @example
 * ```ts
 * describeSchedule({ kind: 'PiecewiseConstantLR', boundaries: [15000], values: [0.1, 0.01] }, 0.1);
 * // '0.1, then 0.01 from step 15,000'
 * describeSchedule({ kind: 'ConstantLR', factor: 1 }, 0.05); // '0.05 at every step'
 * ```
 */
export function describeSchedule(schedule: SchedulerConfig, lr: number): string {
  if (schedule.kind === 'PiecewiseConstantLR') {
    const { boundaries, values } = schedule;
    const parts = [formatRate(values[0])];
    for (let i = 0; i < boundaries.length; i++) {
      parts.push(
        `then ${formatRate(values[i + 1])} from step ${boundaries[i].toLocaleString('en-US')}`,
      );
    }
    return parts.join(', ');
  }
  if (schedule.kind === 'ConstantLR' && (schedule.factor ?? 1) === 1) {
    return `${formatRate(lr)} at every step`;
  }
  return `${formatRate(lr)}, ${schedule.kind}`;
}
