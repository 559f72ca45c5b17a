/**
 * `lmp train` driving its one `Trainer`: the header line, the progress bar, a line per evaluation
 * (the mean minibatch loss since the last line and the exact dev loss), the checkpoint callback
 * (every N steps / M minutes, on a stop signal, at the end — before the final evaluation), and
 * the last good state kept for a run that diverges.
 */

import type { PreparedRun, StepObserver, Trainer, TrainerState } from '@llm-playground/makemore';
import type { CliIO } from '../io.js';
import { formatDuration, ProgressBar } from '../render/progress.js';
import { formatCount, formatLoss } from './makemore-common.js';
import { DEFAULT_SAVE_MINUTES } from './run-control.js';
import { describeSchedule } from './schedule-text.js';
import type { TrainCommandOptions } from './train.js';

/** What `driveTrainer` needs from `runTrain`: the prepared run, the settings, saving, the curves. */
export interface TrainInput {
  run: PreparedRun;
  io: CliIO;
  options: TrainCommandOptions;
  evalEvery: number;
  batchSize: number;
  seed: number;
  /** The tensor backend as the header names it (`describeBackend`). */
  backend: string;
  signal: AbortSignal;
  save: (state?: TrainerState) => void;
  savedStep: () => number;
  losses: number[];
  devPoints: { step: number; loss: number }[];
  onTrainer: (trainer: Trainer) => void;
  onMetrics: (evaluation: { step: number; metrics: Record<string, number> }) => void;
  /** Watches the steps (`--diagnostics`). */
  observer?: StepObserver;
}

/**
 * Drives the run's one `Trainer`: prints the header, a line per evaluation, the progress bar, and
 * keeps the last good state (weights + Trainer state at the latest finite evaluation) for a run
 * that diverges. Returns why it stopped; the checkpoint is saved by then (except on divergence,
 * where the last good state is).
 */
export async function driveTrainer(
  input: TrainInput,
): Promise<'done' | 'time' | 'aborted' | 'diverged'> {
  const { run, io, options, losses, devPoints } = input;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const { settings } = run;
  const total = settings.steps;
  const startStep = run.startStep;
  if (startStep >= total) {
    out(
      `the checkpoint is at step ${formatCount(startStep)} already: nothing to train (raise --steps)`,
    );
  }
  const bar =
    io.stderr.isTTY === true && startStep < total
      ? new ProgressBar(io.stderr, total - startStep)
      : undefined;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const rate = (step: number) => (step - startStep) / Math.max(1e-9, elapsed());
  let lastLr = Number.NaN;
  let good: { weights: unknown; state: TrainerState } | undefined;
  const saveMinutes = options.saveMinutes ?? DEFAULT_SAVE_MINUTES;
  const scheduled = (step: number) => step % input.evalEvery === 0 || step >= total;
  const trainer: Trainer = run.createTrainer({
    evalEvery: input.evalEvery,
    ...(input.observer === undefined ? {} : { observer: input.observer }),
    maxSeconds: options.maxSeconds,
    signal: input.signal,
    checkpoint: {
      ...(options.saveEvery === undefined ? {} : { everySteps: options.saveEvery }),
      ...(saveMinutes > 0 ? { everySeconds: saveMinutes * 60 } : {}),
      onCheckpoint: () => input.save(trainer.state()),
    },
    onStep: (record) => {
      losses.push(record.loss);
      lastLr = record.lr;
      bar?.update(
        record.step + 1 - startStep,
        `loss ${formatLoss(record.loss)}  ${formatCount(Math.round(rate(record.step + 1)))} steps/s`,
      );
    },
    onEval: ({ step, metrics }) => {
      if (trainer.diverged) return; // its numbers are the diverged weights'; the last good state is saved
      // An evaluation off the schedule ends a run stopped early (time, signal): save first.
      if (!scheduled(step) && step !== startStep && input.savedStep() !== step)
        trainer.requestCheckpoint();
      input.onMetrics({ step, metrics });
      const finite = (x: number | undefined, empty: boolean) => empty || Number.isFinite(x);
      if (
        finite(metrics.train, losses.length === 0) &&
        finite(metrics.dev, run.data.dev.length === 0)
      ) {
        good = { weights: trainer.task.saveWeights(), state: structuredClone(trainer.state()) };
      }
      if (metrics.dev !== undefined && !Number.isNaN(metrics.dev))
        devPoints.push({ step, loss: metrics.dev });
      bar?.clear();
      const parts = [
        `step ${formatCount(step).padStart(formatCount(total).length)}/${formatCount(total)}`,
        Number.isNaN(metrics.train) ? 'loss      –' : `loss ${formatLoss(metrics.train)}`,
        `dev ${metrics.dev === undefined || Number.isNaN(metrics.dev) ? '–' : formatLoss(metrics.dev)}`,
        `lr ${Number.isNaN(lastLr) ? trainer.lr : lastLr}`,
      ];
      if (step > startStep)
        parts.push(
          `${formatCount(Math.round(rate(step)))} steps/s`,
          formatDuration(elapsed() * 1000),
        );
      out(parts.join('  '));
    },
  });
  input.onTrainer(trainer);
  if (startStep < total) {
    const batch =
      input.batchSize >= run.data.train.length
        ? `${formatCount(input.batchSize)} (all)`
        : String(input.batchSize);
    const { optimizer } = settings;
    out(
      `training ${startStep === 0 ? '' : `from step ${formatCount(startStep)} to `}${formatCount(total)} steps, ` +
        `batch ${batch}, ${optimizer.kind}${optimizer.weightDecay === undefined ? '' : ` (weight decay ${optimizer.weightDecay})`}, ` +
        `${describeSchedule(optimizer.lr, settings.schedule)}, seed ${input.seed}, backend ${input.backend}`,
    );
  }
  trainer.evaluateNow(); // the starting point (the MLP's initial loss is far above ln V)
  const progress = await trainer.runAsync();
  bar?.clear();
  if (progress.stoppedBecause === 'diverged') {
    if (good !== undefined) {
      trainer.task.loadWeights(good.weights);
      input.save(good.state);
    }
    return 'diverged';
  }
  if (progress.stoppedBecause === 'aborted') {
    if (input.savedStep() !== trainer.step) input.save(trainer.state());
    return 'aborted';
  }
  if (input.savedStep() !== trainer.step) input.save(trainer.state());
  return progress.stoppedBecause === 'time' ? 'time' : 'done';
}
