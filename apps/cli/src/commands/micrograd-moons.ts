/**
 * `lmp micrograd moons`: micrograd's demo notebook as a command. Two moons, an MLP(2, [16, 16, 1])
 * with ReLU hidden layers, the SVM max-margin loss plus 1e-4·L2, plain SGD with the learning rate
 * decaying linearly from 1.0 to 0.1, 100 full-batch steps, and optionally the decision-boundary
 * picture. The experiment is makemore's `moonsTask` run by its one `Trainer` (the web page runs
 * the same task), so the divergence rule and its suggested learning rate apply here too.
 */
import { NumpyRandomState, PythonRandom, sklearnMakeMoons } from '@llm-playground/data';
import {
  type MoonsTask,
  type MoonsTaskOptions,
  moonsTask,
  Trainer,
  TrainingDivergedError,
} from '@llm-playground/makemore';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readOutputPath,
  readString,
} from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { decisionBoundarySvg } from '../render/decision-boundary.js';
import { formatDuration, ProgressBar } from '../render/progress.js';
import { checkPlotName, writePlot } from './plot-file.js';
import { checkMoonsSize } from './size-check.js';

const COMMAND = 'micrograd moons';

/**
 * The default seed. Chosen (and checked by a test) so that the default run, 100 full-batch steps
 * on 100 points, ends at 100% training accuracy, as micrograd's notebook does.
 */
export const DEFAULT_MOONS_SEED = 1337;

/** Settings of a moons run; every field has micrograd's demo value as its default. */
export interface MoonsOptions {
  /** Number of points (default 100). */
  samples?: number;
  /** Standard deviation of the gaussian noise on the points (default 0.1). */
  noise?: number;
  /** Hidden layer widths (default `[16, 16]`); the output layer is 1 linear neuron. */
  hidden?: readonly number[];
  /** SGD steps (default 100). */
  steps?: number;
  /** Learning rate at step 0 (default 1.0). */
  lrStart?: number;
  /** Learning rate reached at step `steps` (default 0.1): `lrStart + (lrEnd − lrStart)·k/steps`. */
  lrEnd?: number;
  /** Weight of the L2 penalty `alpha · Σ p²` (default 1e-4). */
  alpha?: number;
  /** Points per step, drawn without replacement each step; `undefined` = full batch (default). */
  batchSize?: number;
  /** One seed for the data, the initial weights and the minibatches (default `DEFAULT_MOONS_SEED`). */
  seed?: number;
  /**
   * Reproduce demo.ipynb's random numbers: the data from numpy's legacy `RandomState(seed)`
   * through scikit-learn's `make_moons`, the weights from Python's `random.seed(seed)`
   * (`random.uniform(-1, 1)` per weight, biases 0), full batch. Seed 1337 gives the notebook's
   * step 0 loss 0.8958441028683222 and its final accuracy 1.0.
   */
  lecture?: boolean;
}

/** One training step, measured before its update (as micrograd prints it). */
export interface MoonsStep {
  step: number;
  /** Total loss (max-margin + L2) on this step's batch. */
  loss: number;
  /** Accuracy on this step's batch, in [0, 1]. */
  accuracy: number;
  /** Learning rate used by this step's update. */
  lr: number;
}

/** What `trainMoons` returns. */
export interface MoonsResult {
  /** The resolved settings (defaults filled in). */
  options: Required<Omit<MoonsOptions, 'batchSize'>> & { batchSize: number | undefined };
  model: MoonsTask['model'];
  X: [number, number][];
  /** Labels in {−1, +1}. */
  labels: number[];
  history: MoonsStep[];
  /** Loss on the whole data set after the last update. */
  finalLoss: number;
  /** Accuracy on the whole data set after the last update, in [0, 1]. */
  finalAccuracy: number;
  /** Wall-clock milliseconds of the training loop. */
  milliseconds: number;
}

/**
 * Trains micrograd's moons classifier; `onStep` sees every step as it finishes.
 *
 * @example
 * const result = trainMoons({ steps: 100 });
 * result.model.numParameters(); // 337
 * result.finalAccuracy; // 1
 */
export function trainMoons(
  options: MoonsOptions = {},
  onStep?: (record: MoonsStep) => void,
): MoonsResult {
  const resolved = {
    samples: options.samples ?? 100,
    noise: options.noise ?? 0.1,
    hidden: [...(options.hidden ?? [16, 16])],
    steps: options.steps ?? 100,
    lrStart: options.lrStart ?? 1.0,
    lrEnd: options.lrEnd ?? 0.1,
    alpha: options.alpha ?? 1e-4,
    batchSize: options.batchSize,
    seed: options.seed ?? DEFAULT_MOONS_SEED,
    lecture: options.lecture ?? false,
  };
  if (resolved.lecture && resolved.batchSize !== undefined) {
    throw new RangeError(
      'the lecture mode trains full batch, as demo.ipynb does: drop the batch size',
    );
  }
  // One generator, used in a fixed order: data, then weights, then the minibatches. The lecture
  // mode brings demo.ipynb's data and weights instead (they replace the generator's weights).
  const task = moonsTask(
    {
      samples: resolved.samples,
      noise: resolved.noise,
      hidden: resolved.hidden,
      steps: resolved.steps,
      lr: resolved.lrStart,
      lrEnd: resolved.lrEnd,
      alpha: resolved.alpha,
      batchSize: resolved.batchSize ?? 0,
      seed: resolved.seed,
    },
    resolved.lecture ? lectureStreams(resolved.samples, resolved.noise, resolved.seed) : {},
  );
  const history: MoonsStep[] = [];
  const trainer = new Trainer(task, {
    ...task.trainerOptions(),
    onStep: (step) => {
      const record = {
        step: step.step,
        loss: step.loss,
        accuracy: step.metrics?.accuracy ?? 0,
        lr: step.lr,
      };
      history.push(record);
      onStep?.(record);
    },
  });
  const progress = trainer.run();
  if (progress.diverged) throw progress.diverged;
  const final = task.evaluate();
  return {
    options: resolved,
    model: task.model,
    X: task.X,
    labels: task.labels,
    history,
    finalLoss: final.loss,
    finalAccuracy: final.accuracy,
    milliseconds: progress.seconds * 1000,
  };
}

/**
 * demo.ipynb's random numbers, for the task to use instead of its generator's: the points of
 * scikit-learn's `make_moons` on numpy's `RandomState(seed)` (data's `sklearnMakeMoons`), and
 * micrograd's `Neuron` weights from Python's `random.seed(seed)` (`random.uniform(-1, 1)` per
 * weight, neuron by neuron, biases 0).
 */
function lectureStreams(samples: number, noise: number, seed: number): MoonsTaskOptions {
  return {
    data: sklearnMakeMoons(samples, noise, new NumpyRandomState(seed)),
    init: (model) => {
      const python = new PythonRandom(seed);
      for (const layer of model.layers) {
        for (const neuron of layer.neurons) {
          for (const w of neuron.w) w.data = -1 + 2 * python.random();
          neuron.b.data = 0;
        }
      }
    },
  };
}

/**
 * The decision-boundary picture of a trained run (SVG text).
 *
 * @example
 * writeFileSync('moons.svg', moonsPlotSvg(trainMoons()));
 */
export function moonsPlotSvg(result: MoonsResult): string {
  const { options } = result;
  return decisionBoundarySvg({
    points: result.X,
    labels: result.labels,
    score: (x1, x2) => result.model.forward([x1, x2])[0].data,
    title: `micrograd: ${describeModel(options.hidden)} on two moons`,
    subtitle:
      `${options.samples} points, noise ${options.noise}, seed ${options.seed} · ` +
      `${options.steps} steps · loss ${result.finalLoss.toFixed(4)} · ` +
      `accuracy ${formatPercent(result.finalAccuracy)}`,
  });
}

function describeModel(hidden: readonly number[]): string {
  return `MLP(2, [${[...hidden, 1].join(', ')}])`;
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

// ---- the command -----------------------------------------------------------------------------

/** Options of `lmp micrograd moons` as parsed from its flags. */
export interface MoonsCommandOptions extends MoonsOptions {
  /** Write the decision-boundary picture here (`.svg` or `.png`). */
  plot?: string;
  /** Print only the final summary. */
  quiet?: boolean;
  /** Print one JSON object instead of text. */
  json?: boolean;
  /** Print a step line every this many steps (default: about 10 lines per run). */
  printEvery?: number;
}

/**
 * Reads the command's flags into `MoonsCommandOptions`, with a `UsageError` for any bad value.
 *
 * @example
 * parseMoonsOptions({ steps: '50', hidden: '8,8' }); // { steps: 50, hidden: [8, 8], ... }
 */
export function parseMoonsOptions(values: OptionValues): MoonsCommandOptions {
  const integer = (name: string, fallback: number, min = 1) =>
    readNumber(values, name, fallback, { integer: true, min }, COMMAND);
  const samples = integer('samples', 100, 2);
  const hiddenText = values.hidden === undefined ? '16,16' : String(values.hidden);
  const hidden = hiddenText.split(',').map((part) => Number(part.trim()));
  if (
    hiddenText.trim() === '' ||
    !hiddenText.split(',').every((part) => /^\s*\d+\s*$/.test(part)) ||
    hidden.some((width) => width < 1)
  ) {
    throw new UsageError(
      `--hidden must be comma-separated positive layer widths such as '16,16', got '${hiddenText}'`,
      COMMAND,
    );
  }
  const steps = integer('steps', 100);
  const batchSize = values['batch-size'] === undefined ? undefined : integer('batch-size', samples);
  if (batchSize !== undefined && batchSize > samples) {
    throw new UsageError(
      `--batch-size must be at most --samples (${samples}), got '${values['batch-size']}'`,
      COMMAND,
    );
  }
  const plot = readString(values, 'plot');
  checkPlotName(plot, COMMAND);
  const lecture = values.lecture === true;
  if (lecture && batchSize !== undefined) {
    throw new UsageError(
      '--lecture trains full batch, as demo.ipynb does: drop --batch-size',
      COMMAND,
    );
  }
  return {
    lecture,
    samples,
    noise: readNumber(values, 'noise', 0.1, { min: 0 }, COMMAND),
    hidden,
    steps,
    lrStart: readNumber(values, 'lr-start', 1.0, { min: 0 }, COMMAND),
    lrEnd: readNumber(values, 'lr-end', 0.1, { min: 0 }, COMMAND),
    alpha: readNumber(values, 'alpha', 1e-4, { min: 0 }, COMMAND),
    batchSize,
    seed: readNumber(
      values,
      'seed',
      DEFAULT_MOONS_SEED,
      // numpy's RandomState takes a 32-bit seed
      { integer: true, min: 0, max: lecture ? 0xffffffff : Number.MAX_SAFE_INTEGER },
      COMMAND,
    ),
    plot,
    quiet: values.quiet === true,
    json: values.json === true,
    printEvery: values['print-every'] === undefined ? undefined : integer('print-every', 1),
  };
}

/**
 * Runs `lmp micrograd moons` with already-parsed options, writing to `io`; returns the exit code.
 *
 * @example
 * await microgradMoons({ steps: 20, plot: 'moons.png' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function microgradMoons(options: MoonsCommandOptions, io: CliIO): Promise<number> {
  const plotPath = readOutputPath(options.plot, 'plot', io, COMMAND);
  const steps = options.steps ?? 100;
  const text = !options.json;
  const verbose = text && !options.quiet;
  const printEvery = options.printEvery ?? (steps <= 20 ? 1 : Math.ceil(steps / 10));
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const bar = verbose && io.stderr.isTTY === true ? new ProgressBar(io.stderr, steps) : undefined;

  const hidden = options.hidden ?? [16, 16];
  checkMoonsSize(options.samples ?? 100, hidden, COMMAND);
  if (verbose) {
    const batch = options.batchSize === undefined ? 'full batch' : `batch ${options.batchSize}`;
    out(
      `${describeModel(hidden)} on ${options.samples ?? 100} moons (noise ${options.noise ?? 0.1}), ` +
        `${steps} steps, ${batch}, seed ${options.seed ?? DEFAULT_MOONS_SEED}` +
        `${options.lecture === true ? " (demo.ipynb's numpy and Python random streams)" : ''}`,
    );
  }
  let result: MoonsResult;
  try {
    result = trainMoons(options, (record) => {
      const isLast = record.step === steps - 1;
      if (verbose && (record.step % printEvery === 0 || isLast)) {
        bar?.clear();
        out(
          `step ${record.step} loss ${record.loss.toFixed(4)}, accuracy ${formatPercent(record.accuracy)}`,
        );
      }
      bar?.update(record.step + 1, `loss ${record.loss.toFixed(4)}`);
    });
  } catch (error) {
    bar?.clear();
    if (error instanceof TrainingDivergedError && error.suggestedLr !== undefined) {
      throw new Error(`${error.message} (--lr-start ${error.suggestedLr})`);
    }
    throw error;
  }
  bar?.clear();

  const plotSize = plotPath === undefined ? undefined : writePlot(plotPath, moonsPlotSvg(result));

  const correct = Math.round(result.finalAccuracy * result.labels.length);
  if (options.json) {
    out(
      JSON.stringify({
        command: 'micrograd moons',
        options: { ...result.options, batchSize: result.options.batchSize ?? null },
        parameters: result.model.numParameters(),
        finalLoss: result.finalLoss,
        finalAccuracy: result.finalAccuracy,
        correct,
        total: result.labels.length,
        seconds: Number((result.milliseconds / 1000).toFixed(3)),
        plot: options.plot ?? null,
        history: result.history,
      }),
    );
  } else {
    out(
      `done: ${result.model.numParameters()} parameters, final loss ${result.finalLoss.toFixed(4)}, ` +
        `accuracy ${formatPercent(result.finalAccuracy)} (${correct}/${result.labels.length}), ` +
        `${formatDuration(result.milliseconds)}`,
    );
    if (options.plot !== undefined) out(`wrote ${options.plot} (${plotSize})`);
  }
  return 0;
}

/** The command-table entry for `lmp micrograd moons`. */
export const moonsCommand: CommandSpec = {
  name: COMMAND,
  summary: "train micrograd's MLP on two moons (the micrograd demo)",
  description:
    "micrograd's demo: a 2-layer ReLU MLP learns to separate two interleaving half circles. " +
    'Loss = mean max-margin (hinge) loss + alpha·Σp², plain SGD with the learning rate going ' +
    'linearly from --lr-start to --lr-end. Prints step, loss and accuracy (a progress bar on ' +
    'stderr when it is a terminal) and a final summary measured on all points after the last ' +
    'update. --plot draws the decision boundary.',
  options: [
    {
      name: 'samples',
      type: 'string',
      valueName: 'N',
      defaultText: '100',
      description: 'number of points',
    },
    {
      name: 'noise',
      type: 'string',
      valueName: 'STD',
      defaultText: '0.1',
      description: 'gaussian noise on the points',
    },
    {
      name: 'hidden',
      type: 'string',
      valueName: 'W,W',
      defaultText: '16,16',
      description: 'hidden layer widths (output: 1 linear neuron)',
    },
    { name: 'steps', type: 'string', valueName: 'N', defaultText: '100', description: 'SGD steps' },
    {
      name: 'lr-start',
      type: 'string',
      valueName: 'LR',
      defaultText: '1.0',
      description: 'learning rate at step 0',
    },
    {
      name: 'lr-end',
      type: 'string',
      valueName: 'LR',
      defaultText: '0.1',
      description: 'learning rate reached at the last step + 1',
    },
    {
      name: 'alpha',
      type: 'string',
      valueName: 'A',
      defaultText: '1e-4',
      description: 'L2 regularization weight',
    },
    {
      name: 'batch-size',
      type: 'string',
      valueName: 'N',
      defaultText: 'all points',
      description: 'random points per step (minibatch SGD)',
    },
    {
      name: 'lecture',
      type: 'boolean',
      description:
        "demo.ipynb's random numbers: data from numpy's RandomState(seed) via make_moons, weights from Python's random.seed(seed) (step 0 loss 0.8958441028683222)",
    },
    {
      name: 'seed',
      type: 'string',
      valueName: 'N',
      defaultText: String(DEFAULT_MOONS_SEED),
      description: 'seed for the data, the weights and the batches',
    },
    {
      name: 'plot',
      type: 'string',
      valueName: 'FILE',
      description: 'write the decision boundary to FILE.svg or FILE.png',
    },
    {
      name: 'print-every',
      type: 'string',
      valueName: 'N',
      defaultText: 'steps/10',
      description: 'print a step line every N steps',
    },
    { name: 'quiet', type: 'boolean', short: 'q', description: 'print only the final summary' },
    {
      name: 'json',
      type: 'boolean',
      description: 'print one JSON object (settings, history, result)',
    },
  ],
  examples: [
    'lmp micrograd moons',
    'lmp micrograd moons --plot moons.png',
    'lmp micrograd moons --lecture',
    'lmp micrograd moons --hidden 32 --steps 200 --batch-size 20 --seed 7',
    'lmp micrograd moons --quiet --json > run.json',
  ],
  run: (values, io) => microgradMoons(parseMoonsOptions(values), io),
};
