/**
 * Between the `--lr` flag and nn's scheduler configs: `--lr 0.1,0.01@100000` (the lecture's step
 * decay) becomes `{ lr: 0.1, schedule: PiecewiseConstantLR([100000], [0.1, 0.01]) }` for makemore's
 * `runSettings`, and any scheduler config is said back in words for the run's header line and
 * saved as text in the checkpoint's metadata.
 */
import type { SchedulerConfig } from '@llm-playground/nn';
import { parseLearningRate } from './learning-rate.js';

/** What `--lr TEXT` asks of `runSettings`: a starting rate, and the schedule when it is a step decay. */
export interface LearningRateFlag {
  lr: number;
  /** Only for a step decay: a plain number keeps the family's own schedule (rebuilt from it). */
  schedule?: SchedulerConfig;
}

/**
 * Reads `--lr` (a `UsageError` for bad text).
 *
 * @example
 * learningRateFlag('0.1,0.01@100000', 'train');
 * // { lr: 0.1, schedule: { kind: 'PiecewiseConstantLR', boundaries: [100000], values: [0.1, 0.01] } }
 * learningRateFlag('0.05', 'train'); // { lr: 0.05 }
 */
export function learningRateFlag(text: string, command: string): LearningRateFlag {
  const { segments } = parseLearningRate(text, command);
  const lr = segments[0][1];
  if (segments.length === 1) return { lr };
  return {
    lr,
    schedule: {
      kind: 'PiecewiseConstantLR',
      boundaries: segments.slice(1).map(([step]) => step),
      values: segments.map(([, rate]) => rate),
    },
  };
}

/**
 * The schedule in words: `lr 0.1 → 0.01 at step 100,000`, `lr 50`, `lr 1 → 0.1 linearly over 100
 * steps`.
 *
 * @example
 * describeSchedule(0.1, { kind: 'PiecewiseConstantLR', boundaries: [20], values: [0.1, 0.01] }); // 'lr 0.1 → 0.01 at step 20'
 */
export function describeSchedule(lr: number, schedule: SchedulerConfig): string {
  const config = schedule as SchedulerConfig & Record<string, unknown>;
  switch (config.kind) {
    case 'PiecewiseConstantLR': {
      const boundaries = config.boundaries as number[];
      const values = config.values as number[];
      const parts = boundaries.map(
        (step, k) => ` → ${values[k + 1]} at step ${step.toLocaleString('en-US')}`,
      );
      return `lr ${values[0]}${parts.join('')}`;
    }
    case 'ConstantLR':
      return config.factor === 1 || config.factor === undefined
        ? `lr ${lr}`
        : `lr ${lr}, ${JSON.stringify(config)}`;
    default:
      return `lr ${lr}, ${config.kind} ${JSON.stringify({ ...config, kind: undefined })}`;
  }
}

/**
 * The schedule as `--lr` text when it is one (`0.1,0.01@20`; a constant rate: `0.1`), for the
 * checkpoint's metadata and the command that resumes; else undefined.
 *
 * @example
 * scheduleText(0.1, { kind: 'PiecewiseConstantLR', boundaries: [20], values: [0.1, 0.01] }); // '0.1,0.01@20'
 */
export function scheduleText(lr: number, schedule: SchedulerConfig): string | undefined {
  const config = schedule as SchedulerConfig & Record<string, unknown>;
  if (config.kind === 'ConstantLR' && (config.factor ?? 1) === 1) return String(lr);
  if (config.kind !== 'PiecewiseConstantLR') return undefined;
  const boundaries = config.boundaries as number[];
  const values = config.values as number[];
  return [String(values[0]), ...boundaries.map((step, k) => `${values[k + 1]}@${step}`)].join(',');
}
