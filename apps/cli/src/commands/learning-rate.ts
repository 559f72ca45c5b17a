/**
 * The `--lr` flag: a number, or a step-decay schedule written as the lecture's
 * `lr = 0.1 if i < 100000 else 0.01` reads: `0.1,0.01@100000` (0.1 from step 0, 0.01 from step
 * 100,000). Any number of segments: `0.1,0.03@50000,0.01@100000`.
 */
import { UsageError } from '../errors.js';

/** A parsed `--lr`: the rate of each step, and the text it came from (saved in checkpoints). */
export interface LearningRateSchedule {
  /** The flag as given (normalised: no spaces). */
  text: string;
  /** `[startStep, lr]` segments in increasing step order, the first at step 0. */
  segments: readonly (readonly [number, number])[];
  /** The rate used at `step`. */
  at(step: number): number;
}

const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses `--lr`; `command` names the help page of the usage error.
 *
 * @example
 * const lr = parseLearningRate('0.1,0.01@100000', 'train');
 * lr.at(99999); // 0.1
 * lr.at(100000); // 0.01
 */
export function parseLearningRate(text: string, command: string): LearningRateSchedule {
  const normalised = text.replace(/\s+/g, '');
  const fail = (): never => {
    throw new UsageError(
      `--lr must be a positive number or a step decay such as '0.1,0.01@100000', got '${text}'`,
      command,
    );
  };
  const segments: [number, number][] = [];
  for (const [k, part] of normalised.split(',').entries()) {
    const [rate, from, extra] = part.split('@');
    if (extra !== undefined || rate === undefined || !NUMBER.test(rate)) fail();
    const lr = Number(rate);
    if (!(lr > 0) || !Number.isFinite(lr)) fail();
    if (k === 0) {
      if (from !== undefined && Number(from) !== 0) fail();
      segments.push([0, lr]);
      continue;
    }
    if (from === undefined || !/^\d+$/.test(from)) fail();
    const step = Number(from);
    if (step <= segments[segments.length - 1][0]) fail();
    segments.push([step, lr]);
  }
  return {
    text: normalised,
    segments,
    at(step: number): number {
      let lr = segments[0][1];
      for (const [start, rate] of segments) if (step >= start) lr = rate;
      return lr;
    },
  };
}

/**
 * The schedule in words, for the run's header line: `0.1 → 0.01 at step 100,000`.
 *
 * @example
 * describeLearningRate(parseLearningRate('0.1,0.01@100000', 'train')); // 'lr 0.1 → 0.01 at step 100,000'
 */
export function describeLearningRate(schedule: LearningRateSchedule): string {
  const [first, ...rest] = schedule.segments;
  const parts = rest.map(([step, lr]) => ` → ${lr} at step ${step.toLocaleString('en-US')}`);
  return `lr ${first[1]}${parts.join('')}`;
}
